// Thumbnails and the collection sidecar's items, built from a manifest: the
// step `lookalike index` runs before its bundles.
#include <catch2/catch.hpp>

#include "cli_test_support.h"
#include "common/files.h"
#include "image/decode.h"
#include "prep/prep_run.h"
#include "site/collection_items.h"
#include "site/collection_sidecar.h"
#include "site/thumbnail.h"

using namespace lookalike;
using namespace lookalike::cli;
using namespace lookalike::testing;

TEST_CASE("make_thumbnail fits within the box, keeps the aspect ratio and never enlarges", "[site]") {
  const Image wide = make_thumbnail(distinct_picture(1000, 500, 1), 256);
  CHECK(wide.width == 256);
  CHECK(wide.height == 128);
  const Image tall = make_thumbnail(distinct_picture(300, 900, 2), 256);
  CHECK(tall.width == 85);
  CHECK(tall.height == 256);
  const Image small = make_thumbnail(distinct_picture(100, 80, 3), 256);
  CHECK(small.width == 100);
  CHECK(small.height == 80);
  const Image sliver = make_thumbnail(distinct_picture(3000, 2, 4), 256);
  CHECK(sliver.width == 256);
  CHECK(sliver.height == 1);
  const auto jpeg = thumbnail_jpeg(distinct_picture(640, 480, 5));
  const auto decoded = decode_image(jpeg.data(), jpeg.size());
  CHECK(decoded.format == ImageFormat::Jpeg);
  CHECK(decoded.image.width == 256);
  CHECK(decoded.image.height == 192);
}

TEST_CASE("collection items and thumbnails from a manifest", "[site]") {
  TempDir dir;
  write_jpeg(dir / "crawl/beach/111.jpg", distinct_picture(640, 480, 1));
  write_jpeg(dir / "crawl/beach/222.jpg", distinct_picture(300, 400, 2));
  write_jpeg(dir / "crawl/snow/333.jpg", distinct_picture(200, 200, 3));
  write_text(dir / "crawl/crawl.jsonl",
             R"({"id":"111","term":"beach","url":"https://live.example/111.jpg","page":"https://www.example/p/111","owner":"Ann","title":"<i>Sun</i>","licence":"CC BY 2.0","licence_url":"https://creativecommons.org/licenses/by/2.0/"})"
             "\n");
  PrepOptions prep;
  prep.sources = {dir / "crawl"};
  prep.show_progress = false;
  const Manifest manifest = run_prep(prep).manifest;
  REQUIRE(manifest.images.size() == 3);

  const fs::path site = dir / "site";
  CollectionItemsOptions options;
  options.show_progress = false;
  const CollectionItemsResult result = build_collection_items(manifest, site, options);
  REQUIRE(result.items.size() == 3);
  CHECK(result.failures.empty());
  CHECK(result.written == 3);
  const CollectionItem& first = result.items[0];
  CHECK(first.id == 0);
  CHECK(first.label == "beach");
  CHECK(first.thumbnail == "thumbs/0.jpg");
  CHECK(first.width == 640);
  CHECK(first.height == 480);
  CHECK(first.source.path == "beach/111.jpg");
  CHECK(first.source.owner == "Ann");
  CHECK(first.source.title == "<i>Sun</i>");
  CHECK(first.source.licence == "CC BY 2.0");
  CHECK(first.source.licence_url == "https://creativecommons.org/licenses/by/2.0/");
  CHECK(result.items[2].label == "snow");
  for (const auto& item : result.items) {
    const auto bytes = read_file(site / item.thumbnail);
    const auto decoded = decode_image(bytes.data(), bytes.size());
    CHECK(std::max(decoded.image.width, decoded.image.height) <= 256);
  }
  CHECK(decode_image(read_file(site / "thumbs/1.jpg").data(), read_file(site / "thumbs/1.jpg").size()).image.height == 256);

  // Updates keep ids and reuse thumbnails newer than their source.
  options.ids = {7, 8, 9};
  options.reuse_existing = true;
  build_collection_items(manifest, site, options);
  const CollectionItemsResult again = build_collection_items(manifest, site, options);
  CHECK(again.items[1].id == 8);
  CHECK(again.items[1].thumbnail == "thumbs/8.jpg");
  CHECK(again.reused == 3);
  CHECK(again.written == 0);

  // A source that vanished since prep is left out and named.
  fs::remove(dir / "crawl/snow/333.jpg");
  options.ids.clear();
  options.reuse_existing = false;
  const CollectionItemsResult partial = build_collection_items(manifest, site, options);
  CHECK(partial.items.size() == 2);
  CHECK(partial.manifest_indices == std::vector<std::size_t>{0, 1});
  REQUIRE(partial.failures.size() == 1);
  CHECK_THAT(partial.failures[0], Catch::Contains("snow/333.jpg"));

  CHECK_THAT(licence_note_for(result.items), Catch::Contains("CC BY 2.0 (1)") && Catch::Contains("2 without a known licence"));
  CHECK_THAT(licence_note_for({}), Catch::Contains("No licence"));
}

