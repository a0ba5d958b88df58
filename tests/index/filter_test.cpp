#include <catch2/catch.hpp>

#include <set>

#include "index_test_support.h"
#include "lookalike/index/vector_index.h"
#include "support/clustered_vectors.h"

using namespace lookalike;
using namespace lookalike::testing;

namespace {

// Ten "labels": an item's label is id % 10; a share of labels is accepted.
std::function<bool(std::uint32_t)> labels_below(std::uint32_t labels) {
  return [labels](std::uint32_t id) { return id % 10 < labels; };
}

}  // namespace

TEST_CASE("a filter restricts results to accepted ids, selective or broad, flat or HNSW") {
  const std::size_t n = 8000, dim = 32, queries = 60;
  const ClusteredVectors v = make_clustered_vectors(n, queries, dim, 77, 160);
  const std::vector<std::uint32_t> ids = sequential_ids(n);
  for (const ElementType element : {ElementType::Float32, ElementType::Int8}) {
    VectorIndex flat(index_config(Metric::Cosine, dim, IndexKind::Flat, element));
    VectorIndex hnsw(index_config(Metric::Cosine, dim, IndexKind::Hnsw, element));
    flat.add_many(ids.data(), v.points.data(), n);
    hnsw.add_many(ids.data(), v.points.data(), n);
    for (std::uint32_t id = 0; id < n; id += 7) {  // removed items stay out under a filter too
      flat.remove(id);
      hnsw.remove(id);
    }
    // 1 label of 10 is answered by an exact scan, 7 and 9 of 10 inside the
    // graph walk (vector_index.cpp: scan while accepted² ≤ 40·ef·live).
    for (const std::uint32_t labels : {1u, 7u, 9u}) {
      INFO(element_type_name(element) << ", " << labels << " labels of 10 accepted");
      SearchOptions options;
      options.k = 10;
      options.accept = labels_below(labels);
      double found = 0;
      for (std::size_t q = 0; q < queries; ++q) {
        const float* query = &v.queries[q * dim];
        const std::vector<Hit> want = flat.search(query, options), got = hnsw.search(query, options);
        REQUIRE(want.size() == 10);
        REQUIRE(got.size() == 10);
        std::set<std::uint32_t> truth;
        for (const Hit& h : want) {
          CHECK(h.id % 10 < labels);
          CHECK(h.id % 7 != 0);
          truth.insert(h.id);
        }
        for (const Hit& h : got) {
          CHECK(h.id % 10 < labels);
          CHECK(h.id % 7 != 0);
          found += truth.count(h.id);
        }
      }
      const double recall = found / double(queries * 10);
      INFO("recall@10 " << recall);
      CHECK(recall >= (labels == 1 ? 1.0 : 0.95));
    }
  }
}

TEST_CASE("a filter that accepts few or no items returns exactly those") {
  const std::size_t n = 5000, dim = 16;
  const std::vector<float> data = random_vectors(n, dim, 31);
  const std::vector<std::uint32_t> ids = sequential_ids(n);
  VectorIndex index(index_config(Metric::L1, dim, IndexKind::Hnsw));
  index.add_many(ids.data(), data.data(), n);
  SearchOptions options;
  options.k = 10;
  options.accept = [](std::uint32_t id) { return id == 17 || id == 4000 || id == 4999; };
  std::vector<std::uint32_t> got = hit_ids(index.search(data.data(), options));
  std::sort(got.begin(), got.end());
  CHECK(got == std::vector<std::uint32_t>{17, 4000, 4999});
  options.accept = [](std::uint32_t) { return false; };
  CHECK(index.search(data.data(), options).empty());
  // search_by_id honours the filter and still leaves the item out.
  options.accept = [](std::uint32_t id) { return id % 2 == 0; };
  const std::vector<Hit> more = index.search_by_id(10, options);
  REQUIRE(more.size() == 10);
  for (const Hit& h : more) {
    CHECK(h.id % 2 == 0);
    CHECK(h.id != 10);
  }
}
