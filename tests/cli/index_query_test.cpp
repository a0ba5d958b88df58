// `lookalike index` and `lookalike query` as users run them, on image trees
// the tests make: the site's files, query answers against the core's exact
// search (flat bundles) and against the bundle's own VectorIndex search
// (HNSW), updates that keep ids, and clear errors for damaged bundles.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "cli_test_support.h"
#include "common/exit_codes.h"
#include "common/files.h"
#include "lookalike/features/feature.h"
#include "lookalike/image/decode.h"
#include "lookalike/index/vector_index.h"
#include "lookalike/search/exact_search.h"
#include "site/collection_files.h"
#include "support/test_images.h"

using namespace lookalike;
using namespace lookalike::cli;
using namespace lookalike::testing;
using nlohmann::json;

namespace {

// Three labels, four pictures each: smooth blobs whose colours differ per picture.
void make_tree(const fs::path& root) { write_smooth_tree(root, {"beach", "forest", "city"}, 4, 160, 16, 120, 1); }

std::vector<float> feature_of(const fs::path& file, const std::string& spec) {
  const auto bytes = read_file(file);
  return make_feature(spec)->compute(decode_image(bytes.data(), bytes.size()).image);
}

std::vector<Hit> hits_of(const json& results) {
  std::vector<Hit> hits;
  for (const auto& r : results) hits.push_back({r["id"].get<std::uint32_t>(), r["score"].get<float>()});
  return hits;
}

// `lookalike query … --json`, its results as hits.
std::vector<Hit> query(std::vector<std::string> args) {
  args.insert(args.begin(), "query");
  args.push_back("--json");
  const CliResult r = run_cli(args);
  REQUIRE_CLI_SUCCESS(r);
  return hits_of(json::parse(r.out)["results"]);
}

// Item id by source path.
std::map<std::string, std::uint32_t> ids_by_path(const Collection& c) {
  std::map<std::string, std::uint32_t> ids;
  for (const auto& item : c.items) ids[item.source.path] = item.id;
  return ids;
}

void require_one_error_line(const CliResult& r, const std::string& needle) {
  INFO("stderr: " << r.err);
  const auto lines = lines_of(r.err);
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0], Catch::StartsWith("lookalike: error: ") && Catch::Contains(needle));
}

}  // namespace

