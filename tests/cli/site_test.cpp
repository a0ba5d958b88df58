// Thumbnails and the collection sidecar's items, built from a manifest: the
// step `lookalike index` runs before its bundles.
#include <catch2/catch.hpp>

#include "cli_test_support.h"
#include "common/files.h"
#include "lookalike/image/decode.h"
#include "prep/prep_run.h"
#include "site/collection_files.h"
#include "site/collection_items.h"
#include "site/thumbnail.h"

using namespace lookalike;
using namespace lookalike::cli;
using namespace lookalike::testing;

TEST_CASE("make_thumbnail fits within the box, keeps the aspect ratio and never enlarges", "[site]") {
  // {width, height} of the 256-pixel thumbnail of a width × height picture
  const auto thumbnail_size = [](int width, int height, std::uint32_t seed) {
    const Image thumbnail = make_thumbnail(distinct_picture(width, height, seed), 256);
    return std::make_pair(thumbnail.width, thumbnail.height);
  };
  CHECK(thumbnail_size(1000, 500, 1) == std::make_pair(256, 128));
  CHECK(thumbnail_size(300, 900, 2) == std::make_pair(85, 256));
  CHECK(thumbnail_size(100, 80, 3) == std::make_pair(100, 80));
  CHECK(thumbnail_size(3000, 2, 4) == std::make_pair(256, 1));
  const auto jpeg = thumbnail_jpeg(distinct_picture(640, 480, 5));
  const auto decoded = decode_image(jpeg.data(), jpeg.size());
  CHECK(decoded.format == ImageFormat::Jpeg);
  CHECK(decoded.image.width == 256);
  CHECK(decoded.image.height == 192);
}

TEST_CASE("collection items from a manifest carry the crawl's attribution", "[site]") {
  TempDir dir;
  write_jpeg(dir / "crawl/beach/111.jpg", distinct_picture(640, 480, 1));
  write_jpeg(dir / "crawl/beach/222.jpg", distinct_picture(300, 400, 2));
  write_jpeg(dir / "crawl/snow/333.jpg", distinct_picture(200, 200, 3));
  write_text(
      dir / "crawl/crawl.jsonl",
      R"({"id":"111","term":"beach","url":"https://live.example/111.jpg","page":"https://www.example/p/111","owner":"Ann","title":"<i>Sun</i>","licence":"CC BY 2.0","licence_url":"https://creativecommons.org/licenses/by/2.0/"})"
      "\n"
      R"j({"id":"222","term":"beach","url":"javascript:alert(1)","owner":"Bob","licence":"CC0"})j"
      "\n");
  const Manifest manifest = prep_quietly(dir / "crawl");
  REQUIRE(manifest.images.size() == 3);

  const CollectionItem first = collection_item(manifest, manifest.images[0], 7);
  CHECK(first.id == 7);
  CHECK(first.label == "beach");
  CHECK(first.thumbnail == "thumbs/7.jpg");
  CHECK(first.width == 640);
  CHECK(first.height == 480);
  CHECK(first.source.path == "beach/111.jpg");
  CHECK(first.source.owner == "Ann");
  CHECK(first.source.title == "<i>Sun</i>");
  CHECK(first.source.licence == "CC BY 2.0");
  CHECK(first.source.page == "https://www.example/p/111");
  CHECK(first.source.licence_url == "https://creativecommons.org/licenses/by/2.0/");
  // A link the page must not follow is dropped; the rest of the attribution stays.
  const CollectionItem second = collection_item(manifest, manifest.images[1], 8);
  CHECK(second.source.url.empty());
  CHECK(second.source.owner == "Bob");
  CHECK(collection_item(manifest, manifest.images[2], 9).label == "snow");

  std::vector<CollectionItem> items{first, second, collection_item(manifest, manifest.images[2], 9)};
  CHECK_THAT(licence_note_for(items), Catch::Contains("CC BY 2.0 (1)") && Catch::Contains("CC0 (1)") &&
                                          Catch::Contains("1 without a known licence"));
  CHECK_THAT(licence_note_for({}), Catch::Contains("No licence"));
}

TEST_CASE("a thumbnail is current while it is not older than its source", "[site]") {
  TempDir dir;
  write_jpeg(dir / "a.jpg", distinct_picture(64, 64, 1));
  CHECK_FALSE(thumbnail_is_current(dir / "a.jpg", dir / "thumbs/0.jpg"));
  write_bytes(dir / "thumbs/0.jpg", thumbnail_jpeg(distinct_picture(64, 64, 1)));
  CHECK(thumbnail_is_current(dir / "a.jpg", dir / "thumbs/0.jpg"));
  fs::last_write_time(dir / "a.jpg", fs::last_write_time(dir / "thumbs/0.jpg") + std::chrono::seconds(5));
  CHECK_FALSE(thumbnail_is_current(dir / "a.jpg", dir / "thumbs/0.jpg"));
}

TEST_CASE("the collection files of a site: the core's JSON, written atomically and registered", "[site]") {
  TempDir dir;
  Collection c;
  c.name = "demo";
  c.title = "Demo photos";
  c.created = "2026-11-27T10:00:00Z";
  c.labels = {"beach"};
  CollectionItem item;
  item.id = 0;
  item.label = "beach";
  item.thumbnail = "thumbs/0.jpg";
  item.source.path = "beach/123.jpg";
  c.items = {item};
  c.bundles = {{"colour:bins=8x4x4", "colour", Metric::L1, "demo.colour.l1.lkx", IndexKind::Flat, ElementType::Float32,
                128, 1, 99}};
  c.models = {{"models/mobilenetv2-int8.json"}};
  c.samples = {{"samples/0.jpg", "beach"}};

  write_collection(dir.path(), c);
  CHECK(fs::exists(dir / "index/demo.json"));
  CHECK(read_text_file(dir / "index/demo.json") == collection_to_json(c));  // the core's text, as is
  CHECK(collection_exists(dir.path(), "demo"));
  CHECK_FALSE(collection_exists(dir.path(), "other"));
  const Collection back = read_collection(dir.path(), "demo");
  CHECK(back.title == "Demo photos");
  REQUIRE(back.samples.size() == 1);
  CHECK(back.samples[0].file == "samples/0.jpg");

  register_collection(dir.path(), c, false);
  Collection other = c;
  other.name = "more";
  other.title = "More";
  register_collection(dir.path(), other, false);
  CollectionList list = read_collection_list(dir.path());
  CHECK(list.default_name == "demo");
  REQUIRE(list.collections.size() == 2);
  CHECK(list.collections[1].file == "more.json");
  other.title = "More, renamed";
  register_collection(dir.path(), other, true);
  list = read_collection_list(dir.path());
  CHECK(list.default_name == "more");
  REQUIRE(list.collections.size() == 2);
  CHECK(list.collections[1].title == "More, renamed");

  CHECK_THROWS_WITH(write_collection(dir.path(), Collection{"../x", {}, {}, {}, {}, {}, {}, {}, {}}),
                    Catch::Contains("collection name"));
  write_text(dir / "index/broken.json", R"({"schema":1,"name":"broken","items":[{"label":"x"}]})");
  CHECK_THROWS_WITH(read_collection(dir.path(), "broken"),
                    Catch::Contains((dir / "index/broken.json").string()) && Catch::Contains("items[0].id is missing"));
}
