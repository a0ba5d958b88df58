// Traditional features by spec, the same code as the offline tools:
//
//   featureNames()                  -> ["pixels", "colour", ...]
//   featureInfo(spec)               -> {spec, name, version, dim, slug, decodeNeed}
//   computeFeature(spec, image)     -> {vector: Float32Array, spec, version, dim}
//
// `spec` is canonicalised ("colour" -> "colour:bins=8x4x4"), so the worker
// can compare it with the feature a bundle was built with.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "decode_need_js.h"
#include "js_arrays.h"
#include "js_result.h"
#include "lookalike/features/feature.h"
#include "rgb_image.h"

namespace lookalike::wasm {
namespace {

using emscripten::val;

val describe(const Feature& feature) {
  val out = val::object();
  out.set("spec", feature.spec());
  out.set("name", feature.name());
  out.set("version", feature.version());
  out.set("dim", static_cast<double>(feature.dim()));
  out.set("slug", feature_slug(feature.spec()));
  out.set("decodeNeed", decode_need_to_js(feature.decode_need()));
  return out;
}

val feature_names_js() { return to_js_strings(traditional_feature_names()); }

val feature_info_js(val spec) {
  return guarded([&] { return describe(*make_feature(string_argument(spec, "feature spec"))); });
}

val compute_feature_js(val spec, const RgbImage& image) {
  return guarded([&] {
    const auto feature = make_feature(string_argument(spec, "feature spec"));
    const std::vector<float> vector = feature->compute(image.image());
    val out = describe(*feature);
    out.set("vector", to_float32_array(vector.data(), vector.size()));
    return out;
  });
}

}  // namespace
}  // namespace lookalike::wasm

EMSCRIPTEN_BINDINGS(lookalike_features) {
  using namespace lookalike::wasm;
  emscripten::function("featureNames", &feature_names_js);
  emscripten::function("featureInfo", &feature_info_js);
  emscripten::function("computeFeature", &compute_feature_js);
}