TEST_CASE("index writes the site, and query with a flat bundle gives the core's exact search", "[cli][index]") {
  TempDir dir;
  make_tree(dir / "photos");
  const fs::path site = dir / "site";
  const CliResult built = run_cli({"index", (dir / "photos").string(), "--site", site.string(), "--name", "t",
                                   "--title", "Test <b>photos</b>", "--feature", "colour", "--feature",
                                   "colour-texture", "--metric", "l1,cosine", "--samples", "4", "--json", "-q"});
  REQUIRE_CLI_SUCCESS(built);
  const json summary = json::parse(built.out);
  CHECK(summary["items"] == 12);
  CHECK(summary["bundles"].size() == 4);
  CHECK(summary["thumbnails"]["written"] == 12);
  CHECK(summary["samples"] == 4);

  const Collection c = read_collection(site, "t");
  CHECK(c.title == "Test <b>photos</b>");
  CHECK(c.labels == std::vector<std::string>{"beach", "city", "forest"});
  REQUIRE(c.items.size() == 12);
  REQUIRE(c.bundles.size() == 4);
  for (const auto& b : c.bundles) {
    CHECK(b.kind == IndexKind::Flat);  // auto, for 12 items
    CHECK(b.count == 12);
    CHECK(fs::file_size(site / "index" / b.file) == b.bytes);
  }
  CHECK(c.bundles[0].file == "t.colour.l1.lkx");
  CHECK(c.bundles[3].file == "t.colour-texture.cosine.lkx");
  for (const auto& item : c.items) {
    const auto bytes = read_file(site / item.thumbnail);
    const auto thumb = decode_image(bytes.data(), bytes.size()).image;
    CHECK(std::max(thumb.width, thumb.height) <= 256);
  }
  REQUIRE(c.samples.size() == 4);
  std::set<std::string> sample_labels;
  for (const auto& s : c.samples) {
    CHECK(fs::exists(site / s.file));
    for (const auto& item : c.items)
      if ("samples/" + std::to_string(item.id) + ".jpg" == s.file) sample_labels.insert(item.label);
  }
  CHECK(sample_labels.size() == 3);  // spread over the labels
  const CollectionList list = read_collection_list(site);
  CHECK(list.default_name == "t");

  // The core's exact search over the same features, item ids in sidecar order.
  for (const std::string spec : {"colour:bins=8x4x4", "colour-texture"}) {
    const std::size_t dim = make_feature(spec)->dim();
    std::vector<float> matrix;
    std::vector<std::uint32_t> ids;
    for (const auto& item : c.items) {
      const auto v = feature_of(dir / "photos" / item.source.path, spec);
      matrix.insert(matrix.end(), v.begin(), v.end());
      ids.push_back(item.id);
    }
    ExactSearchOptions exact_options;
    exact_options.ids = &ids;
    for (const Metric metric : {Metric::L1, Metric::Cosine}) {
      for (const std::string query_file : {"beach/2.jpg", "city/0.jpg"}) {
        INFO(spec << " " << metric_name(metric) << " " << query_file);
        const auto q = feature_of(dir / "photos" / query_file, spec);
        const auto expected = exact_search(metric, q.data(), matrix.data(), ids.size(), dim, 5, exact_options);
        const auto got = query({(dir / "photos" / query_file).string(), "--site", site.string(), "--feature", spec,
                                "--metric", metric_name(metric), "-k", "5"});
        REQUIRE(got.size() == 5);
        CHECK(got[0].id == ids_by_path(c).at(query_file));
        for (std::size_t r = 0; r < 5; ++r) {
          CHECK(got[r].id == expected[r].id);
          CHECK(got[r].score == Approx(expected[r].score).margin(1e-6));
        }
      }
    }
  }

  // Text output: rank, id, score, label, thumbnail, source.
  const CliResult text = run_cli({"query", (dir / "photos/forest/1.jpg").string(), "--site", site.string(), "--feature",
                                  "colour", "--metric", "l1", "-k", "2"});
  REQUIRE(text.exit_code == 0);
  const auto lines = lines_of(text.out);
  REQUIRE(lines.size() == 3);
  CHECK_THAT(lines[0], Catch::Matches("rank +id +score +label +thumbnail +source"));
  CHECK_THAT(lines[1], Catch::Matches(" *1 +" + std::to_string(ids_by_path(c).at("forest/1.jpg")) +
                                      " +0\\.000000 +forest +.*thumbs/\\d+\\.jpg +forest/1\\.jpg"));

  // Defaults as the page's: colour-texture (the strongest classic feature), cosine.
  const CliResult defaults =
      run_cli({"query", (dir / "photos/forest/1.jpg").string(), "--site", site.string(), "--json"});
  REQUIRE(defaults.exit_code == 0);
  CHECK(json::parse(defaults.out)["feature"] == "colour-texture");
  CHECK(json::parse(defaults.out)["metric"] == "cosine");
}

TEST_CASE("query on an HNSW bundle gives the bundle's own search: image, label filter, more like this",
          "[cli][index]") {
  TempDir dir;
  make_tree(dir / "photos");
  const fs::path site = dir / "site";
  const CliResult built = run_cli({"index",
                                   (dir / "photos").string(),
                                   "--site",
                                   site.string(),
                                   "--name",
                                   "h",
                                   "--feature",
                                   "colour-texture",
                                   "--metric",
                                   "l2",
                                   "--kind",
                                   "hnsw",
                                   "--m",
                                   "4",
                                   "--ef-construction",
                                   "20",
                                   "--ef-search",
                                   "8",
                                   "--element",
                                   "int8",
                                   "-q"});
  REQUIRE_CLI_SUCCESS(built);
  const Collection c = read_collection(site, "h");
  REQUIRE(c.bundles.size() == 1);
  CHECK(c.bundles[0].kind == IndexKind::Hnsw);
  CHECK(c.bundles[0].element == ElementType::Int8);
  const auto bytes = read_file(site / "index" / c.bundles[0].file);
  const VectorIndex index = VectorIndex::load(bytes.data(), bytes.size());
  CHECK(index.config().hnsw.m == 4);
  CHECK(index.config().hnsw.ef_search == 8);

  const fs::path query_file = dir / "photos/beach/3.jpg";
  const auto q = feature_of(query_file, "colour-texture");
  const auto compare = [](const std::vector<Hit>& got, const std::vector<Hit>& expected) {
    REQUIRE(got.size() == expected.size());
    for (std::size_t r = 0; r < got.size(); ++r) {
      CHECK(got[r].id == expected[r].id);
      CHECK(got[r].score == expected[r].score);
    }
  };
  SearchOptions options;
  options.k = 6;
  compare(query({query_file.string(), "--site", site.string(), "-k", "6"}), index.search(q.data(), options));
  options.ef = 3;
  compare(query({query_file.string(), "--site", site.string(), "-k", "6", "--ef", "3"}),
          index.search(q.data(), options));
  options.ef = 0;

  std::map<std::uint32_t, std::string> label_of;
  for (const auto& item : c.items) label_of[item.id] = item.label;
  options.accept = [&](std::uint32_t id) { return label_of[id] == "city"; };
  const auto city = query({query_file.string(), "--site", site.string(), "-k", "6", "--label", "city"});
  compare(city, index.search(q.data(), options));
  CHECK(city.size() == 4);
  for (const auto& h : city) CHECK(label_of[h.id] == "city");
  options.accept = nullptr;

  const std::uint32_t item = ids_by_path(c).at("forest/2.jpg");
  const auto more = query({"--item", std::to_string(item), "--site", site.string(), "-k", "5"});
  options.k = 5;
  compare(more, index.search_by_id(item, options));
  for (const auto& h : more) CHECK(h.id != item);

  // The bundle file on its own: the same answer.
  compare(query({query_file.string(), "--index", (site / "index" / c.bundles[0].file).string(), "-k", "6"}),
          index.search(q.data(), SearchOptions{6, 0, {}}));

  const CliResult no_label = run_cli({"query", query_file.string(), "--site", site.string(), "--label", "desert"});
  CHECK(no_label.exit_code == kExitUsage);
  require_one_error_line(no_label, "no label \"desert\" (it has: beach, city, forest)");
  const CliResult no_feature = run_cli({"query", query_file.string(), "--site", site.string(), "--feature", "colour"});
  CHECK(no_feature.exit_code == kExitUsage);
  require_one_error_line(no_feature, "has no bundles for feature colour (it has: colour-texture)");
}

