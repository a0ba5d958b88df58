// Model cards and model preprocessing, the same code as the offline tools:
//
//   parseModelCard(json)             -> {name, featureSpec, file, url, sha256, bytes, inputName,
//                                        outputName, outputDim, l2Normalize, dims: [1, 3, H, W],
//                                        decodeNeed}
//   preprocessForModel(json, image)  -> {tensor: Float32Array (NCHW), dims: [1, 3, H, W], inputName}
//   l2Normalize(vector)              -> Float32Array (a normalised copy)
//
// The tensor goes to ONNX Runtime Web as it is; the model's output, when the
// card asks for it, comes back through l2Normalize so both halves normalise
// with the same code.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "decode_need_js.h"
#include "js_arrays.h"
#include "js_result.h"
#include "lookalike/model/model_card.h"
#include "lookalike/model/preprocess.h"
#include "rgb_image.h"

namespace lookalike::wasm {
namespace {

using emscripten::val;

val input_dims(const ModelCard& card) {
  val dims = val::array();
  dims.call<void>("push", 1);
  dims.call<void>("push", 3);
  dims.call<void>("push", card.height);
  dims.call<void>("push", card.width);
  return dims;
}

val parse_model_card_js(val json) {
  return guarded([&] {
    const ModelCard card = parse_model_card(string_argument(json, "model card"));
    val out = val::object();
    out.set("name", card.name);
    out.set("description", card.description);
    out.set("featureSpec", card.feature_spec());
    out.set("file", card.file);
    out.set("url", card.url);
    out.set("sha256", card.sha256);
    out.set("bytes", static_cast<double>(card.bytes));
    out.set("inputName", card.input_name);
    out.set("outputName", card.output_name);
    out.set("outputDim", card.output_dim);
    out.set("l2Normalize", card.l2_normalize);
    out.set("dims", input_dims(card));
    out.set("decodeNeed", decode_need_to_js(decode_need(card)));
    return out;
  });
}

// A page preprocesses every query with the same card: its parse (JSON and
// checks, a sizeable share of a small model's preprocessing) is kept for the
// next call with the same text. Each module instance has its own copy.
const ModelCard& parsed_card(const std::string& json) {
  static std::string last_json;
  static ModelCard last_card;
  if (json != last_json || last_json.empty()) {
    ModelCard card = parse_model_card(json);  // throws before the cache changes
    last_card = std::move(card);
    last_json = json;
  }
  return last_card;
}

val preprocess_for_model_js(val json, const RgbImage& image) {
  return guarded([&] {
    const ModelCard& card = parsed_card(string_argument(json, "model card"));
    const std::vector<float> tensor = preprocess_for_model(image.image(), card);
    val out = val::object();
    out.set("tensor", to_float32_array(tensor.data(), tensor.size()));
    out.set("dims", input_dims(card));
    out.set("inputName", card.input_name);
    return out;
  });
}

val l2_normalize_js(val vector_value) {
  return guarded([&] {
    std::vector<float> vector = floats_from_js(vector_value, "vector");
    l2_normalize(vector);
    return to_float32_array(vector.data(), vector.size());
  });
}

}  // namespace
}  // namespace lookalike::wasm

EMSCRIPTEN_BINDINGS(lookalike_model) {
  using namespace lookalike::wasm;
  emscripten::function("parseModelCard", &parse_model_card_js);
  emscripten::function("preprocessForModel", &preprocess_for_model_js);
  emscripten::function("l2Normalize", &l2_normalize_js);
}
