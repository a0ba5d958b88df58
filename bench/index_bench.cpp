// Vector index benchmark: HNSW (float32 and int8 elements) against exact
// search on clustered synthetic vectors shaped like image embeddings.
//
// For each collection size: build time, bundle bytes per vector, and for
// several ef: recall@10 against the exact float32 results, query latency
// p50/p99 (one thread, one query at a time, as the browser runs them) and the
// speedup at p50 over exact search (the flat index, which scores every
// vector with the metric's double-precision value) and over a raw float32
// SIMD scan (the least any exact search must do). Everything is measured in one run, so
// the ratios hold on a busy machine even when absolute times drift.
//
//   index_bench [--n 10000,100000] [--dim 512] [--queries 500] [--metric cosine]
//               [--ef 16,32,48,64,128,256] [--threads 0] [--float-copies] [--seed 1]
//               [--cluster-size 20] [--latent 32] [--noise 0.6] [--m 16] [--ef-construction 200]
//
// The data (tests/support/clustered_vectors.h): clusters of about
// --cluster-size points, each varying along --latent directions plus
// isotropic noise of standard deviation --noise. With 20 points per cluster
// a query's 10 nearest neighbours straddle cluster borders, which is what
// makes the search work; bigger clusters make it easy.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "../tests/support/clustered_vectors.h"
#include "lookalike/common/error.h"
#include "lookalike/index/vector_index.h"
#include "lookalike/metrics/kernels.h"

using namespace lookalike;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::vector<std::size_t> sizes{10000, 100000};
  std::size_t dim = 512;
  std::size_t queries = 500;
  Metric metric = Metric::Cosine;
  std::vector<std::uint32_t> efs{16, 32, 48, 64, 128, 256};
  unsigned threads = 0;
  bool float_copies = false;
  std::uint32_t seed = 1;
  std::uint32_t m = 16, ef_construction = 200;
  std::size_t cluster_size = 20;
  std::size_t latent = 32;
  float noise = 0.6f;
};

std::vector<std::size_t> parse_list(const char* text) {
  std::vector<std::size_t> out;
  for (const char* p = text; *p;) {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(p, &end, 10);
    if (end == p || v == 0) throw std::runtime_error(std::string("not a list of positive integers: ") + text);
    out.push_back(static_cast<std::size_t>(v));
    p = *end == ',' ? end + 1 : end;
    if (*end && *end != ',') throw std::runtime_error(std::string("not a list of positive integers: ") + text);
  }
  return out;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> const char* {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--n")
      o.sizes = parse_list(value());
    else if (a == "--dim")
      o.dim = parse_list(value()).at(0);
    else if (a == "--queries")
      o.queries = parse_list(value()).at(0);
    else if (a == "--metric")
      o.metric = parse_metric(value());
    else if (a == "--ef") {
      o.efs.clear();
      for (std::size_t ef : parse_list(value())) o.efs.push_back(static_cast<std::uint32_t>(ef));
    } else if (a == "--threads")
      o.threads = static_cast<unsigned>(std::atoi(value()));
    else if (a == "--float-copies")
      o.float_copies = true;
    else if (a == "--seed")
      o.seed = static_cast<std::uint32_t>(parse_list(value()).at(0));
    else if (a == "--cluster-size")
      o.cluster_size = parse_list(value()).at(0);
    else if (a == "--m")
      o.m = static_cast<std::uint32_t>(parse_list(value()).at(0));
    else if (a == "--ef-construction")
      o.ef_construction = static_cast<std::uint32_t>(parse_list(value()).at(0));
    else if (a == "--latent")
      o.latent = parse_list(value()).at(0);
    else if (a == "--noise") {
      o.noise = std::strtof(value(), nullptr);
      if (!(o.noise >= 0)) throw std::runtime_error("--noise must be a non-negative number");
    } else if (a == "--help" || a == "-h") {
      std::printf(
          "usage: index_bench [--n 10000,100000] [--dim 512] [--queries 500] [--metric cosine]\n"
          "                   [--ef 16,32,48,64,128,256] [--threads 0] [--float-copies] [--seed 1]\n"
          "                   [--cluster-size 20] [--latent 32] [--noise 0.6] [--m 16] [--ef-construction 200]\n"
          "Prints a markdown table: build time, bundle bytes per vector, recall@10 against exact\n"
          "search, query latency p50/p99 and speedup over exact search, for float32 and int8.\n"
          "--threads 0 builds on every core; --float-copies adds int8 with float32 re-ranking.\n");
      std::exit(0);
    } else {
      throw std::runtime_error("unknown option " + a + " (see --help)");
    }
  }
  return o;
}