TEST_CASE("index --update adds and removes images, keeps ids and thumbnails, refuses other options", "[cli][index]") {
  for (const std::string kind : {"flat", "hnsw"}) {
    // One story over 80 lines on purpose: each step checks the site the step
    // before left (ids, thumbnails, vanished items), so split into functions
    // it would pass that whole state along and read worse.
    DYNAMIC_SECTION(kind) {
      TempDir dir;
      make_tree(dir / "photos");
      const fs::path site = dir / "site";
      const std::vector<std::string> build{"index",     (dir / "photos").string(),
                                           "--site",    site.string(),
                                           "--name",    "u",
                                           "--feature", "colour",
                                           "--metric",  "l1",
                                           "--metric",  "correlation",
                                           "--kind",    kind,
                                           "-q"};
      REQUIRE(run_cli(build).exit_code == 0);
      const Collection before = read_collection(site, "u");
      const auto old_ids = ids_by_path(before);
      std::map<std::string, fs::file_time_type> thumb_times;
      for (const auto& item : before.items) thumb_times[item.source.path] = fs::last_write_time(site / item.thumbnail);

      fs::remove(dir / "photos/beach/1.jpg");
      fs::remove(dir / "photos/city/3.jpg");
      write_jpeg(dir / "photos/city/new.jpg", smooth_picture(200, 150, 77));
      write_jpeg(dir / "photos/desert/a.jpg", smooth_picture(180, 180, 78));

      std::vector<std::string> update = build;
      update.push_back("--update");
      update.push_back("--json");
      const CliResult updated = run_cli(update);
      REQUIRE_CLI_SUCCESS(updated);
      const json summary = json::parse(updated.out);
      CHECK(summary["added"] == 2);
      CHECK(summary["removed"] == 2);
      CHECK(summary["kept"] == 10);
      CHECK(summary["thumbnails"]["reused"] == 10);
      CHECK(summary["thumbnails"]["written"] == 2);

      const Collection after = read_collection(site, "u");
      const auto new_ids = ids_by_path(after);
      REQUIRE(after.items.size() == 12);
      std::uint32_t old_max = 0;
      for (const auto& [path, id] : old_ids) old_max = std::max(old_max, id);
      for (const auto& [path, id] : new_ids) {
        INFO(path);
        if (old_ids.count(path)) {
          CHECK(id == old_ids.at(path));  // kept: same id
          CHECK(fs::last_write_time(site / ("thumbs/" + std::to_string(id) + ".jpg")) ==
                thumb_times.at(path));  // reused
        } else {
          CHECK(id > old_max);  // new ids never reuse old ones
        }
      }
      CHECK(after.labels == std::vector<std::string>{"beach", "city", "desert", "forest"});
      const std::set<std::uint32_t> removed{old_ids.at("beach/1.jpg"), old_ids.at("city/3.jpg")};
      for (const std::uint32_t id : removed) CHECK_FALSE(fs::exists(site / ("thumbs/" + std::to_string(id) + ".jpg")));
      for (const auto& b : after.bundles) {
        CHECK(b.count == 12);
        CHECK(index_kind_name(b.kind) == kind);
      }

      for (const std::string metric : {"l1", "correlation"}) {
        // Every item, and never a removed one.
        const auto all =
            query({(dir / "photos/forest/0.jpg").string(), "--site", site.string(), "--metric", metric, "-k", "50"});
        CHECK(all.size() == 12);
        for (const auto& h : all) CHECK_FALSE(removed.count(h.id));
        // An added image finds itself first.
        const auto found =
            query({(dir / "photos/desert/a.jpg").string(), "--site", site.string(), "--metric", metric, "-k", "3"});
        REQUIRE_FALSE(found.empty());
        CHECK(found[0].id == new_ids.at("desert/a.jpg"));
      }

      // Options that differ from the bundles: refused, nothing changed.
      const std::string sidecar = read_text_file(site / "index/u.json");
      std::vector<std::string> other_metric = update;
      other_metric.push_back("--metric");
      other_metric.push_back("l2");
      const CliResult refused = run_cli(other_metric);
      CHECK(refused.exit_code == kExitUsage);
      require_one_error_line(refused, "rebuild the collection without --update");
      std::vector<std::string> other_kind{
          "index",  (dir / "photos").string(),       "--site", site.string(), "--name", "u", "--update",
          "--kind", kind == "flat" ? "hnsw" : "flat"};
      CHECK(run_cli(other_kind).exit_code == kExitUsage);
      CHECK(read_text_file(site / "index/u.json") == sidecar);

      // A damaged bundle stops the update before anything is written.
      write_text(site / "index" / after.bundles[0].file, "not a bundle");
      const CliResult damaged =
          run_cli({"index", (dir / "photos").string(), "--site", site.string(), "--name", "u", "--update", "-q"});
      CHECK(damaged.exit_code == kExitBadInput);
      require_one_error_line(damaged, after.bundles[0].file);
      CHECK(read_text_file(site / "index/u.json") == sidecar);
      std::size_t leftovers = 0;
      for (const auto& entry : fs::directory_iterator(site))
        if (entry.path().filename().string().rfind(".staging", 0) == 0) ++leftovers;
      CHECK(leftovers == 0);
    }
  }
}