TEST_CASE("the collection sidecar has the agreed shape and round-trips", "[site]") {
  TempDir dir;
  Collection c;
  c.name = "demo";
  c.title = "Demo photos";
  c.created = "2026-11-27T10:00:00Z";
  c.licence_note = "note";
  c.labels = {"beach", "mountain"};
  CollectionItem item;
  item.id = 0;
  item.label = "beach";
  item.thumbnail = "thumbs/0.jpg";
  item.width = 640;
  item.height = 480;
  item.source.path = "beach/123.jpg";
  item.source.url = "https://live.example/123.jpg";
  item.source.owner = "Ann";
  item.source.licence = "CC BY 2.0";
  c.items = {item};
  c.bundles = {{"colour:bins=8x4x4", "colour", "l1", "demo.colour.l1.lkx", "hnsw", "float32", 128, 1000, 123456}};
  c.models = {{"models/mobilenetv2-int8.json"}};

  const auto j = collection_to_json(c);
  CHECK(j["schema"] == 1);
  CHECK(j["name"] == "demo");
  CHECK(j["labels"] == nlohmann::json::array({"beach", "mountain"}));
  CHECK(j["items"][0]["id"] == 0);
  CHECK(j["items"][0]["thumbnail"] == "thumbs/0.jpg");
  CHECK(j["items"][0]["source"]["path"] == "beach/123.jpg");
  CHECK_FALSE(j["items"][0]["source"].contains("page"));  // unknown fields are left out
  CHECK(j["bundles"][0]["file"] == "demo.colour.l1.lkx");
  CHECK(j["bundles"][0]["dim"] == 128);
  CHECK(j["models"][0]["card"] == "models/mobilenetv2-int8.json");

  write_collection(dir.path(), c);
  CHECK(fs::exists(dir / "index/demo.json"));
  const Collection back = read_collection(dir.path(), "demo");
  CHECK(back.title == "Demo photos");
  REQUIRE(back.items.size() == 1);
  CHECK(back.items[0].source.owner == "Ann");
  REQUIRE(back.bundles.size() == 1);
  CHECK(back.bundles[0].bytes == 123456);

  register_collection(dir.path(), c, false);
  Collection other = c;
  other.name = "more";
  other.title = "More";
  register_collection(dir.path(), other, false);
  auto list = nlohmann::json::parse(read_text_file(dir / "index/collections.json"));
  CHECK(list["schema"] == 1);
  CHECK(list["default"] == "demo");
  REQUIRE(list["collections"].size() == 2);
  CHECK(list["collections"][1]["file"] == "more.json");
  other.title = "More, renamed";
  register_collection(dir.path(), other, true);
  list = nlohmann::json::parse(read_text_file(dir / "index/collections.json"));
  CHECK(list["default"] == "more");
  CHECK(list["collections"].size() == 2);
  CHECK(list["collections"][1]["title"] == "More, renamed");

  CHECK_THROWS_WITH(check_collection_name("../x"), Catch::Contains("lowercase letters"));
  CHECK_THROWS(check_collection_name(""));
  CHECK_THROWS(check_collection_name("Demo"));
  CHECK_NOTHROW(check_collection_name("demo-2_b"));
  write_text(dir / "index/broken.json", R"({"schema":1,"name":"broken","items":[{"label":"x"}]})");
  CHECK_THROWS_WITH(read_collection(dir.path(), "broken"), Catch::Contains("items[0]") && Catch::Contains("\"id\""));
}
