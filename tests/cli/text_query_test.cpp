// Text queries in the CLI with the committed tiny towers (models/test:
// tiny-embed and the tiny-text tower that pairs with it): `tokenize`, the
// text tower `index` publishes, `query --text` (and why a collection cannot
// answer text), `embed --text` and `eval --protocol zero-shot`, each checked
// against the building blocks run directly; `embed --list-cards` on a text
// tower's files. Skipped with a message when Node.js or onnxruntime-node is
// missing, or CLIP's vocabulary is not installed (support/installed_vocabulary.h).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstring>

#include "cli_test_support.h"
#include "common/exit_codes.h"
#include "common/files.h"
#include "embed/node_runtime.h"
#include "embed/text_embedder.h"
#include "lookalike/common/error.h"
#include "lookalike/index/vector_index.h"
#include "site/collection_files.h"
#include "support/installed_vocabulary.h"
#include "support/skip.h"

using namespace lookalike;
using namespace lookalike::cli;
using namespace lookalike::testing;
using nlohmann::json;

namespace {

const fs::path kModels = fs::path(LOOKALIKE_SOURCE_DIR) / "models";

void make_tree(const fs::path& root) { write_smooth_tree(root, {"red_car", "dog", "beach"}, 3, 180, 10, 140, 70); }

CliResult index_tiny(const fs::path& photos, const fs::path& site, std::vector<std::string> more = {}) {
  std::vector<std::string> args = {
      "index",     photos.string(), "--site",   site.string(), "--name",          "t", "--feature", "model:tiny-embed",
      "--feature", "colour",        "--metric", "cosine,l2",   "--model-threads", "1", "-q",        "--json"};
  args.insert(args.end(), more.begin(), more.end());
  return run_cli(args);
}

std::vector<float> tiny_text_embedding(const std::string& card, const std::string& text) {
  TextEmbedderOptions options;
  options.model_threads = 1;
  return TextEmbedder::open(card, options).embed(text);
}

}  // namespace

TEST_CASE("tokenize prints the reference ids, as JSON too, and refuses text that is not UTF-8", "[cli][text]") {
  const std::string vocabulary = installed_clip_vocabulary();
  const CliResult plain = run_cli({"tokenize", "a photo of a dog", "it's"});
  REQUIRE_CLI_SUCCESS(plain);
  CHECK(lines_of(plain.out) == std::vector<std::string>{"49406 320 1125 539 320 1929 49407", "49406 585 568 49407"});

  const CliResult as_json = run_cli({"--json", "tokenize", "--card", "tiny-text", "A photo of a DOG."});
  REQUIRE(as_json.exit_code == 0);
  const json j = json::parse(as_json.out);
  REQUIRE(j.size() == 1);
  CHECK(j[0]["text"] == "A photo of a DOG.");
  CHECK(j[0]["ids"] == json::array({49406, 320, 1125, 539, 320, 1929, 269, 49407}));
  CHECK(j[0]["truncated"] == false);

  // A vocabulary file given directly, gzip'd or not.
  const CliResult from_file = run_cli({"tokenize", "--vocab", vocabulary, "café"});
  REQUIRE(from_file.exit_code == 0);
  CHECK(lines_of(from_file.out) == std::vector<std::string>{"49406 15304 49407"});

  std::string long_text;
  for (int i = 0; i < 90; ++i) long_text += "dog ";
  const CliResult cut = run_cli({"--json", "tokenize", long_text});
  REQUIRE(cut.exit_code == 0);
  CHECK(json::parse(cut.out)[0]["ids"].size() == 77);
  CHECK(cut.err.find("longer than 77 tokens") != std::string::npos);

  const CliResult bad = run_cli({"tokenize", "caf\xc3"});
  CHECK(bad.exit_code == kExitUsage);
  CHECK(bad.err.find("not valid UTF-8 (byte 3") != std::string::npos);
  const CliResult image_card = run_cli({"tokenize", "--card", "tiny-embed", "x"});
  CHECK(image_card.exit_code == kExitUsage);
  CHECK(image_card.err.find("the text cards that pair with tiny-embed: tiny-text") != std::string::npos);
  const CliResult not_vocab = run_cli({"tokenize", "--vocab", (kModels / "test/tiny-text.json").string(), "x"});
  CHECK(not_vocab.exit_code == kExitBadInput);
  CHECK(not_vocab.err.find("tiny-text.json") != std::string::npos);
}

