// `index`, `query` and `eval` with a learned feature: the committed tiny model
// (models/test/tiny-embed.json) through the Node worker. Skipped with a
// message when Node.js or onnxruntime-node is missing.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli_test_support.h"
#include "common/exit_codes.h"
#include "common/files.h"
#include "embed/model_embedder.h"
#include "embed/node_runtime.h"
#include "lookalike/common/error.h"
#include "lookalike/image/decode.h"
#include "lookalike/index/vector_index.h"
#include "site/collection_files.h"
#include "support/skip.h"

using namespace lookalike;
using namespace lookalike::cli;
using namespace lookalike::testing;
using nlohmann::json;

namespace {

const fs::path kTinyCard = fs::path(LOOKALIKE_SOURCE_DIR) / "models/test/tiny-embed.json";

void make_tree(const fs::path& root) { write_smooth_tree(root, {"a", "b"}, 4, 200, 10, 150, 40); }

}  // namespace

TEST_CASE("index with a model card writes a model bundle and the card with its file into site/models",
          "[cli][index][model]") {
  require_node_runtime();
  TempDir dir;
  make_tree(dir / "photos");
  const fs::path site = dir / "site";
  const CliResult built = run_cli({"index", (dir / "photos").string(), "--site", site.string(), "--name", "m",
                                   "--feature", "model:" + kTinyCard.string(), "--feature", "colour", "--metric",
                                   "cosine,l2", "--model-threads", "1", "--json", "-q", "--no-text"});
  REQUIRE_CLI_SUCCESS(built);
  // The image card alone: that its text tower (models/test/tiny-text.json) comes along without --no-text,
  // once CLIP's vocabulary is installed, is tests/cli/text_query_test.cpp's.
  CHECK(json::parse(built.out)["models"] == json::array({"models/tiny-embed.json"}));

  const Collection c = read_collection(site, "m");
  REQUIRE(c.bundles.size() == 4);
  CHECK(c.bundles[0].feature == "model:tiny-embed");
  CHECK(c.bundles[0].file == "m.model-tiny-embed.cosine.lkx");
  CHECK(c.bundles[0].dim == 32);
  REQUIRE(c.models.size() == 1);
  CHECK(c.models[0].card == "models/tiny-embed.json");
  // The card as it is, and its file where the card says (relative to the card).
  CHECK(read_file(site / "models/tiny-embed.json") == read_file(kTinyCard));
  CHECK(read_file(site / "models/tiny-embed.onnx") == read_file(kTinyCard.parent_path() / "tiny-embed.onnx"));

  // query embeds the image with the site's card and searches the bundle: the
  // same as doing both here.
  const fs::path image = dir / "photos/b/2.jpg";
  const CliResult q = run_cli({"query", image.string(), "--site", site.string(), "--feature", "model:tiny-embed",
                               "--metric", "cosine", "-k", "5", "--model-threads", "1", "--json"});
  REQUIRE_CLI_SUCCESS(q);
  const json results = json::parse(q.out)["results"];
  ModelEmbedderOptions options;
  options.batch_size = 1;
  options.model_threads = 1;
  ModelEmbedder embedder = ModelEmbedder::open((site / "models/tiny-embed.json").string(), options);
  const auto bytes = read_file(image);
  const std::vector<float> v = embedder.embed(decode_image(bytes.data(), bytes.size()).image);
  const auto bundle_bytes = read_file(site / "index" / c.bundles[0].file);
  const VectorIndex index = VectorIndex::load(bundle_bytes.data(), bundle_bytes.size());
  const auto expected = index.search(v.data(), SearchOptions{5, 0, {}});
  REQUIRE(results.size() == expected.size());
  for (std::size_t r = 0; r < expected.size(); ++r) {
    CHECK(results[r]["id"] == expected[r].id);
    CHECK(results[r]["score"].get<float>() == expected[r].score);
  }
  CHECK(results[0]["source"]["path"] == "b/2.jpg");
  CHECK(results[0]["score"].get<float>() == Approx(1.0).margin(1e-4));  // itself (indexed in a batch)

  // An update embeds only the new image, with the site's copy of the model.
  write_jpeg(dir / "photos/b/new.jpg", smooth_picture(220, 180, 99));
  const CliResult updated = run_cli({"index", (dir / "photos").string(), "--site", site.string(), "--name", "m",
                                     "--update", "--model-threads", "1", "--json", "-q"});
  REQUIRE_CLI_SUCCESS(updated);
  CHECK(json::parse(updated.out)["added"] == 1);
  const CliResult found =
      run_cli({"query", (dir / "photos/b/new.jpg").string(), "--site", site.string(), "-k", "1", "--json"});
  REQUIRE(found.exit_code == 0);
  const json top = json::parse(found.out);
  CHECK(top["feature"] == "model:tiny-embed");  // the page's default: the model
  CHECK(top["results"][0]["source"]["path"] == "b/new.jpg");
}

TEST_CASE("eval takes a model feature, exact and HNSW", "[cli][eval][model]") {
  require_node_runtime();
  TempDir dir;
  make_tree(dir / "photos");
  const CliResult r =
      run_cli({"eval", (dir / "photos").string(), "--feature", "model:tiny-embed", "--metric", "cosine", "--k", "1,3",
               "--search", "exact,hnsw", "--model-threads", "1", "--out", (dir / "reports").string(), "--json", "-q"});
  REQUIRE_CLI_SUCCESS(r);
  const json report = json::parse(r.out);
  REQUIRE(report["runs"].size() == 2);
  CHECK(report["runs"][0]["feature"] == "model:tiny-embed");
  CHECK(report["runs"][0]["dim"] == 32);
  CHECK(report["runs"][1]["search"]["kind"] == "hnsw");
  CHECK(report["runs"][1]["recall_vs_exact"] == 1.0);  // 8 images: the graph search sees them all
  CHECK(report["runs"][1]["precision"] == report["runs"][0]["precision"]);

  const CliResult unknown = run_cli({"eval", (dir / "photos").string(), "--feature", "model:no-such-card"});
  CHECK(unknown.exit_code == kExitUsage);
  CHECK_THAT(unknown.err, Catch::Contains("no-such-card"));
}