TEST_CASE("query and index: damaged or missing inputs give one clear line and a non-zero exit", "[cli][index]") {
  TempDir dir;
  make_tree(dir / "photos");
  const fs::path site = dir / "site";
  REQUIRE(run_cli({"index", (dir / "photos").string(), "--site", site.string(), "--name", "e", "--feature", "colour",
                   "--metric", "l1", "-q"})
              .exit_code == 0);
  const fs::path bundle = site / "index/e.colour.l1.lkx";
  const auto good = read_file(bundle);
  const std::string image = (dir / "photos/beach/0.jpg").string();

  std::vector<std::uint8_t> truncated(good.begin(), good.begin() + std::ptrdiff_t(good.size() / 2));
  write_bytes(bundle, truncated);
  const CliResult r1 = run_cli({"query", image, "--site", site.string()});
  CHECK(r1.exit_code == kExitBadInput);
  require_one_error_line(r1, bundle.string() + ": index bundle");

  std::vector<std::uint8_t> flipped = good;
  flipped[flipped.size() - 5] ^= 0x40;
  write_bytes(bundle, flipped);
  const CliResult r2 = run_cli({"query", image, "--index", bundle.string()});
  CHECK(r2.exit_code == kExitBadInput);
  require_one_error_line(r2, "checksum");

  write_text(bundle, "garbage");
  const CliResult r3 = run_cli({"query", image, "--index", bundle.string()});
  CHECK(r3.exit_code == kExitBadInput);
  require_one_error_line(r3, "not a lookalike index bundle");

  write_bytes(bundle, good);
  const CliResult no_image = run_cli({"query", (dir / "absent.jpg").string(), "--site", site.string()});
  CHECK(no_image.exit_code == kExitIo);
  require_one_error_line(no_image, "absent.jpg");
  write_text(dir / "not-an-image.jpg", "hello");
  const CliResult bad_image = run_cli({"query", (dir / "not-an-image.jpg").string(), "--site", site.string()});
  CHECK(bad_image.exit_code == kExitBadInput);
  require_one_error_line(bad_image, "not-an-image.jpg");
  const CliResult no_site = run_cli({"query", image, "--site", (dir / "nowhere").string()});
  CHECK(no_site.exit_code == kExitIo);
  require_one_error_line(no_site, "collections.json");

  const CliResult no_input = run_cli({"index", (dir / "absent").string(), "--site", site.string()});
  CHECK(no_input.exit_code == kExitIo);
  require_one_error_line(no_input, "no such file or folder");
  const CliResult bad_name = run_cli({"index", (dir / "photos").string(), "--site", site.string(), "--name", "../up"});
  CHECK(bad_name.exit_code == kExitUsage);
  require_one_error_line(bad_name, "collection name");
  const CliResult bad_feature =
      run_cli({"index", (dir / "photos").string(), "--site", site.string(), "--feature", "sift"});
  CHECK(bad_feature.exit_code == kExitUsage);
  require_one_error_line(bad_feature, "unknown feature \"sift\"");
}

