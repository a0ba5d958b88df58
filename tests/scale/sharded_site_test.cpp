// A sharded embedding job end to end with the committed tiny model: three
// shards of `embed`, merged by `index SHARDS_DIR`, give the site one
// `index` run gives (duplicates across shards and unusable images decided
// the same way); reruns, missing shards and damaged shards.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>

#include "../cli/cli_test_support.h"
#include "common/files.h"
#include "support/skip.h"

using namespace lookalike;
using namespace lookalike::cli;
using namespace lookalike::testing;
using nlohmann::json;

namespace {

const std::string kTinyCard = (fs::path(LOOKALIKE_SOURCE_DIR) / "models/test/tiny-embed.json").string();

// Two labels, an exact copy of one picture under the other label, a
// brightened near copy, a corrupt file and one too small for prep.
void make_sources(const fs::path& root) {
  for (int l = 0; l < 2; ++l)
    for (int i = 0; i < 6; ++i)
      write_jpeg(root / (l ? "b" : "a") / (std::to_string(i) + ".jpg"),
                 smooth_picture(160 + 8 * i, 120, std::uint32_t(70 + 10 * l + i)));
  write_bytes(root / "b/copy-of-a3.jpg", read_file(root / "a/3.jpg"));
  write_png(root / "b/near-a1.png", brightened(smooth_picture(168, 120, 71), 3));
  write_bytes(root / "a/broken.jpg", {0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F'});
  write_jpeg(root / "a/tiny.jpg", smooth_picture(40, 30, 99));
  // Large enough to be decoded reduced for the model and the thumbnail.
  write_jpeg(root / "b/large.jpg", smooth_picture(2400, 1600, 123));
}

CliResult embed_shard(const fs::path& sources, const fs::path& out, const std::string& shard) {
  return run_cli({"embed", sources.string(), "--card", kTinyCard, "-o", out.string(), "--shard", shard,
                  "--model-threads", "1", "--checkpoint", "4"});
}

CliResult index_site(const fs::path& input, const fs::path& site) {
  return run_cli({"index", input.string(), "--site", site.string(), "--feature", "model:" + kTinyCard, "--reproducible",
                  "--model-threads", "1", "-q"});
}

}  // namespace

TEST_CASE("three shards merged give the site of one run over the same images", "[scale][merge]") {
  require_node_runtime();
  ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  TempDir dir;
  make_sources(dir / "photos");
  const CliResult single = index_site(dir / "photos", dir / "single");
  INFO(single.err);
  REQUIRE(single.exit_code == 0);

  std::size_t embedded = 0, rejected = 0;
  for (int i = 0; i < 3; ++i) {
    const CliResult r = embed_shard(dir / "photos", dir / "shards", std::to_string(i) + "/3");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json done =
        json::parse(read_text_file(dir / ("shards/shard-0000" + std::to_string(i) + "-of-00003/done.json")));
    embedded += done["counts"]["rows"].get<std::size_t>();
    rejected += done["counts"]["rejected"].get<std::size_t>();
  }
  // Every image in exactly one shard; duplicates are still there (decided at merge).
  CHECK(embedded == 15);
  CHECK(rejected == 2);

  const auto before = snapshot_tree(dir / "shards");
  const CliResult again = embed_shard(dir / "photos", dir / "shards", "1/3");
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::Contains("already done"));
  CHECK(snapshot_tree(dir / "shards") == before);

  const CliResult merged = index_site(dir / "shards", dir / "merged");
  INFO(merged.err);
  REQUIRE(merged.exit_code == 0);
  CHECK(snapshot_tree(dir / "merged/index") == snapshot_tree(dir / "single/index"));
  CHECK(snapshot_tree(dir / "merged/thumbs") == snapshot_tree(dir / "single/thumbs"));
  const json collection = json::parse(read_text_file(dir / "merged/index/photos.json"));
  CHECK(collection["items"].size() == 13);  // 15 usable, one exact and one near duplicate set aside
}

TEST_CASE("the merge refuses missing, unfinished and damaged shards, naming them", "[scale][merge]") {
  require_node_runtime();
  TempDir dir;
  make_sources(dir / "photos");
  for (int i = 0; i < 3; i += 2)
    REQUIRE(embed_shard(dir / "photos", dir / "shards", std::to_string(i) + "/3").exit_code == 0);

  CliResult r = index_site(dir / "shards", dir / "site");
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.err, Catch::Contains("shard-00001-of-00003 is missing: run shard 1/3"));
  CHECK_FALSE(fs::exists(dir / "site/index"));

  REQUIRE(embed_shard(dir / "photos", dir / "shards", "1/3").exit_code == 0);
  const fs::path npy = dir / "shards/shard-00001-of-00003/embeddings.npy";
  std::vector<std::uint8_t> bytes = read_file(npy);
  bytes.resize(bytes.size() - 4);
  write_bytes(npy, bytes);
  r = index_site(dir / "shards", dir / "site");
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.err, Catch::Contains("shard-00001-of-00003/embeddings.npy is not the float32"));

  fs::remove(dir / "shards/shard-00002-of-00003/done.json");
  r = index_site(dir / "shards", dir / "site");
  CHECK_THAT(r.err, Catch::Contains("shard-00002-of-00003 has not finished (no done.json)"));

  fs::create_directories(dir / "shards/shard-00000-of-00002");
  r = index_site(dir / "shards", dir / "site");
  CHECK_THAT(r.err, Catch::Contains("mixes shard folders of different shard counts"));
  CHECK_FALSE(fs::exists(dir / "site/index"));
}

TEST_CASE("embed --shard checks its arguments before any work", "[scale][shard]") {
  TempDir dir;
  CliResult r =
      run_cli({"embed", dir.path().string(), "--card", kTinyCard, "-o", (dir / "x.npy").string(), "--shard", "0/2"});
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.err, Catch::Contains("--out names a folder"));
  r = run_cli({"embed", dir.path().string(), "--card", kTinyCard, "-o", (dir / "out").string(), "--shard", "2/2"});
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.err, Catch::Contains("does not exist among 2"));
}

TEST_CASE("prep shards merge into the manifest one prep run writes, and index as the images do", "[scale][prep]") {
  TempDir dir;
  make_sources(dir / "photos");
  REQUIRE(run_cli({"prep", (dir / "photos").string(), "--out", (dir / "single").string(), "-q"}).exit_code == 0);
  for (int i = 0; i < 2; ++i) {
    const CliResult r = run_cli(
        {"prep", (dir / "photos").string(), "--out", (dir / "shards").string(), "--shard", std::to_string(i) + "/2"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("duplicates are decided when the shards are merged"));
  }
  const CliResult merged = run_cli({"prep", (dir / "shards").string(), "--out", (dir / "merged").string(), "-q"});
  INFO(merged.err);
  REQUIRE(merged.exit_code == 0);
  json a = json::parse(read_text_file(dir / "single/manifest.json"));
  json b = json::parse(read_text_file(dir / "merged/manifest.json"));
  a.erase("created");
  b.erase("created");
  CHECK(a == b);
  CHECK(b["duplicates"].size() == 2);

  ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  for (const auto& [input, site] : {std::pair{"photos", "site-a"}, std::pair{"shards", "site-b"}})
    REQUIRE(run_cli({"index", (dir / input).string(), "--site", (dir / site).string(), "--name", "p", "--feature",
                     "colour", "--reproducible", "-q"})
                .exit_code == 0);
  CHECK(snapshot_tree(dir / "site-a/index") == snapshot_tree(dir / "site-b/index"));
}