TEST_CASE("index publishes the text tower that pairs with a model, and query --text searches with it",
          "[cli][text][model]") {
  require_node_runtime();
  const std::string vocabulary = installed_clip_vocabulary();
  TempDir dir;
  make_tree(dir / "photos");
  const fs::path site = dir / "site";
  const CliResult built = index_tiny(dir / "photos", site);
  REQUIRE_CLI_SUCCESS(built);
  CHECK(json::parse(built.out)["models"] == json::array({"models/tiny-embed.json", "models/tiny-text.json"}));
  const Collection c = read_collection(site, "t");
  REQUIRE(c.models.size() == 1);
  CHECK(c.models[0].text_card == "models/tiny-text.json");
  // The card, its model and its vocabulary, where the card says (relative to it).
  CHECK(read_file(site / "models/tiny-text.json") == read_file(kModels / "test/tiny-text.json"));
  CHECK(read_file(site / "models/tiny-text.onnx") == read_file(kModels / "test/tiny-text.onnx"));
  CHECK(read_file(site / "models/bpe_simple_vocab_16e6.txt.gz") == read_file(vocabulary));

  // query --text: the text embedded with the site's text card, searched in the model's bundle (the default).
  const std::string text = "a red car at night";
  const CliResult q = run_cli({"--json", "query", "--site", site.string(), "--text", text, "--metric", "cosine", "-k",
                               "5", "--model-threads", "1"});
  REQUIRE_CLI_SUCCESS(q);
  const json answer = json::parse(q.out);
  CHECK(answer["feature"] == "model:tiny-embed");
  CHECK(answer["query"]["text"] == text);
  CHECK(answer["query"]["token_ids"] == json::array({49406, 320, 736, 1615, 536, 930, 49407}));
  const std::vector<float> v = tiny_text_embedding((site / "models/tiny-text.json").string(), text);
  const auto bundle = read_file(site / "index/t.model-tiny-embed.cosine.lkx");
  const VectorIndex index = VectorIndex::load(bundle.data(), bundle.size());
  const auto expected = index.search(v.data(), SearchOptions{5, 0, {}});
  REQUIRE(answer["results"].size() == expected.size());
  for (std::size_t r = 0; r < expected.size(); ++r) {
    CHECK(answer["results"][r]["id"] == expected[r].id);
    CHECK(answer["results"][r]["score"].get<float>() == expected[r].score);
  }
  // A blank text searches nothing, as in the page's text box.
  for (const std::string blank : {"", "  \t "}) {
    const CliResult empty = run_cli({"query", "--site", site.string(), "--text", blank});
    CHECK(empty.exit_code == kExitUsage);
    CHECK(empty.err.find("--text is empty") != std::string::npos);
  }
  // With l2 too, and an update keeps the site's text tower.
  CHECK(run_cli({"query", "--site", site.string(), "--text", text, "--metric", "l2"}).exit_code == 0);
  write_jpeg(dir / "photos/dog/new.jpg", smooth_picture(200, 160, 7));
  const CliResult updated = run_cli({"index", (dir / "photos").string(), "--site", site.string(), "--name", "t",
                                     "--update", "--model-threads", "1", "-q"});
  REQUIRE_CLI_SUCCESS(updated);
  CHECK(read_collection(site, "t").models[0].text_card == "models/tiny-text.json");
}

