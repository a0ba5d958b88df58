// Partitioned indexes through the CLI as users run it: `index --kind
// partitioned` from images and from precomputed embeddings (.npy + items.jsonl),
// the site's files (header, data files, none over the limit, listed in the
// sidecar), `query` answering as the core's partitioned search over those
// files, `eval --search partitioned`, and clear errors for bad input.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>

#include "cli_test_support.h"
#include "common/exit_codes.h"
#include "common/files.h"
#include "embed/npy_file.h"
#include "lookalike/index/partitioned_index.h"
#include "partitioned/partitioned_files.h"
#include "site/collection_files.h"
#include "support/clustered_vectors.h"
#include "vectors/npy_matrix.h"

using namespace lookalike;
using namespace lookalike::cli;
using namespace lookalike::testing;
using nlohmann::json;

namespace {

constexpr std::size_t kCount = 3000, kDim = 32;

// Precomputed embeddings: clustered vectors and one item per row, every
// third labelled "odd" (ids are the row numbers).
void write_embeddings(const fs::path& dir, const ClusteredVectors& data) {
  write_npy_float32((dir / "emb.npy").string(), data.points.data(), kCount, kDim);
  std::ofstream items(dir / "emb.jsonl");
  for (std::size_t i = 0; i < kCount; ++i)
    items << json{{"label", i % 3 == 0 ? "odd" : "even"}, {"path", "p/" + std::to_string(i) + ".jpg"}}.dump() << "\n";
}

// `index --embeddings` with --kind partitioned --lists 24 --nprobe 4 unless `extra` says otherwise.
CliResult index_embeddings(const fs::path& dir, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"index",
                                "--embeddings",
                                (dir / "emb.npy").string(),
                                "--items",
                                (dir / "emb.jsonl").string(),
                                "--site",
                                (dir / "site").string(),
                                "--name",
                                "big",
                                "--feature",
                                "vectors:test"};
  for (const auto& [option, value] :
       {std::pair<const char*, const char*>{"--kind", "partitioned"}, {"--lists", "24"}, {"--nprobe", "4"}})
    if (std::find(extra.begin(), extra.end(), option) == extra.end()) extra.insert(extra.end(), {option, value});
  args.insert(args.end(), extra.begin(), extra.end());
  return run_cli(args);
}

}  // namespace

