// Text model cards: the committed ones (CLIP's text towers, the tiny test
// tower) parse, pair with an image card of their dimension, pin CLIP's
// vocabulary and find it once installed; invalid cards are refused naming the field; the core pads
// batches as the card says.
#include <catch2/catch.hpp>

#include "embed/model_files.h"
#include "embed/text_model_files.h"
#include "lookalike/common/error.h"
#include "lookalike/model/model_card.h"
#include "lookalike/model/text_model_card.h"
#include "model_test_support.h"
#include "support/installed_vocabulary.h"
#include "support/test_images.h"

using namespace lookalike;
using namespace lookalike::testing;

namespace {

TextModelCard committed_text(const std::string& relative) {
  return parse_text_model_card(read_text_file((source_dir() / "models" / relative).string()));
}

std::string message_of(const std::string& json) {
  try {
    parse_text_model_card(json);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::InvalidArgument);
    return e.what();
  }
  FAIL("accepted: " << json);
  return {};
}

const char* kValidTextCard = R"({"schema": 1, "tower": "text", "name": "t", "pairs_with": "i",
  "model": {"file": "t.onnx"}, "tokenizer": {"file": "v.txt.gz"},
  "input": {"ids": "input_ids"}, "output": {"name": "text_embeds", "dim": 8}})";

std::string with(const std::string& from, const std::string& to) {
  std::string json = kValidTextCard;
  const auto at = json.find(from);
  REQUIRE(at != std::string::npos);
  return json.replace(at, from.size(), to);
}

// The committed text cards, loaded as the CLI loads them.
std::vector<cli::LoadedTextCard> committed_text_cards() {
  std::vector<cli::LoadedTextCard> cards;
  for (const fs::path& dir : {source_dir() / "models", source_dir() / "models" / "test"})
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path().extension() == ".json" && is_text_model_card(read_text_file(entry.path().string())))
        cards.push_back(cli::load_text_model_card(entry.path().string()));
  return cards;
}

}  // namespace

TEST_CASE("every committed text card pairs with an image card of its dimension and pins CLIP's vocabulary") {
  const std::vector<cli::LoadedTextCard> cards = committed_text_cards();
  REQUIRE(cards.size() == 3);
  for (const cli::LoadedTextCard& loaded : cards) {
    INFO(loaded.path);
    const TextModelCard& card = loaded.card;
    CHECK(card.name + ".json" == fs::path(loaded.path).filename().string());
    CHECK(fs::path(card.file).is_relative());
    const cli::LoadedCard image = cli::load_model_card(card.pairs_with);
    CHECK(image.card.output_dim == card.output_dim);
    CHECK(card.feature_spec() == image.card.feature_spec());
    // One vocabulary for every card, which models/fetch.sh downloads from the url and verifies by the
    // sha256 and size pinned (a card copied into a site carries them along).
    CHECK(card.tokenizer_file == cards[0].card.tokenizer_file);
    CHECK(card.tokenizer_url == cards[0].card.tokenizer_url);
    CHECK(card.tokenizer_url.rfind("https://", 0) == 0);
    CHECK(card.tokenizer_sha256 == cards[0].card.tokenizer_sha256);
    CHECK(card.tokenizer_sha256.size() == 64);
    CHECK(card.tokenizer_bytes == cards[0].card.tokenizer_bytes);
    CHECK(card.tokenizer_bytes > 0);
  }
}

TEST_CASE("every committed text card finds the installed vocabulary, the one it pins") {
  installed_clip_vocabulary();  // skips the test, saying how to install it, when it is not installed
  for (const cli::LoadedTextCard& loaded : committed_text_cards()) {
    INFO(loaded.path);
    // Found where models are installed (one copy serves every CLIP card) and checked against the card's sha256.
    CHECK(fs::file_size(cli::locate_tokenizer_file(loaded)) == loaded.card.tokenizer_bytes);
    const ClipTokenizer tokenizer = cli::load_card_tokenizer(loaded);
    CHECK(tokenizer.vocabulary_size() == 49408);
  }
}

