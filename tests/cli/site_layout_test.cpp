// How `lookalike index` lays a collection out by its size, run as users run
// it: items in pages (--item-layout) that `query` reads only as it needs
// them, results that link to the photos' own URLs instead of thumbnails
// (--thumbnails), and the kind of each feature's index chosen by the size of
// the bundle the page would download whole (--kind auto), so that a site
// mixes kinds per feature.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

#include "cli_test_support.h"
#include "common/exit_codes.h"
#include "indexing/bundle_settings.h"
#include "lookalike/index/item_pages.h"
#include "site/collection_files.h"

using namespace lookalike;
using namespace lookalike::cli;
using namespace lookalike::testing;
using nlohmann::json;

namespace {

// A crawl of `count` photos in three terms, each with its own URL and attribution
// unless `without_url` names one.
void make_crawl(const fs::path& root, int count, const std::string& without_url = "") {
  const char* terms[] = {"beach", "forest", "city"};
  fs::create_directories(root);
  std::ofstream journal(root / "crawl.jsonl");
  for (int i = 0; i < count; ++i) {
    const std::string term = terms[i % 3], id = std::to_string(1000 + i);
    write_jpeg(root / term / (id + ".jpg"), smooth_picture(96 + (i % 5) * 8, 80, std::uint32_t(i + 1)));
    json record{{"id", id},
                {"term", term},
                {"page", "https://photos.example/p/" + id},
                {"owner", "Owner"},
                {"title", "t"},
                {"licence", "CC BY 2.0"},
                {"url", id == without_url ? "" : "https://img.example/" + id + ".jpg"}};
    journal << record.dump() << "\n";
  }
}

CliResult index_crawl(const fs::path& dir, std::vector<std::string> extra) {
  std::vector<std::string> args{"index",     (dir / "prep").string(),
                                "--site",    (dir / "site").string(),
                                "--name",    "photos",
                                "--feature", "colour",
                                "--metric",  "l1",
                                "-q",        "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_cli(args);
}

void prep(const fs::path& dir) {
  const CliResult r =
      run_cli({"prep", (dir / "crawl").string(), "--out", (dir / "prep").string(), "-q", "--test-fraction", "0"});
  REQUIRE_CLI_SUCCESS(r);
}

// A crawl of `count` photos (make_crawl) in dir/crawl, prepped into dir/prep.
void make_prepped_crawl(const fs::path& dir, int count, const std::string& without_url = "") {
  make_crawl(dir / "crawl", count, without_url);
  prep(dir);
}

json query(const fs::path& site, std::vector<std::string> args) {
  args.insert(args.begin(), {"query", "--site", site.string(), "--json"});
  const CliResult r = run_cli(args);
  REQUIRE_CLI_SUCCESS(r);
  return json::parse(r.out);
}

}  // namespace

TEST_CASE("index --item-layout paged writes pages and label runs that query reads as it needs them",
          "[cli][index][pages]") {
  TempDir dir;
  make_prepped_crawl(dir.path(), 30);
  const fs::path site = dir / "site";
  const CliResult inline_build = index_crawl(dir.path(), {});
  REQUIRE(inline_build.exit_code == 0);
  const json inline_answer = query(site, {"--item", "4", "-k", "6", "--label", "forest"});

  const CliResult paged = index_crawl(dir.path(), {"--item-layout", "paged"});
  REQUIRE_CLI_SUCCESS(paged);
  CHECK(json::parse(paged.out)["item_pages"] == 1);
  const Collection document = read_collection_document(site, "photos");
  REQUIRE(document.item_pages.paged());
  CHECK(document.items.empty());
  CHECK(document.item_count == 30);
  CHECK(fs::is_regular_file(site / "index/photos.items/0.json"));
  CHECK(fs::is_regular_file(site / "index/photos.labels.json"));
  // The whole collection reads back from its pages, as the inline one did.
  const Collection whole = read_collection(site, "photos");
  CHECK(whole.items.size() == 30);
  CHECK(whole.items[3].source.url.rfind("https://img.example/", 0) == 0);

  // query shows the same items and filters by label as with the items inline.
  const json paged_answer = query(site, {"--item", "4", "-k", "6", "--label", "forest"});
  CHECK(paged_answer["results"] == inline_answer["results"]);
  for (const auto& hit : paged_answer["results"]) CHECK(hit["label"] == "forest");

  // A damaged page is named when a result needs it.
  write_text(site / "index/photos.items/0.json", "{\"schema\":1,");
  const CliResult broken = run_cli({"query", "--site", site.string(), "--item", "4"});
  CHECK(broken.exit_code == kExitBadInput);
  CHECK_THAT(broken.err, Catch::Contains("photos.items/0.json: item page 0: not valid JSON"));

  // Back to inline: the pages go.
  REQUIRE(index_crawl(dir.path(), {"--item-layout", "inline"}).exit_code == 0);
  CHECK_FALSE(fs::exists(site / "index/photos.items"));
  CHECK_FALSE(fs::exists(site / "index/photos.labels.json"));
  CHECK(read_collection_document(site, "photos").items.size() == 30);
}

TEST_CASE("index --update of a paged collection keeps ids and pages, adds and removes items", "[cli][index][pages]") {
  TempDir dir;
  make_prepped_crawl(dir.path(), 12);
  const fs::path site = dir / "site";
  REQUIRE(index_crawl(dir.path(), {"--item-layout", "paged"}).exit_code == 0);
  const Collection before = read_collection(site, "photos");
  fs::remove(dir / "crawl/beach/1000.jpg");
  write_jpeg(dir / "crawl/city/2000.jpg", smooth_picture(100, 90, 77));
  prep(dir.path());
  const CliResult updated = index_crawl(dir.path(), {"--update", "--item-layout", "paged"});
  REQUIRE_CLI_SUCCESS(updated);
  const Collection after = read_collection(site, "photos");
  CHECK(after.items.size() == 12);
  CHECK(after.item_pages.paged());
  for (const CollectionItem& item : after.items)
    if (item.source.path != "city/2000.jpg") {
      const auto old = std::find_if(before.items.begin(), before.items.end(),
                                    [&](const CollectionItem& b) { return b.source.path == item.source.path; });
      REQUIRE(old != before.items.end());
      CHECK(old->id == item.id);
    }
}

TEST_CASE("index --thumbnails link shows each photo from its own URL and writes no thumbnails",
          "[cli][index][thumbnails]") {
  TempDir dir;
  make_prepped_crawl(dir.path(), 9);
  const fs::path site = dir / "site";
  const CliResult linked = index_crawl(dir.path(), {"--thumbnails", "link"});
  REQUIRE_CLI_SUCCESS(linked);
  const json summary = json::parse(linked.out);
  CHECK(summary["thumbnails"]["linked"] == true);
  CHECK(summary["thumbnails"]["written"] == 0);
  CHECK_FALSE(fs::exists(site / "thumbs"));
  const Collection c = read_collection(site, "photos");
  for (const CollectionItem& item : c.items) {
    CHECK(item.thumbnail.empty());
    CHECK(item.source.url == "https://img.example/" + fs::path(item.source.path).stem().string() + ".jpg");
  }
  // An update keeps linking (auto keeps the collection's choice), without decoding kept photos again.
  const CliResult again = index_crawl(dir.path(), {"--update"});
  REQUIRE(again.exit_code == 0);
  CHECK(json::parse(again.out)["thumbnails"]["linked"] == true);
  CHECK(json::parse(again.out)["kept"] == 9);
  // Writing thumbnails again brings them back.
  REQUIRE(index_crawl(dir.path(), {"--update", "--thumbnails", "write"}).exit_code == 0);
  CHECK(fs::is_regular_file(site / read_collection(site, "photos").items[0].thumbnail));
}

TEST_CASE("index --thumbnails link refuses photos without a URL of their own, naming one", "[cli][index][thumbnails]") {
  TempDir dir;
  make_prepped_crawl(dir.path(), 6, "1004");
  const CliResult r = index_crawl(dir.path(), {"--thumbnails", "link"});
  CHECK(r.exit_code == kExitUsage);
  CHECK_THAT(r.err, Catch::Contains("1 of the 6 images have no URL of their own (e.g. forest/1004.jpg)"));
  CHECK_FALSE(fs::exists(dir / "site/index"));
}

TEST_CASE("index --kind auto chooses each feature's index by the size of the bundle the page would download whole",
          "[cli][index][kind]") {
  const auto kind = [](std::size_t items, std::size_t dim, std::optional<ElementType> element = std::nullopt) {
    return resolve_kind(KindChoice::Auto, element, items, dim);
  };
  CHECK(kind(1000, 512).kind == IndexKind::Flat);
  CHECK(kind(1000, 512).element == ElementType::Float32);
  CHECK(kind(10000, 512).kind == IndexKind::Flat);         // 20 MB
  CHECK(kind(12000, 512).kind == IndexKind::Hnsw);         // 26 MB with its graph
  CHECK(kind(20000, 512).kind == IndexKind::Partitioned);  // 44 MB
  CHECK(kind(20000, 512).element == ElementType::Int8);
  CHECK(kind(20000, 128).kind == IndexKind::Hnsw);  // colour at the same size: 13 MB
  CHECK(kind(40000, 512, ElementType::Int8).kind == IndexKind::Hnsw);
  CHECK(kind(60000, 512, ElementType::Int8).kind == IndexKind::Partitioned);
  CHECK(kind(60000, 512, ElementType::Float32).kind == IndexKind::Hnsw);  // float32 asked for: never partitioned
  CHECK(resolve_kind(KindChoice::Flat, std::nullopt, 100000, 512).kind == IndexKind::Flat);
  CHECK_THROWS_WITH(resolve_kind(KindChoice::Partitioned, ElementType::Float32, 10, 8),
                    Catch::Contains("a partitioned index stores int8 vectors"));
  CHECK(whole_bundle_bytes(IndexKind::Flat, ElementType::Float32, 1000, 512) == 1000 * (4 + 2048));
}

TEST_CASE("a site mixes kinds per feature: small vectors whole, large ones partitioned", "[cli][index][kind]") {
  TempDir dir;
  for (int i = 0; i < 180; ++i)
    write_png(dir / "photos" / (std::string(i % 2 ? "odd" : "even")) / (std::to_string(i) + ".png"),
              smooth_picture(64 + i % 7, 64, std::uint32_t(i + 1)));
  const fs::path site = dir / "site";
  // pixels:size=128 is 49 152 floats, 197 kB an image: 35 MB for 180, over what a page downloads whole.
  const CliResult r = run_cli({"index", (dir / "photos").string(), "--site", site.string(), "--name", "mixed",
                               "--feature", "colour", "--feature", "pixels:size=128", "--metric", "l2", "-q"});
  REQUIRE_CLI_SUCCESS(r);
  const Collection c = read_collection(site, "mixed");
  REQUIRE(c.bundles.size() == 2);
  for (const CollectionBundle& b : c.bundles) {
    CHECK(b.kind == (b.slug == "colour" ? IndexKind::Flat : IndexKind::Partitioned));
    CHECK(b.count == 180);
  }
  // Both answer through query, each by its own kind.
  CHECK(query(site, {"--item", "3", "--feature", "colour"})["kind"] == "flat");
  const json partitioned = query(site, {"--item", "3", "--feature", "pixels:size=128"});
  CHECK(partitioned["kind"] == "partitioned");
  CHECK(partitioned["results"].size() == 10);
}