TEST_CASE("index --embeddings --kind partitioned writes a header, data files and the sidecar", "[cli][partitioned]") {
  TempDir dir;
  const ClusteredVectors data = make_clustered_vectors(kCount, 5, kDim, 11, 150, 4, 0.5f);
  write_embeddings(dir.path(), data);
  const CliResult r = index_embeddings(dir.path(), {"--metric", "cosine,l2"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Collection c = read_collection(dir / "site", "big");
  REQUIRE(c.items.size() == kCount);
  CHECK(c.labels == std::vector<std::string>{"even", "odd"});
  REQUIRE(c.bundles.size() == 2);
  for (const CollectionBundle& b : c.bundles) {
    CHECK(b.kind == IndexKind::Partitioned);
    CHECK(b.file.substr(b.file.size() - 4) == ".lkp");
    REQUIRE(b.data_files >= 1);
    CHECK(b.count == kCount);
    std::uint64_t bytes = fs::file_size(dir / "site" / "index" / b.file);
    for (std::uint32_t f = 0; f < b.data_files; ++f)
      bytes += fs::file_size(dir / "site" / "index" / PartitionedIndex::data_file_name(b.file, f));
    CHECK(bytes == b.bytes);
    PartitionedFiles files = PartitionedFiles::open(dir / "site" / "index" / b.file);
    CHECK(files.index().list_count() == 24);
    CHECK(files.index().header().default_nprobe == 4);
  }

  // query --item: the core's search over the same files, the item left out.
  const CliResult q = run_cli({"query", "--site", (dir / "site").string(), "--item", "7", "--metric", "l2", "--json"});
  INFO(q.err);
  REQUIRE(q.exit_code == 0);
  const json answer = json::parse(q.out);
  CHECK(answer["kind"] == "partitioned");
  CHECK(answer["nprobe"] == 4);
  const CollectionBundle& l2 = c.bundles[1].metric == Metric::L2 ? c.bundles[1] : c.bundles[0];
  PartitionedFiles files = PartitionedFiles::open(dir / "site" / "index" / l2.file);
  const std::uint32_t list = *files.list_of(7);
  const auto l = files.list(list);
  const std::vector<float> stored = l->vector(*l->find(7));
  PartitionedSearchOptions options;
  options.exclude = 7;
  const std::vector<Hit> expected = files.search(stored.data(), options).hits();
  REQUIRE(answer["results"].size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CHECK(answer["results"][i]["id"] == expected[i].id);
    CHECK(answer["results"][i]["score"].get<float>() == Approx(expected[i].score));
  }

  // A label filter: only "odd" items, still k of them.
  const CliResult odd = run_cli(
      {"query", "--site", (dir / "site").string(), "--item", "7", "--metric", "cosine", "--label", "odd", "--json"});
  REQUIRE(odd.exit_code == 0);
  const json odd_answer = json::parse(odd.out);
  CHECK(odd_answer["results"].size() == 10);
  for (const auto& hit : odd_answer["results"]) CHECK(hit["label"] == "odd");

  // A rebuild with another kind removes the partitioned files.
  const CliResult flat = index_embeddings(dir.path(), {"--metric", "cosine", "--kind", "flat"});
  INFO(flat.err);
  REQUIRE(flat.exit_code == 0);
  for (const auto& entry : fs::directory_iterator(dir / "site" / "index")) CHECK(entry.path().extension() != ".bin");
}

TEST_CASE("data files never exceed the limit; bad embeddings input is refused clearly", "[cli][partitioned]") {
  TempDir dir;
  const ClusteredVectors data = make_clustered_vectors(kCount, 0, kDim, 12, 150, 4, 0.5f);
  write_embeddings(dir.path(), data);
  // Items and rows disagree.
  {
    std::ofstream items(dir / "short.jsonl");
    items << "{\"path\": \"a.jpg\"}\n{\"path\": \"b.jpg\"}\n";
  }
  CliResult r = run_cli({"index", "--embeddings", (dir / "emb.npy").string(), "--items", (dir / "short.jsonl").string(),
                         "--site", (dir / "site").string(), "--feature", "vectors:test"});
  CHECK(r.exit_code == kExitBadInput);
  CHECK_THAT(r.err, Catch::Contains("describes 2 items but") && Catch::Contains("3000 rows"));
  // A malformed line names its file and line.
  {
    std::ofstream items(dir / "bad.jsonl");
    items << "{\"path\": \"a.jpg\"}\n{\"path\": \"b.jpg\", \"label\": 5}\n";
  }
  r = run_cli({"index", "--embeddings", (dir / "emb.npy").string(), "--items", (dir / "bad.jsonl").string(), "--site",
               (dir / "site").string(), "--feature", "vectors:test"});
  CHECK(r.exit_code == kExitBadInput);
  CHECK_THAT(r.err, Catch::Contains("bad.jsonl:2") && Catch::Contains("\"label\" must be a string"));
  // A truncated .npy.
  const auto bytes = read_file(dir / "emb.npy");
  write_bytes(dir / "cut.npy", std::vector<std::uint8_t>(bytes.begin(), bytes.end() - 10));
  r = run_cli({"index", "--embeddings", (dir / "cut.npy").string(), "--items", (dir / "emb.jsonl").string(), "--site",
               (dir / "site").string(), "--feature", "vectors:test"});
  CHECK(r.exit_code == kExitBadInput);
  CHECK_THAT(r.err, Catch::Contains("cut.npy") && Catch::Contains("truncated?"));
  // Not float32.
  std::vector<std::uint8_t> f64(bytes.begin(), bytes.end());
  const std::string header(f64.begin(), f64.begin() + 64);
  const std::size_t at = header.find("<f4");
  REQUIRE(at != std::string::npos);
  f64[at + 2] = '8';
  write_bytes(dir / "f64.npy", f64);
  r = run_cli({"index", "--embeddings", (dir / "f64.npy").string(), "--items", (dir / "emb.jsonl").string(), "--site",
               (dir / "site").string(), "--feature", "vectors:test"});
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.err, Catch::Contains("'<f8'") && Catch::Contains("float32"));
  // Too many lists for the items.
  r = index_embeddings(dir.path(), {"--lists", "5000"});
  CHECK(r.exit_code == kExitUsage);
  CHECK_THAT(r.err, Catch::Contains("--lists 5000 is more than the 3000 items"));
  CHECK(!fs::exists(dir / "site" / "index" / "big.json"));
}

TEST_CASE("eval --search partitioned reports recall against exact search", "[cli][partitioned]") {
  TempDir dir;
  const char* labels[] = {"red", "green", "blue"};
  for (int l = 0; l < 3; ++l)
    for (int i = 0; i < 12; ++i)
      write_png(dir / "data" / labels[l] / (std::to_string(i) + ".png"),
                smooth_picture(64, 48, std::uint32_t(l * 100 + i)));
  const CliResult r = run_cli({"eval", (dir / "data").string(), "--feature", "colour", "--metric", "l1", "--search",
                               "exact,partitioned", "--lists", "4", "--nprobe", "4", "-o", (dir / "reports").string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json report = json::parse(read_text_file(dir / "reports" / "eval.json"));
  bool found = false;
  for (const auto& run : report["runs"]) {
    if (run["search"]["kind"] != "partitioned") continue;
    found = true;
    CHECK(run["search"]["lists"] == 4);
    CHECK(run["recall_vs_exact"].get<double>() >= 0.99);  // every list probed: only int8 rounding differs
  }
  CHECK(found);
}

TEST_CASE("index --update of a partitioned index keeps ids, adds and removes items without a rebuild",
          "[cli][partitioned]") {
  TempDir dir;
  const fs::path images = dir / "images", site = dir / "site";
  for (int i = 0; i < 60; ++i)
    write_png(images / (i % 2 ? "a" : "b") / (std::to_string(i) + ".png"),
              smooth_picture(96, 72, std::uint32_t(1000 + i)));
  const std::vector<std::string> build{
      "index",  images.string(), "--site", site.string(), "--name", "u",        "--kind", "partitioned", "--feature",
      "colour", "--metric",      "l2",     "--lists",     "4",      "--nprobe", "2",      "--samples",   "0"};
  CliResult r = run_cli(build);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Collection before = read_collection(site, "u");
  std::map<std::string, std::uint32_t> id_of;
  for (const auto& item : before.items) id_of[item.source.path] = item.id;

  // Two images go, three come.
  fs::remove(images / "a" / "1.png");
  fs::remove(images / "b" / "2.png");
  for (int i = 60; i < 63; ++i)
    write_png(images / "c" / (std::to_string(i) + ".png"), smooth_picture(96, 72, 5000 + i));
  r = run_cli({"index", images.string(), "--site", site.string(), "--name", "u", "--update", "--samples", "0"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Collection after = read_collection(site, "u");
  CHECK(after.items.size() == 61);
  REQUIRE(after.bundles.size() == 1);
  CHECK(after.bundles[0].kind == IndexKind::Partitioned);
  CHECK(after.bundles[0].count == 61);
  for (const auto& item : after.items)
    if (id_of.count(item.source.path)) CHECK(id_of[item.source.path] == item.id);  // kept items keep their ids
  PartitionedFiles files = PartitionedFiles::open(site / "index" / after.bundles[0].file);
  CHECK(files.index().list_count() == 4);  // the same lists, not a rebuild
  std::vector<std::uint32_t> expected;
  for (const auto& item : after.items) expected.push_back(item.id);
  std::sort(expected.begin(), expected.end());
  CHECK(files.ids() == expected);
  // The new items are found: each is its own nearest neighbour.
  for (const auto& item : after.items) {
    if (item.source.path.rfind("c/", 0) != 0) continue;
    const CliResult q = run_cli(
        {"query", (images / item.source.path).string(), "--site", site.string(), "--nprobe", "4", "-k", "1", "--json"});
    REQUIRE(q.exit_code == 0);
    CHECK(json::parse(q.out)["results"][0]["id"] == item.id);
  }
}