TEST_CASE("CLIP ViT-B/32 text cards: the export's names, unpadded ids, the image cards' revision") {
  const TextModelCard f32 = committed_text("clip-vit-b32-text.json");
  const TextModelCard q8 = committed_text("clip-vit-b32-text-q8.json");
  for (const TextModelCard* c : {&f32, &q8}) {
    INFO(c->name);
    CHECK(c->ids_name == "input_ids");
    CHECK(c->mask_name.empty());
    CHECK(c->ids_type == TokenIdType::Int64);
    CHECK(c->padding == TextPadding::None);
    CHECK(c->pad_id == 49407);
    CHECK(c->context_length == 77);
    CHECK(c->output_name == "text_embeds");
    CHECK(c->output_dim == 512);
    CHECK(c->l2_normalize);
    CHECK(c->sha256.size() == 64);
    CHECK(c->bytes > 0);
    // The same export revision as the image tower it pairs with: one embedding space.
    const ModelCard image =
        parse_model_card(read_text_file((source_dir() / "models" / (c->pairs_with + ".json")).string()));
    const auto revision = [](const std::string& url) { return url.substr(0, url.find("/onnx/")); };
    CHECK(revision(c->url) == revision(image.url));
  }
  CHECK(f32.pairs_with == "clip-vit-b32");
  CHECK(q8.pairs_with == "clip-vit-b32-q8");
  CHECK(q8.max_batch == 1);  // dynamic quantization: a batch or padding would change each text's embedding
  CHECK(f32.bytes == 254058553);
  CHECK(q8.bytes == 64504507);
}

TEST_CASE("invalid text cards are refused naming the field") {
  CHECK_NOTHROW(parse_text_model_card(kValidTextCard));
  CHECK(message_of(with(R"("tower": "text", )", "")).find("tower") != std::string::npos);
  CHECK(message_of(with(R"("pairs_with": "i",)", "")).find("pairs_with is missing") != std::string::npos);
  CHECK(message_of(with(R"("pairs_with": "i")", R"("pairs_with": "a/b")")).find("pairs_with") != std::string::npos);
  CHECK(message_of(with(R"("tokenizer": {"file": "v.txt.gz"})", R"("tokenizer": {"file": "v", "kind": "wordpiece"})"))
            .find("tokenizer.kind") != std::string::npos);
  CHECK(
      message_of(with(R"("ids": "input_ids")", R"("ids": "input_ids", "padding": "longest")")).find("input.padding") !=
      std::string::npos);
  CHECK(message_of(with(R"("ids": "input_ids")", R"("ids": "input_ids", "type": "float32")")).find("input.type") !=
        std::string::npos);
  CHECK(message_of(with(R"("dim": 8)", R"("dim": 0)")).find("output.dim") != std::string::npos);
  CHECK(message_of(with(R"("file": "v.txt.gz")", R"("file": "v", "context_length": 1)"))
            .find("tokenizer.context_length") != std::string::npos);
  // Each parser says which card it is given.
  const std::string image = read_text_file((source_dir() / "models/clip-vit-b32.json").string());
  CHECK(message_of(image).find("tower") != std::string::npos);
  try {
    parse_model_card(kValidTextCard);
    FAIL("a text card parsed as an image card");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("text tower") != std::string::npos);
  }
}

TEST_CASE("a batch is padded to its longest text, or to the context, as the card says") {
  TextModelCard card = parse_text_model_card(kValidTextCard);
  card.pad_id = 49407;
  const std::vector<TokenizedText> texts = {{{49406, 320, 49407}, false}, {{49406, 49407}, false}};
  const TextModelInput longest = text_model_input(card, texts);
  CHECK(longest.batch == 2);
  CHECK(longest.length == 3);
  CHECK(longest.ids == std::vector<std::int32_t>{49406, 320, 49407, 49406, 49407, 49407});
  CHECK(longest.mask == std::vector<std::int32_t>{1, 1, 1, 1, 1, 0});

  card.padding = TextPadding::Context;
  card.pad_id = 0;
  const TextModelInput context = text_model_input(card, texts);
  CHECK(context.length == 77);
  CHECK(context.ids[3] == 0);
  CHECK(context.ids[77] == 49406);
  CHECK(context.mask[76] == 0);

  CHECK_THROWS_AS(text_model_input(card, {}), Error);
  CHECK_THROWS_AS(text_model_input(card, {{std::vector<std::int32_t>(78, 1), false}}), Error);
}
