#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "index_test_support.h"
#include "lookalike/index/vector_index.h"
#include "support/clustered_vectors.h"

using namespace lookalike;

namespace {

constexpr std::size_t kCount = 20000, kQueries = 200, kDim = 128, kK = 10;
// The int8 checks build four more graphs: half the items keep the test short.
constexpr std::size_t kInt8Count = 10000;

const testing::ClusteredVectors& data() {
  static const testing::ClusteredVectors v = testing::make_clustered_vectors(kCount, kQueries, kDim, 20240611);
  return v;
}

// Default M and ef_search; ef_construction 100 (default 200) halves the build
// time and still gives recall@10 above 0.99 on this data.
VectorIndex build(Metric metric, IndexKind kind, ElementType element, std::size_t count = kCount) {
  IndexConfig config = testing::index_config(metric, kDim, kind, element);
  config.feature_spec = "synthetic";
  config.hnsw.ef_construction = 100;
  VectorIndex index(config);
  std::vector<std::uint32_t> ids(count);
  for (std::size_t i = 0; i < count; ++i) ids[i] = static_cast<std::uint32_t>(i * 3 + 7);  // ids are not slots
  index.add_many(ids.data(), data().points.data(), count);
  return index;
}

double recall_at_k(const VectorIndex& approximate, const VectorIndex& exact, std::size_t k) {
  SearchOptions options;
  options.k = k;
  double found = 0;
  for (std::size_t q = 0; q < kQueries; ++q) {
    const float* query = &data().queries[q * kDim];
    std::set<std::uint32_t> truth;
    for (const Hit& h : exact.search(query, options)) truth.insert(h.id);
    for (const Hit& h : approximate.search(query, options)) found += truth.count(h.id);
  }
  return found / double(kQueries * k);
}

}  // namespace

TEST_CASE("HNSW recall@10 against the flat index is at least 0.95 for every metric (20 000 clustered, d = 128)") {
  for (const Metric metric : kAllMetrics) {
    const VectorIndex flat = build(metric, IndexKind::Flat, ElementType::Float32);
    const VectorIndex hnsw = build(metric, IndexKind::Hnsw, ElementType::Float32);
    const double recall = recall_at_k(hnsw, flat, kK);
    INFO(metric_name(metric) << " HNSW recall@10 " << recall);
    CHECK(recall >= 0.95);

    // Every score is the metric's exact value for the original vectors, and
    // an item both indexes return has the very same score in both.
    SearchOptions options;
    options.k = kK;
    for (std::size_t q = 0; q < 20; ++q) {
      const float* query = &data().queries[q * kDim];
      const std::vector<Hit> exact = flat.search(query, options), approximate = hnsw.search(query, options);
      REQUIRE(approximate.size() == kK);
      CHECK(std::is_sorted(approximate.begin(), approximate.end(), HitOrder{metric}));
      for (const Hit& h : approximate) {
        const std::size_t row = (h.id - 7) / 3;
        const float want = metric_value(metric, query, &data().points[row * kDim], kDim);
        const float tolerance = higher_is_closer(metric) ? 2e-6f : 2e-6f * std::fabs(want);
        CHECK(std::fabs(h.score - want) <= tolerance);
        for (const Hit& e : exact)
          if (e.id == h.id) CHECK(e.score == h.score);
      }
    }
  }
}

TEST_CASE("int8 HNSW recall@10 against the int8 flat index and against float32, every metric (10 000, d = 128)") {
  for (const Metric metric : kAllMetrics) {
    const VectorIndex flat = build(metric, IndexKind::Flat, ElementType::Float32, kInt8Count);
    const VectorIndex flat8 = build(metric, IndexKind::Flat, ElementType::Int8, kInt8Count);
    const VectorIndex hnsw8 = build(metric, IndexKind::Hnsw, ElementType::Int8, kInt8Count);
    const double graph = recall_at_k(hnsw8, flat8, kK);        // the graph walk on int8 distances
    const double quantisation = recall_at_k(flat8, flat, kK);  // what int8 values cost by themselves
    const double overall = recall_at_k(hnsw8, flat, kK);
    INFO(metric_name(metric) << " int8: HNSW vs int8 flat " << graph << ", int8 flat vs float32 flat " << quantisation
                             << ", int8 HNSW vs float32 flat " << overall);
    CHECK(graph >= 0.95);
    CHECK(quantisation >= 0.97);
    CHECK(overall >= 0.95);
  }
}
