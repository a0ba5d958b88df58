// The tiny text tower end to end through the Node worker (RUN_IDS frames):
// the tokenizer's ids, padding, batching and normalisation, checked against
// the generator's own numpy forward pass; a card that does not match its
// model is refused naming the mismatch.
#include <catch2/catch.hpp>

#include <cmath>

#include "embed/text_embedder.h"
#include "lookalike/common/error.h"
#include "model_test_support.h"
#include "support/installed_vocabulary.h"
#include "support/test_images.h"

using namespace lookalike;
using namespace lookalike::testing;
using cli::TextEmbedder;
using cli::TextEmbedderOptions;

namespace {

TextEmbedder tiny_text(std::size_t batch = 16, bool normalize = true) {
  installed_clip_vocabulary();  // skips the test, saying how to install it, when it is not installed
  return TextEmbedder::open("tiny-text", test_embedder_options(batch, normalize));
}

// The texts whose framed ids the reference rows hold (before their padding).
const std::vector<std::string> kReferenceTexts = {"a photo of a dog", "a red car at night", ""};

}  // namespace

TEST_CASE("tiny text tower through the worker equals the generator's numpy forward pass") {
  const nlohmann::json reference = read_json(source_dir() / "models/test/tiny-text.reference.json");
  TextEmbedder raw = tiny_text(16, false);
  CHECK(raw.dim() == 32);
  for (std::size_t i = 0; i < kReferenceTexts.size(); ++i) {
    // The tokenizer gives the reference row's ids up to its <|endoftext|>.
    const TokenizedText t = raw.tokenize(kReferenceTexts[i]);
    const auto row = reference["ids"][i].get<std::vector<std::int32_t>>();
    CHECK(t.ids == std::vector<std::int32_t>(row.begin(), row.begin() + std::ptrdiff_t(t.ids.size())));
  }
  // Batched (padded to the longest text) and one by one (unpadded): the reference either way.
  const std::vector<float> batched = raw.embed(kReferenceTexts);
  REQUIRE(batched.size() == 3 * 32);
  for (std::size_t n = 0; n < 3; ++n) {
    const std::vector<float> single = raw.embed(kReferenceTexts[n]);
    for (std::size_t d = 0; d < 32; ++d) {
      const double expected = reference["text_embeds"][n][d].get<double>();
      CHECK(batched[n * 32 + d] == Approx(expected).margin(1e-5));
      CHECK(single[d] == Approx(expected).margin(1e-5));
    }
  }
  CHECK(raw.inference_seconds() > 0);

  TextEmbedder unit = tiny_text(2, true);
  CHECK(unit.batch_size() == 2);
  const std::vector<float> normalised = unit.embed(kReferenceTexts);
  for (std::size_t n = 0; n < 3; ++n) {
    double norm = 0, dot = 0, raw_norm = 0;
    for (std::size_t d = 0; d < 32; ++d) {
      norm += double(normalised[n * 32 + d]) * normalised[n * 32 + d];
      dot += double(normalised[n * 32 + d]) * batched[n * 32 + d];
      raw_norm += double(batched[n * 32 + d]) * batched[n * 32 + d];
    }
    CHECK(std::sqrt(norm) == Approx(1.0).epsilon(1e-6));
    CHECK(dot / std::sqrt(raw_norm) == Approx(1.0).epsilon(1e-6));
  }
}

TEST_CASE("a text card that does not match its model is refused naming the mismatch") {
  installed_clip_vocabulary();  // the cards are refused after their vocabulary is read
  TempDir dir;
  const fs::path models = source_dir() / "models";
  const std::string original = read_text_file((models / "test/tiny-text.json").string());
  const auto variant = [&](const std::string& from, const std::string& to) {
    std::string json = original;
    const auto at = json.find(from);
    REQUIRE(at != std::string::npos);
    json.replace(at, from.size(), to);
    // The card points at the committed model from its own folder (the vocabulary is found where it is installed).
    const auto file = json.find("\"tiny-text.onnx\"");
    json.replace(file, std::string("\"tiny-text.onnx\"").size(),
                 "\"" + (models / "test/tiny-text.onnx").string() + "\"");
    const fs::path card = dir.path / "variant.json";
    write_text(card, json);
    return card.string();
  };
  const auto refused = [&](const std::string& card, const std::string& expected) {
    INFO(expected);
    try {
      TextEmbedderOptions options;
      options.model_threads = 1;
      TextEmbedder::open(card, options);
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(std::string(e.what()).find(expected) != std::string::npos);
    }
  };
  // model.file must be relative: the absolute path above is refused first, so give it with --model instead.
  TextEmbedderOptions options;
  options.model_path = (models / "test/tiny-text.onnx").string();
  options.model_threads = 1;
  const std::string wrong_input = variant(R"("ids": "input_ids")", R"("ids": "tokens")");
  try {
    TextEmbedder::open(wrong_input, options);
    FAIL("accepted a wrong input name");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("the model's inputs are input_ids") != std::string::npos);
  }
  const std::string wrong_type = variant(R"("type": "int64")", R"("type": "int32")");
  CHECK_THROWS_WITH(TextEmbedder::open(wrong_type, options), Catch::Contains("takes int64 tensors"));
  const std::string wrong_dim = variant(R"("dim": 32)", R"("dim": 64)");
  CHECK_THROWS_WITH(TextEmbedder::open(wrong_dim, options), Catch::Contains("output.dim = 64"));
  const std::string extra_mask =
      variant(R"("type": "int64")", R"("type": "int64", "attention_mask": "attention_mask")");
  CHECK_THROWS_WITH(TextEmbedder::open(extra_mask, options), Catch::Contains("input.attention_mask"));
  refused(variant(R"("dim": 32)", R"("dim": 32)"), "plain path relative");
}
