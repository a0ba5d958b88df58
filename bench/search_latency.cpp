// The native half of bench/web_search_latency.mjs, which compares search in
// the browser (the WASM module in headless Chromium) with native search on
// the very same index bundles and queries.
//
//   search_latency make OUT_DIR [--counts 10000,100000] [--dim 512] [--metric cosine]
//                  [--kinds hnsw,flat] [--queries 220] [--seed 1] [--m 16]
//                  [--ef-construction 200] [--ef-search 64] [--threads 0]
//       Clustered synthetic vectors shaped like image embeddings
//       (tests/support/clustered_vectors.h, about 20 points per cluster), one
//       bundle per kind × count (OUT_DIR/<kind>-<count>.lkx) and the queries
//       (OUT_DIR/queries-<count>.f32, fresh points of the same clusters).
//       With d = 512 the bundles carry the spec colour:bins=8x8x8 (512
//       values), so the web page can open them as a collection.
//   search_latency search BUNDLE QUERIES.f32 [--k 10] [--ef 0] [--warmup 20]
//       Loads the bundle and searches each query once, one at a time on one
//       thread (as the browser does), timing each search; prints one JSON
//       line {"p50_us", "mean_us", "queries", "count", "kernels", "checksum"}
//       where checksum digests every returned id in rank order.
//   search_latency site OUT_DIR BUNDLE [--name bench]
//       A collection for the page around BUNDLE: OUT_DIR/index/<name>.json
//       (one item per id, all sharing one tiny thumbnail), the bundle and
//       collections.json, and OUT_DIR/thumbs/shared.jpg.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "../tests/support/clustered_vectors.h"
#include "lookalike/common/error.h"
#include "lookalike/features/feature.h"
#include "lookalike/image/encode.h"
#include "lookalike/image/image.h"
#include "lookalike/index/collection.h"
#include "lookalike/index/vector_index.h"
#include "lookalike/metrics/kernels.h"

namespace fs = std::filesystem;
using namespace lookalike;

namespace {

[[noreturn]] void usage_error(const std::string& message) { throw std::invalid_argument(message); }

std::vector<std::uint8_t> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) usage_error("cannot open " + path.string());
  const std::streamsize size = in.tellg();
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(bytes.data()), size);
  return bytes;
}

void write_file(const fs::path& path, const void* data, std::size_t size) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) usage_error("cannot write " + path.string());
}

// --name value pairs after the positional arguments.
std::map<std::string, std::string> options(int argc, char** argv, int first) {
  std::map<std::string, std::string> out;
  for (int i = first; i < argc; i += 2) {
    const std::string key = argv[i];
    if (key.rfind("--", 0) != 0 || i + 1 >= argc) usage_error("expected --option value, got " + key);
    out[key.substr(2)] = argv[i + 1];
  }
  return out;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream s(text);
  for (std::string part; std::getline(s, part, ',');) out.push_back(part);
  return out;
}

unsigned long number(const std::map<std::string, std::string>& o, const std::string& key, unsigned long fallback) {
  const auto it = o.find(key);
  return it == o.end() ? fallback : std::stoul(it->second);
}