TEST_CASE("a collection whose model has no text tower says why it cannot answer text", "[cli][text][model]") {
  require_node_runtime();
  TempDir dir;
  make_tree(dir / "photos");
  const fs::path site = dir / "site";
  REQUIRE(index_tiny(dir / "photos", site, {"--no-text"}).exit_code == 0);
  CHECK(read_collection(site, "t").models[0].text_card.empty());
  CHECK_FALSE(fs::exists(site / "models/tiny-text.json"));
  const CliResult no_tower = run_cli({"query", "--site", site.string(), "--text", "a dog"});
  CHECK(no_tower.exit_code == kExitUsage);
  CHECK(no_tower.err.find("cannot answer a text query") != std::string::npos);
  CHECK(no_tower.err.find("no text tower for tiny-embed") != std::string::npos);
  CHECK(no_tower.out.empty());

  const CliResult colour =
      run_cli({"query", "--site", site.string(), "--text", "a dog", "--feature", "colour", "--metric", "cosine"});
  CHECK(colour.exit_code == kExitUsage);
  CHECK(colour.err.find("describes images only") != std::string::npos);

  const fs::path classic = dir / "classic";
  REQUIRE(run_cli({"index", (dir / "photos").string(), "--site", classic.string(), "--feature", "colour", "-q"})
              .exit_code == 0);
  const CliResult none = run_cli({"query", "--site", classic.string(), "--text", "a dog"});
  CHECK(none.exit_code == kExitUsage);
  CHECK(none.err.find("it has no model feature") != std::string::npos);

  const CliResult bundle_only =
      run_cli({"query", "--index", (site / "index/t.model-tiny-embed.cosine.lkx").string(), "--text", "a dog"});
  CHECK(bundle_only.exit_code == kExitUsage);
  CHECK(bundle_only.err.find("needs a site") != std::string::npos);
  CHECK(run_cli({"query", "photo.jpg", "--site", site.string(), "--text", "a dog"}).exit_code == kExitUsage);

  // A text card that pairs with no feature asked for is refused before anything is written.
  const CliResult wrong = index_tiny(dir / "photos", dir / "other", {"--text-card", "clip-vit-b32-text"});
  CHECK(wrong.exit_code == kExitUsage);
  CHECK(wrong.err.find("pairs with clip-vit-b32, which is not among the features") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "other/index"));
}

TEST_CASE("embed --text writes the text tower's vectors with their token ids", "[cli][text][model]") {
  require_node_runtime();
  installed_clip_vocabulary();
  TempDir dir;
  write_text(dir / "prompts.txt", "a photo of a dog\n\nthe beach\n");
  const CliResult r = run_cli({"embed", "--card", "tiny-text", "--text", "a red car", "--texts",
                               (dir / "prompts.txt").string(), "-o", (dir / "t.npy").string(), "--model-threads", "1"});
  REQUIRE_CLI_SUCCESS(r);
  const json meta = json::parse(read_text_file(dir / "t.json"));
  CHECK(meta["feature"] == "model:tiny-embed");
  CHECK(meta["count"] == 3);
  CHECK(meta["normalized"] == true);
  CHECK(meta["items"][0]["text"] == "a red car");
  CHECK(meta["items"][1]["text"] == "a photo of a dog");
  CHECK(meta["items"][1]["token_ids"] == json::array({49406, 320, 1125, 539, 320, 1929, 49407}));
  CHECK(meta["items"][2]["text"] == "the beach");
  const auto npy = read_file(dir / "t.npy");
  REQUIRE(npy.size() == 128 + 3 * 32 * 4);
  const std::vector<float> expected = tiny_text_embedding("tiny-text", "the beach");
  for (std::size_t d = 0; d < 32; ++d) {
    float value;
    std::memcpy(&value, npy.data() + 128 + (2 * 32 + d) * 4, 4);
    CHECK(value == Approx(expected[d]).margin(1e-6));
  }
  const CliResult mixed = run_cli({"embed", (dir / "x").string(), "--text", "a", "-o", (dir / "m.npy").string()});
  CHECK(mixed.exit_code == kExitUsage);
}

