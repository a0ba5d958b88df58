// CLIP's tokenizer and text model cards, the same code as the offline tools:
//
//   ClipTokenizer.load(bytes)           -> ClipTokenizer   (a vocabulary file's bytes, decompressed:
//                                                            bpe_simple_vocab_16e6.txt, tokenizer.json or merges.txt)
//   tokenizer.tokenize(text, length?)   -> {ids: Int32Array, truncated}   (framed, cut to `length`, default 77)
//   tokenizer.vocabularySize(), startOfText(), endOfText()                (plain numbers)
//   tokenizer.delete()
//   parseTextModelCard(json)            -> {name, pairsWith, featureSpec, file, url, sha256, bytes, maxBatch,
//                                           tokenizerFile, tokenizerSha256, tokenizerBytes, contextLength,
//                                           idsName, maskName, idsType, padding, padId, outputName, outputDim,
//                                           l2Normalize}
//   textModelInput(cardJson, ids)       -> {ids: Int32Array, mask: Int32Array, dims: [1, length]}
//                                           (one text's ids padded as the card says)
//
// The page gunzips a .gz vocabulary with the browser's DecompressionStream;
// the CLI with zlib: both hand the core the same bytes.
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/val.h>

#include "js_arrays.h"
#include "js_result.h"
#include "lookalike/model/text_model_card.h"
#include "lookalike/text/clip_tokenizer.h"

// The position of the first lone surrogate in a JavaScript string, or -1.
// A lone surrogate is no character: embind's UTF-8 conversion would pair it
// with the next unit and make a wrong one, so it is caught while still UTF-16.
EM_JS(int, lone_surrogate_at, (emscripten::EM_VAL handle), {
  const s = Emval.toValue(handle);
  for (let i = 0; i < s.length; ++i) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        ++i;
        continue;
      }
      return i;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
});

namespace lookalike::wasm {
namespace {

using emscripten::val;

// A text argument as UTF-8, refusing strings that are not text.
std::string text_argument(const val& value) {
  if (!value.isString()) fail(ErrorKind::InvalidArgument, "text must be a string");
  const int at = lone_surrogate_at(value.as_handle());
  if (at >= 0)
    fail(ErrorKind::InvalidArgument, "the text is not valid Unicode: a lone surrogate at position " +
                                         std::to_string(at) + " (no character; not valid UTF-8)");
  return value.as<std::string>();
}

val to_int32_array(const std::vector<std::int32_t>& values) {
  return val(emscripten::typed_memory_view(values.size(), values.data())).call<val>("slice");
}

class ClipTokenizerHandle {
 public:
  explicit ClipTokenizerHandle(ClipTokenizer tokenizer) : tokenizer_(std::move(tokenizer)) {}
  ClipTokenizerHandle(ClipTokenizerHandle&&) = default;
  ClipTokenizerHandle& operator=(ClipTokenizerHandle&&) = default;

  static val load(val bytes_value) {
    return guarded([&] {
      const std::vector<std::uint8_t> bytes = bytes_from_js(bytes_value, "vocabulary");
      return val(ClipTokenizerHandle(
          ClipTokenizer::from_file(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()))));
    });
  }

  val tokenize(val text, val context_length) const {
    return guarded([&] {
      const std::size_t length =
          is_absent(context_length) ? kClipContextLength : std::size_t(number_argument(context_length));
      const TokenizedText t = tokenizer_.tokenize(text_argument(text), length);
      val out = val::object();
      out.set("ids", to_int32_array(t.ids));
      out.set("truncated", t.truncated);
      return out;
    });
  }
  val tokenize_default(val text) const { return tokenize(text, val::undefined()); }

  double vocabulary_size() const { return double(tokenizer_.vocabulary_size()); }
  int start_of_text() const { return tokenizer_.start_of_text(); }
  int end_of_text() const { return tokenizer_.end_of_text(); }

 private:
  // A context length: a whole number from 2 to 4096.
  static double number_argument(const val& value) {
    if (value.typeOf().as<std::string>() != "number")
      fail(ErrorKind::InvalidArgument, "the context length must be a number");
    const double n = value.as<double>();
    if (!(n >= 2 && n <= 4096) || n != double(std::size_t(n)))
      fail(ErrorKind::InvalidArgument, "the context length must be a whole number from 2 to 4096");
    return n;
  }

  ClipTokenizer tokenizer_;
};

val parse_text_model_card_js(val json) {
  return guarded([&] {
    const TextModelCard c = parse_text_model_card(string_argument(json, "text model card"));
    val out = val::object();
    out.set("name", c.name);
    out.set("description", c.description);
    out.set("pairsWith", c.pairs_with);
    out.set("featureSpec", c.feature_spec());
    out.set("file", c.file);
    out.set("url", c.url);
    out.set("sha256", c.sha256);
    out.set("bytes", static_cast<double>(c.bytes));
    out.set("maxBatch", c.max_batch);
    out.set("tokenizerFile", c.tokenizer_file);
    out.set("tokenizerSha256", c.tokenizer_sha256);
    out.set("tokenizerBytes", static_cast<double>(c.tokenizer_bytes));
    out.set("contextLength", static_cast<double>(c.context_length));
    out.set("idsName", c.ids_name);
    out.set("maskName", c.mask_name);
    out.set("idsType", std::string(c.ids_type == TokenIdType::Int32 ? "int32" : "int64"));
    out.set("padding", std::string(c.padding == TextPadding::Context ? "context" : "none"));
    out.set("padId", c.pad_id);
    out.set("outputName", c.output_name);
    out.set("outputDim", c.output_dim);
    out.set("l2Normalize", c.l2_normalize);
    return out;
  });
}

val text_model_input_js(val card_json, val ids_value) {
  return guarded([&] {
    const TextModelCard card = parse_text_model_card(string_argument(card_json, "text model card"));
    const TextModelInput input = text_model_input(card, {{int32s_from_js(ids_value, "ids"), false}});
    val out = val::object();
    out.set("ids", to_int32_array(input.ids));
    out.set("mask", to_int32_array(input.mask));
    val dims = val::array();
    dims.call<void>("push", 1);
    dims.call<void>("push", static_cast<double>(input.length));
    out.set("dims", dims);
    return out;
  });
}

}  // namespace
}  // namespace lookalike::wasm

EMSCRIPTEN_BINDINGS(lookalike_text) {
  using namespace lookalike::wasm;
  emscripten::class_<ClipTokenizerHandle>("ClipTokenizer")
      .class_function("load", &ClipTokenizerHandle::load)
      .function("tokenize", &ClipTokenizerHandle::tokenize_default)
      .function("tokenize", &ClipTokenizerHandle::tokenize)
      .function("vocabularySize", &ClipTokenizerHandle::vocabulary_size)
      .function("startOfText", &ClipTokenizerHandle::start_of_text)
      .function("endOfText", &ClipTokenizerHandle::end_of_text);
  emscripten::function("parseTextModelCard", &parse_text_model_card_js);
  emscripten::function("textModelInput", &text_model_input_js);
}
