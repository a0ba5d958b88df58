// Maps spec strings to feature objects: the one place that knows every
// traditional feature.
#include <algorithm>
#include <cctype>

#include "features/colour_histogram.h"
#include "features/colour_texture.h"
#include "features/feature_params.h"
#include "features/pixels.h"
#include "lookalike/common/error.h"
#include "lookalike/features/feature.h"

namespace lookalike {

std::vector<std::string> traditional_feature_names() { return {"pixels", "colour", "colour-texture"}; }

std::unique_ptr<Feature> make_feature(const std::string& spec) {
  FeatureParams params = FeatureParams::parse(spec);
  std::unique_ptr<Feature> feature;
  if (params.name() == "pixels") {
    feature = std::make_unique<PixelsFeature>(params.take_int("size", PixelsFeature::kDefaultSize, 1, 1024));
  } else if (params.name() == "colour" || params.name() == "color") {
    const auto bins = params.take_int_list("bins", {8, 4, 4}, 1, 64);
    feature = std::make_unique<ColourHistogramFeature>(std::array<int, 3>{bins[0], bins[1], bins[2]});
  } else if (params.name() == "colour-texture" || params.name() == "color-texture") {
    feature = std::make_unique<ColourTextureFeature>();
  } else {
    std::string known;
    for (const auto& name : traditional_feature_names()) known += (known.empty() ? "" : ", ") + name;
    fail(ErrorKind::InvalidArgument,
         "unknown feature \"" + params.name() + "\" (expected " + known + ", or model:<card> for a learned embedding)");
  }
  params.reject_unknown();
  return feature;
}

std::string feature_slug(const std::string& spec) {
  const std::string name = spec.substr(0, spec.find(':'));
  std::string defaults;
  try {
    defaults = make_feature(name)->spec();
  } catch (const Error&) {
    defaults.clear();
  }
  if (spec == defaults || spec == name) return name;
  std::string slug = name;
  if (spec.find(':') == std::string::npos) return slug;
  std::string rest = spec.substr(spec.find(':') + 1);
  // "size=32,bins=8x4x4" -> "-32-8x4x4"
  std::size_t start = 0;
  while (start < rest.size()) {
    const auto comma = rest.find(',', start);
    std::string item = rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto eq = item.find('=');
    slug += "-" + (eq == std::string::npos ? item : item.substr(eq + 1));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  std::replace_if(
      slug.begin(), slug.end(),
      [](char c) { return !(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'); }, '_');
  return slug;
}

}  // namespace lookalike
