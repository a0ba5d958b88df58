#include "vectors/feature_set.h"

#include <set>

#include "lookalike/common/error.h"

namespace lookalike::cli {

FeatureChoice choose_feature(const std::string& spec) {
  FeatureChoice choice;
  if (is_model_spec(spec)) {
    const std::string card = model_spec_card(spec);
    if (card.empty())
      fail(ErrorKind::InvalidArgument, "feature \"model:\" needs a card name or file, e.g. model:mobilenetv2-int8");
    LoadedCard loaded;
    try {
      loaded = load_model_card(card);
    } catch (const Error& e) {
      // An unknown name or an unreadable or invalid card is a wrong argument here.
      fail(ErrorKind::InvalidArgument, "feature " + spec + ": " + e.what());
    }
    choice.spec = loaded.card.feature_spec();
    choice.version = kModelFeatureVersion;
    choice.dim = std::size_t(loaded.card.output_dim);
    choice.card = std::move(loaded);
  } else {
    std::shared_ptr<const Feature> feature = make_feature(spec);
    choice.spec = feature->spec();
    choice.version = feature->version();
    choice.dim = feature->dim();
    choice.traditional = std::move(feature);
  }
  choice.slug = feature_slug(choice.spec);
  return choice;
}

std::vector<FeatureChoice> choose_features(const std::vector<std::string>& specs) {
  std::vector<FeatureChoice> out;
  std::set<std::string> seen;
  for (const std::string& spec : specs) {
    FeatureChoice choice = choose_feature(spec);
    if (seen.insert(choice.spec).second) out.push_back(std::move(choice));
  }
  return out;
}

}  // namespace lookalike::cli
