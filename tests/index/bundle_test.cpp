#include <catch2/catch.hpp>

#include "index_test_support.h"
#include "lookalike/common/error.h"
#include "lookalike/index/vector_index.h"

using namespace lookalike;
using namespace lookalike::testing;

namespace {

const IndexVariant kVariants[] = {
    {IndexKind::Flat, ElementType::Float32, false}, {IndexKind::Flat, ElementType::Int8, false},
    {IndexKind::Flat, ElementType::Int8, true},     {IndexKind::Hnsw, ElementType::Float32, false},
    {IndexKind::Hnsw, ElementType::Int8, false},    {IndexKind::Hnsw, ElementType::Int8, true}};

void check_same_config(const IndexConfig& a, const IndexConfig& b) {
  CHECK(a.feature_spec == b.feature_spec);
  CHECK(a.feature_version == b.feature_version);
  CHECK(a.metric == b.metric);
  CHECK(a.dim == b.dim);
  CHECK(a.kind == b.kind);
  CHECK(a.element == b.element);
  CHECK(a.keep_float_vectors == b.keep_float_vectors);
  CHECK(a.hnsw.m == b.hnsw.m);
  CHECK(a.hnsw.ef_construction == b.hnsw.ef_construction);
  CHECK(a.hnsw.ef_search == b.hnsw.ef_search);
  CHECK(a.hnsw.seed == b.hnsw.seed);
}

// Same ids, same scores bit for bit, for plain, filtered and by-id searches.
void check_same_results(const VectorIndex& a, const VectorIndex& b, const std::vector<float>& queries,
                        std::size_t dim) {
  REQUIRE(a.ids() == b.ids());
  for (std::size_t q = 0; q * dim < queries.size(); ++q) {
    SearchOptions options;
    options.k = 12;
    if (q % 3 == 1) options.accept = [](std::uint32_t id) { return id % 4 != 1; };
    if (q % 3 == 2) options.ef = 20;
    const std::vector<Hit> x = a.search(&queries[q * dim], options), y = b.search(&queries[q * dim], options);
    REQUIRE(x.size() == y.size());
    for (std::size_t r = 0; r < x.size(); ++r) {
      CHECK(x[r].id == y[r].id);
      CHECK(x[r].score == y[r].score);
    }
  }
  const std::vector<std::uint32_t> ids = a.ids();
  for (std::size_t i = 0; i < ids.size(); i += ids.size() / 5 + 1) {
    CHECK(a.stored_vector(ids[i]) == b.stored_vector(ids[i]));
    CHECK(hit_ids(a.search_by_id(ids[i], {})) == hit_ids(b.search_by_id(ids[i], {})));
  }
}

}  // namespace

TEST_CASE("save → load gives the same config, items and results, and saves to the same bytes") {
  const std::size_t n = 1500, dim = 20;
  const std::vector<float> data = random_vectors(n + 200, dim, 41), queries = random_vectors(30, dim, 42);
  const std::vector<std::uint32_t> ids = sequential_ids(n + 200, 3, 2);
  for (const Metric metric : kAllMetrics) {
    for (const IndexVariant& v : kVariants) {
      INFO(metric_name(metric) << " " << index_kind_name(v.kind) << " " << element_type_name(v.element)
                               << (v.keep_floats ? " +floats" : ""));
      IndexConfig config = index_config(metric, dim, v.kind, v.element, v.keep_floats);
      config.feature_version = 3;
      config.hnsw = {12, 80, 40, 777};
      VectorIndex index(config);
      index.add_many(ids.data(), data.data(), n);
      for (std::size_t i = 0; i < n; i += 9) index.remove(ids[i]);
      index.add(ids[9], &data[(n + 1) * dim]);  // a removed id comes back with another vector
      const std::vector<std::uint8_t> bytes = index.save();
      const VectorIndex loaded = VectorIndex::load(bytes.data(), bytes.size());
      check_same_config(index.config(), loaded.config());
      CHECK(loaded.size() == index.size());
      check_same_results(index, loaded, queries, dim);
      CHECK(loaded.save() == bytes);

      // A loaded index takes more items and removals, and round-trips again.
      VectorIndex updated = VectorIndex::load(bytes.data(), bytes.size());
      index.add_many(&ids[n], &data[n * dim], 200);
      updated.add_many(&ids[n], &data[n * dim], 200);
      for (std::size_t i = 1; i < n + 200; i += 11) {
        if (!index.contains(ids[i])) continue;
        index.remove(ids[i]);
        updated.remove(ids[i]);
      }
      CHECK(updated.size() == index.size());
      const std::vector<std::uint8_t> again = updated.save();
      const VectorIndex reloaded = VectorIndex::load(again.data(), again.size());
      check_same_results(updated, reloaded, queries, dim);
      for (std::size_t i = 1; i < n + 200; i += 11) CHECK_FALSE(reloaded.contains(ids[i]));
      if (v.kind == IndexKind::Flat) check_same_results(index, reloaded, queries, dim);
    }
  }
}

TEST_CASE("empty indexes round-trip, and loaded empty indexes take items") {
  for (const IndexVariant& v : kVariants) {
    VectorIndex empty(index_config(Metric::L2, 3, v.kind, v.element, v.keep_floats));
    const std::vector<std::uint8_t> bytes = empty.save();
    VectorIndex loaded = VectorIndex::load(bytes.data(), bytes.size());
    CHECK(loaded.size() == 0);
    CHECK(loaded.save() == bytes);
    const std::vector<float> x{1, 2, 3};
    CHECK(loaded.search(x.data(), {}).empty());
    loaded.add(5, x.data());
    CHECK(hit_ids(loaded.search(x.data(), {})) == std::vector<std::uint32_t>{5});
  }
}

TEST_CASE("an index whose items were all removed round-trips and returns nothing") {
  VectorIndex index(index_config(Metric::Cosine, 4, IndexKind::Hnsw));
  const std::vector<float> data = random_vectors(30, 4, 2);
  const std::vector<std::uint32_t> ids = sequential_ids(30);
  index.add_many(ids.data(), data.data(), 30);
  for (std::uint32_t id : ids) index.remove(id);
  const std::vector<std::uint8_t> bytes = index.save();
  const VectorIndex loaded = VectorIndex::load(bytes.data(), bytes.size());
  CHECK(loaded.size() == 0);
  CHECK(loaded.search(data.data(), {}).empty());
  CHECK(loaded.ids().empty());
}

TEST_CASE("int8 bundles are about a quarter of float32 bundles") {
  const std::size_t n = 2000, dim = 256;
  const std::vector<float> data = random_vectors(n, dim, 9);
  const std::vector<std::uint32_t> ids = sequential_ids(n);
  VectorIndex f32(index_config(Metric::Cosine, dim, IndexKind::Hnsw));
  VectorIndex i8(index_config(Metric::Cosine, dim, IndexKind::Hnsw, ElementType::Int8));
  f32.add_many(ids.data(), data.data(), n);
  i8.add_many(ids.data(), data.data(), n);
  const double ratio = double(i8.save().size()) / double(f32.save().size());
  INFO("int8 / float32 bytes " << ratio);
  CHECK(ratio < 0.4);
}