TEST_CASE("eval --protocol zero-shot reports accuracy and text-to-image precision as the embeddings give them",
          "[cli][text][eval][model]") {
  require_node_runtime();
  installed_clip_vocabulary();
  TempDir dir;
  make_tree(dir / "photos");
  const CliResult r =
      run_cli({"eval", (dir / "photos").string(), "--protocol", "zero-shot", "--feature", "model:tiny-embed", "-k",
               "1,3", "-o", (dir / "report").string(), "--model-threads", "1", "--json"});
  REQUIRE_CLI_SUCCESS(r);
  const json report = json::parse(read_text_file(dir / "report/zero-shot.json"));
  CHECK(json::parse(r.out) == report);
  CHECK(fs::exists(dir / "report/zero-shot.md"));
  CHECK(report["prompt"] == "a photo of a {}.");
  REQUIRE(report["runs"].size() == 1);
  const json& run = report["runs"][0];
  CHECK(run["text_card"] == "tiny-text");
  CHECK(run["metric"] == "cosine");
  REQUIRE(run["classes"].size() == 3);
  CHECK(run["classes"][2]["label"] == "red_car");
  CHECK(run["classes"][2]["prompt"] == "a photo of a red car.");

  // The same measures from `embed` (images) and `embed --text` (prompts), computed here.
  REQUIRE(run_cli({"embed", (dir / "photos").string(), "--card", "tiny-embed", "-o", (dir / "i.npy").string(),
                   "--model-threads", "1", "-q"})
              .exit_code == 0);
  REQUIRE(run_cli({"embed", "--card", "tiny-text", "--text", "a photo of a beach.", "--text", "a photo of a dog.",
                   "--text", "a photo of a red car.", "-o", (dir / "p.npy").string(), "--model-threads", "1", "-q"})
              .exit_code == 0);
  const auto images = read_file(dir / "i.npy"), prompts = read_file(dir / "p.npy");
  const json image_meta = json::parse(read_text_file(dir / "i.json"));
  const auto row = [](const std::vector<std::uint8_t>& npy, std::size_t r) {
    std::vector<float> v(32);
    std::memcpy(v.data(), npy.data() + 128 + r * 32 * 4, 32 * 4);
    return v;
  };
  const std::vector<std::string> labels = {"beach", "dog", "red_car"};
  std::size_t correct = 0;
  for (std::size_t i = 0; i < 9; ++i) {
    const auto v = row(images, i);
    std::size_t best = 0;
    double best_score = -2;
    for (std::size_t c = 0; c < 3; ++c) {
      const auto p = row(prompts, c);
      double dot = 0;
      for (std::size_t d = 0; d < 32; ++d) dot += double(v[d]) * p[d];
      if (dot > best_score + 1e-9) best_score = dot, best = c;
    }
    correct += labels[best] == image_meta["items"][i]["label"];
  }
  CHECK(run["classification"]["accuracy"].get<double>() == Approx(double(correct) / 9));
  CHECK(run["classification"]["top5_accuracy"].is_null());  // three classes
  CHECK(run["retrieval"]["precision_at"].contains("3"));

  const CliResult classic = run_cli({"eval", (dir / "photos").string(), "--protocol", "zero-shot", "--feature",
                                     "colour", "-o", (dir / "r2").string()});
  CHECK(classic.exit_code == kExitUsage);
  CHECK(classic.err.find("describes images only") != std::string::npos);
}

TEST_CASE("embed --list-cards counts a text tower as installed with its model and its vocabulary only", "[cli][text]") {
  const std::string vocabulary = installed_clip_vocabulary();
  TempDir dir;
  // A card like tiny-text whose vocabulary is nowhere, in a folder of cards of its own.
  std::string card = read_text_file(kModels / "test/tiny-text.json");
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"\"tiny-text\"", "\"no-vocabulary\""},
                                 {"\"bpe_simple_vocab_16e6.txt.gz\"", "\"absent-vocabulary.txt.gz\""}}) {
    const auto at = card.find(from);
    REQUIRE(at != std::string::npos);
    card.replace(at, from.size(), to);
  }
  write_text(dir / "models/no-vocabulary.json", card);
  fs::copy_file(kModels / "test/tiny-text.onnx", dir / "models/tiny-text.onnx");
  ::setenv("LOOKALIKE_MODELS_DIR", (dir / "models").c_str(), 1);
  const CliResult listed = run_cli({"--json", "embed", "--list-cards"});
  ::unsetenv("LOOKALIKE_MODELS_DIR");
  REQUIRE_CLI_SUCCESS(listed);
  json tiny, absent;
  for (const json& c : json::parse(listed.out)) {
    if (c["name"] == "tiny-text") tiny = c;
    if (c["name"] == "no-vocabulary") absent = c;
  }
  REQUIRE(tiny.is_object());
  CHECK(tiny["installed"] == true);
  CHECK(tiny["tokenizer_file"] == vocabulary);
  CHECK_FALSE(tiny.contains("missing"));
  REQUIRE(absent.is_object());
  CHECK(absent["installed"] == false);
  CHECK(absent["model_file"] == fs::canonical(dir / "models/tiny-text.onnx").string());
  CHECK_FALSE(absent.contains("tokenizer_file"));
  REQUIRE(absent["missing"].size() == 1);
  const std::string why = absent["missing"][0];
  CHECK_THAT(why, Catch::Contains("tokenizer file for card no-vocabulary not found"));
  CHECK_THAT(why, Catch::Contains("absent-vocabulary.txt.gz"));
  CHECK_THAT(why, Catch::Contains("Install it with models/fetch.sh no-vocabulary (it downloads https://"));
}