TEST_CASE("index reads a prep manifest and carries its attribution and failures", "[cli][index]") {
  TempDir dir;
  make_tree(dir / "crawl");
  fs::rename(dir / "crawl/beach/0.jpg", dir / "crawl/beach/555.jpg");
  write_text(
      dir / "crawl/crawl.jsonl",
      R"({"id":"555","term":"beach","url":"https://live.example/555.jpg","page":"https://www.example/p/555","owner":"Ann","title":"Sunset","licence":"CC BY 2.0","licence_url":"https://creativecommons.org/licenses/by/2.0/"})"
      "\n");
  REQUIRE(run_cli({"prep", (dir / "crawl").string(), "--out", (dir / "prep").string(), "-q"}).exit_code == 0);
  fs::remove(dir / "crawl/city/2.jpg");  // vanished since prep
  const fs::path site = dir / "site";
  const CliResult r = run_cli(
      {"index", (dir / "prep").string(), "--site", site.string(), "--feature", "colour", "--metric", "l2", "-q"});
  CHECK(r.exit_code == kExitPartial);
  CHECK_THAT(r.err, Catch::Contains("city/2.jpg") && Catch::Contains("1 image(s) could not be indexed"));
  const CollectionList list = read_collection_list(site);
  CHECK(list.default_name == "crawl");  // named after the source folder
  const Collection c = read_collection(site, "crawl");
  CHECK(c.items.size() == 11);
  const auto beach = std::find_if(c.items.begin(), c.items.end(),
                                  [](const CollectionItem& i) { return i.source.path == "beach/555.jpg"; });
  REQUIRE(beach != c.items.end());
  CHECK(beach->source.owner == "Ann");
  CHECK(beach->source.licence == "CC BY 2.0");
  CHECK(beach->source.page == "https://www.example/p/555");
  CHECK_THAT(c.licence_note, Catch::Contains("CC BY 2.0 (1)"));
}

TEST_CASE(
    "index --reproducible with SOURCE_DATE_EPOCH writes the same bytes twice, HNSW built from many threads' input",
    "[cli][index]") {
  TempDir dir;
  // Enough items for an HNSW graph of several layers: built by two threads,
  // its links would depend on their timing.
  for (int i = 0; i < 160; ++i)
    write_jpeg(dir / "photos" / (i % 2 ? "odd" : "even") / (std::to_string(i) + ".jpg"),
               distinct_picture(96, 64, std::uint32_t(i + 1)));
  const auto build = [&](const std::string& site) {
    const CliResult r =
        run_cli({"-j", "2", "index", (dir / "photos").string(), "--site", (dir / site).string(), "--name", "r",
                 "--feature", "colour", "--metric", "cosine", "--kind", "hnsw", "--m", "4", "--reproducible", "-q"});
    REQUIRE_CLI_SUCCESS(r);
  };
  ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  build("site-a");
  build("site-b");
  ::unsetenv("SOURCE_DATE_EPOCH");
  CHECK(read_collection(dir / "site-a", "r").created == "2023-11-14T22:13:20Z");
  const auto a = snapshot_tree(dir / "site-a"), b = snapshot_tree(dir / "site-b");
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO(a[i].first);
    CHECK(a[i].first == b[i].first);
    CHECK(a[i].second == b[i].second);
  }

  ::setenv("SOURCE_DATE_EPOCH", "yesterday", 1);
  const CliResult bad =
      run_cli({"index", (dir / "photos").string(), "--site", (dir / "site-c").string(), "--feature", "colour"});
  ::unsetenv("SOURCE_DATE_EPOCH");
  CHECK(bad.exit_code == kExitUsage);
  require_one_error_line(bad, "SOURCE_DATE_EPOCH must be a number of seconds");
  CHECK_FALSE(fs::exists(dir / "site-c" / "index"));
}