// "58×", "4.5×", "0.69×": two significant digits are what one run can tell.
std::string ratio(double r) {
  char text[32];
  std::snprintf(text, sizeof text, r >= 10 ? "%.0f×" : r >= 1 ? "%.1f×" : "%.2f×", r);
  return text;
}

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const std::size_t i = std::min(v.size() - 1, static_cast<std::size_t>(p * double(v.size())));
  return v[i];
}

struct Latency {
  double p50_ms, p99_ms;
};

// Runs every query once (after one warm-up pass over a few), timing each.
template <class Search>
Latency time_queries(std::size_t queries, const Search& search) {
  for (std::size_t q = 0; q < std::min<std::size_t>(queries, 20); ++q) search(q);
  std::vector<double> ms(queries);
  for (std::size_t q = 0; q < queries; ++q) {
    const Clock::time_point start = Clock::now();
    search(q);
    ms[q] = seconds_since(start) * 1000.0;
  }
  return {percentile(ms, 0.5), percentile(ms, 0.99)};
}

void log(const std::string& line) {
  std::fprintf(stderr, "[index_bench] %s\n", line.c_str());
  std::fflush(stderr);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    o = parse(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "index_bench: %s\n", e.what());
    return 2;
  }
  const unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  std::printf(
      "Index benchmark: metric %s, d = %zu, %zu queries, kernels %s, build threads %u, "
      "HNSW m = %u, ef_construction = %u; clustered synthetic data (seed %u, %zu points per cluster, "
      "%zu latent directions, noise %.2f).\n\n",
      metric_name(o.metric), o.dim, o.queries, best_kernels().name, threads, o.m, o.ef_construction, o.seed,
      o.cluster_size, o.latent, double(o.noise));
  std::printf(
      "| N | index | build s | bytes/vector | ef | recall@10 | p50 ms | p99 ms | speedup vs exact | vs raw scan |\n");
  std::printf("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  std::fflush(stdout);

  struct Summary {
    std::size_t n;
    std::string element;
    double bytes;
    std::uint32_t ef;
    double recall, p50, speedup, scan_speedup;
  };
  std::vector<Summary> at_target;  // per N and element: the smallest ef reaching recall 0.95

  try {
    for (const std::size_t n : o.sizes) {
      log("N = " + std::to_string(n) + ": generating data");
      const testing::ClusteredVectors data = testing::make_clustered_vectors(
          n, o.queries, o.dim, o.seed, std::max<std::size_t>(n / o.cluster_size, 1), o.latent, o.noise);
      std::vector<std::uint32_t> ids(n);
      for (std::size_t i = 0; i < n; ++i) ids[i] = static_cast<std::uint32_t>(i);

      IndexConfig config;
      config.feature_spec = "synthetic:clustered";
      config.metric = o.metric;
      config.dim = static_cast<std::uint32_t>(o.dim);
      config.kind = IndexKind::Flat;
      config.hnsw.m = o.m;
      config.hnsw.ef_construction = o.ef_construction;
      VectorIndex exact(config);
      exact.add_many(ids.data(), data.points.data(), n);
      log("exact search for the ground truth");
      SearchOptions top10;
      std::vector<std::set<std::uint32_t>> truth(o.queries);
      const Latency exact_latency = time_queries(o.queries, [&](std::size_t q) {
        const std::vector<Hit> hits = exact.search(&data.queries[q * o.dim], top10);
        if (truth[q].empty())
          for (const Hit& h : hits) truth[q].insert(h.id);
      });
      const double exact_bytes = double(exact.save().size()) / double(n);

      // A lower bound for any exact search: one SIMD float kernel call per
      // stored (prepared) vector and a top-10 selection, without the
      // double-precision scoring of every vector that the flat index does.
      std::vector<float> prepared(n * o.dim);
      for (std::size_t i = 0; i < n; ++i) {
        const std::vector<float> v = exact.stored_vector(ids[i]);
        std::copy(v.begin(), v.end(), prepared.begin() + i * o.dim);
      }
      const Kernels& k = best_kernels();
      std::vector<std::pair<float, std::uint32_t>> scan(n);
      std::vector<float> query(o.dim);
      const Latency scan_latency = time_queries(o.queries, [&](std::size_t q) {
        const float* raw = &data.queries[q * o.dim];
        std::copy(raw, raw + o.dim, query.begin());
        if (higher_is_closer(o.metric)) {  // prepared vectors: rank by the inner product
          double norm = 0;
          for (float x : query) norm += double(x) * x;
          for (float& x : query) x = norm > 0 ? float(x / std::sqrt(norm)) : 0.0f;
        }
        for (std::size_t i = 0; i < n; ++i) {
          const float* v = &prepared[i * o.dim];
          const float d = o.metric == Metric::L1   ? k.l1(query.data(), v, o.dim)
                          : o.metric == Metric::L2 ? k.l2_squared(query.data(), v, o.dim)
                                                   : -k.dot(query.data(), v, o.dim);
          scan[i] = {d, ids[i]};
        }
        std::partial_sort(scan.begin(), scan.begin() + 10, scan.end());
      });
      std::printf("| %zu | exact (flat float32) | – | %.0f | – | 1.000 | %.3f | %.3f | 1× | %s |\n", n, exact_bytes,
                  exact_latency.p50_ms, exact_latency.p99_ms,
                  ratio(scan_latency.p50_ms / exact_latency.p50_ms).c_str());
      std::printf("| %zu | raw float32 scan | – | – | – | – | %.3f | %.3f | %s | 1× |\n", n, scan_latency.p50_ms,
                  scan_latency.p99_ms, ratio(exact_latency.p50_ms / scan_latency.p50_ms).c_str());
      std::fflush(stdout);

      struct Variant {
        const char* name;
        ElementType element;
        bool keep_floats;
      };
      std::vector<Variant> variants{{"HNSW float32", ElementType::Float32, false},
                                    {"HNSW int8", ElementType::Int8, false}};
      if (o.float_copies) variants.push_back({"HNSW int8 + float32 re-rank", ElementType::Int8, true});
      for (const Variant& v : variants) {
        config.kind = IndexKind::Hnsw;
        config.element = v.element;
        config.keep_float_vectors = v.keep_floats;
        VectorIndex index(config);
        log(std::string("building ") + v.name);
        const Clock::time_point start = Clock::now();
        index.add_many(ids.data(), data.points.data(), n, threads);
        const double build = seconds_since(start);
        const double bytes = double(index.save().size()) / double(n);
        bool target_noted = false;
        for (const std::uint32_t ef : o.efs) {
          SearchOptions options;
          options.ef = ef;
          std::size_t found = 0;
          std::vector<std::vector<Hit>> results(o.queries);
          const Latency latency = time_queries(
              o.queries, [&](std::size_t q) { results[q] = index.search(&data.queries[q * o.dim], options); });
          for (std::size_t q = 0; q < o.queries; ++q)
            for (const Hit& h : results[q]) found += truth[q].count(h.id);
          const double recall = double(found) / double(o.queries * 10);
          const double speedup = exact_latency.p50_ms / latency.p50_ms;
          std::printf("| %zu | %s | %.1f | %.0f | %u | %.3f | %.3f | %.3f | %s | %s |\n", n, v.name, build, bytes, ef,
                      recall, latency.p50_ms, latency.p99_ms, ratio(speedup).c_str(),
                      ratio(scan_latency.p50_ms / latency.p50_ms).c_str());
          std::fflush(stdout);
          if (!target_noted && recall >= 0.95) {
            at_target.push_back(
                {n, v.name, bytes, ef, recall, latency.p50_ms, speedup, scan_latency.p50_ms / latency.p50_ms});
            target_noted = true;
          }
        }
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "index_bench: %s\n", e.what());
    return 1;
  }

  std::printf("\nSmallest ef reaching recall@10 ≥ 0.95:\n\n");
  for (const Summary& s : at_target)
    std::printf(
        "- N = %zu, %s: ef %u, recall %.3f, p50 %.3f ms, %s faster than exact search (%s than a raw "
        "float32 scan), %.0f bytes/vector\n",
        s.n, s.element.c_str(), s.ef, s.recall, s.p50, ratio(s.speedup).c_str(), ratio(s.scan_speedup).c_str(),
        s.bytes);
  return 0;
}