int run_make(const fs::path& out_dir, const std::map<std::string, std::string>& o) {
  const std::size_t dim = number(o, "dim", 512), query_count = number(o, "queries", 220);
  const Metric metric = parse_metric(o.count("metric") ? o.at("metric") : "cosine");
  const auto seed = static_cast<std::uint32_t>(number(o, "seed", 1));
  IndexConfig config;
  // The page computes colour:bins=8x8x8 itself (512 values): with d = 512 a
  // bundle is also a collection the page opens (for time to ready).
  config.feature_spec = dim == 512 ? make_feature("colour:bins=8x8x8")->spec() : "synthetic:clustered";
  config.feature_version = dim == 512 ? make_feature(config.feature_spec)->version() : 1;
  config.metric = metric;
  config.dim = static_cast<std::uint32_t>(dim);
  config.hnsw.m = static_cast<std::uint32_t>(number(o, "m", 16));
  config.hnsw.ef_construction = static_cast<std::uint32_t>(number(o, "ef-construction", 200));
  config.hnsw.ef_search = static_cast<std::uint32_t>(number(o, "ef-search", 64));
  const unsigned threads = static_cast<unsigned>(number(o, "threads", 0));
  for (const std::string& count_text : split(o.count("counts") ? o.at("counts") : "10000,100000")) {
    const std::size_t count = std::stoul(count_text);
    const testing::ClusteredVectors data =
        testing::make_clustered_vectors(count, query_count, dim, seed, std::max<std::size_t>(count / 20, 1));
    write_file(out_dir / ("queries-" + count_text + ".f32"), data.queries.data(), data.queries.size() * sizeof(float));
    std::vector<std::uint32_t> ids(count);
    for (std::size_t i = 0; i < count; ++i) ids[i] = static_cast<std::uint32_t>(i);
    for (const std::string& kind : split(o.count("kinds") ? o.at("kinds") : "hnsw,flat")) {
      config.kind = parse_index_kind(kind);
      const auto start = std::chrono::steady_clock::now();
      VectorIndex index(config);
      index.add_many(ids.data(), data.points.data(), count, threads);
      const std::vector<std::uint8_t> bytes = index.save();
      write_file(out_dir / (kind + "-" + count_text + ".lkx"), bytes.data(), bytes.size());
      std::fprintf(stderr, "search_latency: %s-%zu.lkx: %zu bytes, built in %.1f s\n", kind.c_str(), count,
                   bytes.size(), std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
  }
  return 0;
}

int run_search(const fs::path& bundle_path, const fs::path& queries_path, const std::map<std::string, std::string>& o) {
  const std::vector<std::uint8_t> bytes = read_file(bundle_path);
  const VectorIndex index = VectorIndex::load(bytes.data(), bytes.size());
  const std::size_t dim = index.config().dim;
  const std::vector<std::uint8_t> query_bytes = read_file(queries_path);
  if (query_bytes.size() % (dim * sizeof(float)) != 0)
    usage_error(queries_path.string() + " does not hold rows of " + std::to_string(dim) + " float32");
  std::vector<float> queries(query_bytes.size() / sizeof(float));
  std::memcpy(queries.data(), query_bytes.data(), query_bytes.size());
  const std::size_t nq = queries.size() / dim, warmup = number(o, "warmup", 20);
  SearchOptions options;
  options.k = number(o, "k", 10);
  options.ef = static_cast<std::uint32_t>(number(o, "ef", 0));
  std::vector<double> times;
  std::uint64_t checksum = 1469598103934665603ull;  // FNV-1a over the ids, in rank order
  for (std::size_t q = 0; q < nq; ++q) {
    const auto start = std::chrono::steady_clock::now();
    const std::vector<Hit> hits = index.search(queries.data() + q * dim, options);
    const auto stop = std::chrono::steady_clock::now();
    if (q >= warmup) times.push_back(std::chrono::duration<double, std::micro>(stop - start).count());
    for (const Hit& h : hits) checksum = (checksum ^ h.id) * 1099511628211ull;
  }
  if (times.empty()) usage_error("no timed queries (fewer queries than --warmup)");
  double mean = 0;
  for (double t : times) mean += t / double(times.size());
  std::sort(times.begin(), times.end());
  std::printf(
      "{\"p50_us\": %.3f, \"mean_us\": %.3f, \"queries\": %zu, \"count\": %zu, \"kernels\": \"%s\", "
      "\"checksum\": \"%016llx\"}\n",
      times[times.size() / 2], mean, times.size(), index.size(), best_kernels().name,
      static_cast<unsigned long long>(checksum));
  return 0;
}

int run_site(const fs::path& out_dir, const fs::path& bundle_path, const std::map<std::string, std::string>& o) {
  const std::string name = o.count("name") ? o.at("name") : "bench";
  const std::vector<std::uint8_t> bytes = read_file(bundle_path);
  const VectorIndex index = VectorIndex::load(bytes.data(), bytes.size());
  const IndexConfig& config = index.config();
  Image thumb(8, 8);
  for (std::size_t i = 0; i < thumb.rgb.size(); ++i) thumb.rgb[i] = static_cast<std::uint8_t>(40 + (i * 37) % 160);
  const std::vector<std::uint8_t> jpeg = encode_jpeg(thumb, 80);
  write_file(out_dir / "thumbs" / "shared.jpg", jpeg.data(), jpeg.size());
  Collection c;
  c.name = name;
  c.title = "Benchmark: " + std::to_string(index.size()) + " synthetic vectors";
  c.created = "2026-12-01T00:00:00Z";
  c.labels = {"a", "b", "c", "d"};
  for (const std::uint32_t id : index.ids()) {
    CollectionItem item;
    item.id = id;
    item.label = c.labels[id % c.labels.size()];
    item.thumbnail = "thumbs/shared.jpg";
    item.source.title = "vector " + std::to_string(id);
    c.items.push_back(item);
  }
  CollectionBundle b;
  b.feature = config.feature_spec;
  b.slug = feature_slug(config.feature_spec);
  b.metric = config.metric;
  b.file = name + "." + b.slug + "." + metric_name(config.metric) + ".lkx";
  b.kind = config.kind;
  b.element = config.element;
  b.dim = config.dim;
  b.count = index.size();
  b.bytes = bytes.size();
  c.bundles.push_back(b);
  write_file(out_dir / "index" / b.file, bytes.data(), bytes.size());
  const std::string json = collection_to_json(c);
  write_file(out_dir / "index" / (name + ".json"), json.data(), json.size());
  CollectionList list;
  list.default_name = name;
  list.collections = {{name, c.title, name + ".json"}};
  const std::string list_json = collection_list_to_json(list);
  write_file(out_dir / "index" / "collections.json", list_json.data(), list_json.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string command = argc > 1 ? argv[1] : "";
    if (command == "make" && argc >= 3) return run_make(argv[2], options(argc, argv, 3));
    if (command == "search" && argc >= 4) return run_search(argv[2], argv[3], options(argc, argv, 4));
    if (command == "site" && argc >= 4) return run_site(argv[2], argv[3], options(argc, argv, 4));
    std::cerr << "usage: search_latency make OUT_DIR [--counts N,...] [--dim D] [--metric M] [--kinds hnsw,flat] "
                 "[--queries Q]\n"
                 "                      [--seed S] [--m M] [--ef-construction E] [--ef-search E] [--threads T]\n"
                 "       search_latency search BUNDLE QUERIES.f32 [--k K] [--ef EF] [--warmup W]\n"
                 "       search_latency site OUT_DIR BUNDLE [--name NAME]\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "search_latency: " << e.what() << "\n";
    return 1;
  }
}
