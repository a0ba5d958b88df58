// Native exact-search latency over a vector file, the reference that
// bench/web_search_latency.mjs compares the browser's WASM search with.
//
//   search_latency VECTORS.f32 QUERIES.f32 DIM METRIC K [WARMUP]
//
// VECTORS.f32 and QUERIES.f32 are rows of DIM little-endian float32. Each
// query is searched once (after WARMUP queries that are not timed) with the
// core's exact search and the kernels the tools use; prints one JSON line:
// {"p50_us", "mean_us", "queries", "count", "kernels", "checksum"}.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "common/error.h"
#include "metrics/kernels.h"
#include "metrics/metric.h"
#include "search/exact_search.h"

namespace {

std::vector<float> read_rows(const std::string& path, std::size_t dim) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw std::runtime_error("cannot open " + path);
  const std::streamsize bytes = in.tellg();
  if (bytes <= 0 || bytes % std::streamsize(dim * sizeof(float)) != 0)
    throw std::runtime_error(path + " does not hold rows of " + std::to_string(dim) + " float32");
  std::vector<float> rows(std::size_t(bytes) / sizeof(float));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(rows.data()), bytes);
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6 || argc > 7) {
    std::cerr << "usage: search_latency VECTORS.f32 QUERIES.f32 DIM METRIC K [WARMUP]\n";
    return 2;
  }
  try {
    const std::size_t dim = std::stoul(argv[3]);
    const lookalike::Metric metric = lookalike::parse_metric(argv[4]);
    const std::size_t k = std::stoul(argv[5]);
    const std::size_t warmup = argc == 7 ? std::stoul(argv[6]) : 10;
    const std::vector<float> vectors = read_rows(argv[1], dim);
    const std::vector<float> queries = read_rows(argv[2], dim);
    const std::size_t count = vectors.size() / dim, nq = queries.size() / dim;
    std::vector<double> times;
    double checksum = 0;
    for (std::size_t q = 0; q < nq; ++q) {
      const auto start = std::chrono::steady_clock::now();
      const auto hits = lookalike::exact_search(metric, queries.data() + q * dim, vectors.data(), count, dim, k);
      const auto stop = std::chrono::steady_clock::now();
      if (q >= warmup) times.push_back(std::chrono::duration<double, std::micro>(stop - start).count());
      for (const auto& h : hits) checksum += h.id;
    }
    if (times.empty()) throw std::runtime_error("no timed queries (fewer queries than WARMUP)");
    std::vector<double> sorted = times;
    std::sort(sorted.begin(), sorted.end());
    double mean = 0;
    for (double t : times) mean += t / double(times.size());
    std::printf("{\"p50_us\": %.3f, \"mean_us\": %.3f, \"queries\": %zu, \"count\": %zu, \"kernels\": \"%s\", \"checksum\": %.0f}\n",
                sorted[sorted.size() / 2], mean, times.size(), count, lookalike::best_kernels().name, checksum);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "search_latency: " << e.what() << "\n";
    return 1;
  }
}
