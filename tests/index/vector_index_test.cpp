#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "index_test_support.h"
#include "lookalike/common/error.h"
#include "lookalike/index/vector_index.h"

using namespace lookalike;
using namespace lookalike::testing;

namespace {

const IndexVariant kVariants[] = {{IndexKind::Flat, ElementType::Float32, false},
                                  {IndexKind::Hnsw, ElementType::Float32, false},
                                  {IndexKind::Flat, ElementType::Int8, false},
                                  {IndexKind::Hnsw, ElementType::Int8, false},
                                  {IndexKind::Hnsw, ElementType::Int8, true}};

}  // namespace

TEST_CASE("index configs outside their limits are refused with the field named") {
  IndexConfig c = index_config(Metric::L2, 8, IndexKind::Hnsw);
  c.dim = 0;
  CHECK_THROWS_WITH(VectorIndex(c), Catch::Contains("dim is 0"));
  c.dim = 8;
  c.hnsw.m = 1;
  CHECK_THROWS_WITH(VectorIndex(c), Catch::Contains("hnsw.m is 1"));
  c.hnsw.m = 16;
  c.hnsw.ef_search = 0;
  CHECK_THROWS_WITH(VectorIndex(c), Catch::Contains("hnsw.ef_search"));
  c.hnsw.ef_search = 10;
  c.keep_float_vectors = true;
  CHECK_THROWS_WITH(VectorIndex(c), Catch::Contains("keep_float_vectors"));
  c.keep_float_vectors = false;
  c.feature_spec = "bad\nspec";
  CHECK_THROWS_WITH(VectorIndex(c), Catch::Contains("printable ASCII"));
  CHECK(parse_index_kind("hnsw") == IndexKind::Hnsw);
  CHECK(parse_element_type("int8") == ElementType::Int8);
  CHECK_THROWS_WITH(parse_element_type("float16"), Catch::Contains("unknown element type \"float16\""));
}

TEST_CASE("add, contains, ids, remove, and the errors of each") {
  for (const IndexVariant& v : kVariants) {
    INFO(describe(Metric::Cosine, v));
    VectorIndex index(index_config(Metric::Cosine, 4, v.kind, v.element, v.keep_floats));
    const std::vector<float> a{1, 0, 0, 0}, b{0, 1, 0, 0}, nan{0, std::nanf(""), 0, 0};
    CHECK(index.size() == 0);
    CHECK(index.search(a.data(), {}).empty());
    index.add(7, a.data());
    index.add(3, b.data());
    CHECK(index.size() == 2);
    CHECK(index.ids() == std::vector<std::uint32_t>{3, 7});
    CHECK(index.contains(7));
    CHECK_FALSE(index.contains(8));
    CHECK_THROWS_WITH(index.add(7, b.data()), Catch::Contains("id 7 is already in the index"));
    CHECK_THROWS_WITH(index.add(9, nan.data()), Catch::Contains("id 9 has a non-finite value at dimension 1"));
    CHECK_THROWS_WITH(index.search(nan.data(), {}), Catch::Contains("query vector has a non-finite value"));
    CHECK_THROWS_WITH(index.remove(8), Catch::Contains("id 8 is not in the index"));
    CHECK(index.size() == 2);
    index.remove(7);
    CHECK_FALSE(index.contains(7));
    CHECK_THROWS_WITH(index.remove(7), Catch::Contains("id 7 is not in the index"));
    CHECK_THROWS_WITH(index.stored_vector(7), Catch::Contains("id 7 is not in the index"));
    CHECK(index.ids() == std::vector<std::uint32_t>{3});
    CHECK(hit_ids(index.search(a.data(), {})) == std::vector<std::uint32_t>{3});
    // A removed id may come back with another vector.
    index.add(7, b.data());
    CHECK(index.size() == 2);
    const std::vector<float> stored = index.stored_vector(7);
    CHECK(stored[1] == Approx(1.0f).margin(0.01));
    CHECK(stored[0] == Approx(0.0f).margin(0.01));
    // add_many refuses a batch with a repeated or present id, adding nothing.
    const std::vector<float> two{0, 0, 1, 0, 0, 0, 0, 1};
    const std::vector<std::uint32_t> repeated{20, 20}, present{21, 3};
    CHECK_THROWS_WITH(index.add_many(repeated.data(), two.data(), 2), Catch::Contains("id 20 appears more than once"));
    CHECK_THROWS_WITH(index.add_many(present.data(), two.data(), 2), Catch::Contains("id 3 is already in the index"));
    CHECK(index.size() == 2);
  }
}

TEST_CASE("every variant ranks like exact search on its stored vectors, ties by id, k beyond the size") {
  const std::size_t n = 300, dim = 19;
  const std::vector<float> data = random_vectors(n, dim, 3), queries = random_vectors(20, dim, 4);
  std::vector<std::uint32_t> ids = sequential_ids(n, 1000, 7);
  for (const Metric metric : kAllMetrics) {
    for (const IndexVariant& v : kVariants) {
      INFO(describe(metric, v));
      VectorIndex index(index_config(metric, dim, v.kind, v.element, v.keep_floats));
      index.add_many(ids.data(), data.data(), n);
      for (std::size_t q = 0; q < 20; ++q) {
        const float* query = &queries[q * dim];
        // The exact ranking over the vectors as stored (prepared, dequantised).
        std::vector<Hit> want;
        for (std::uint32_t id : ids) {
          const std::vector<float> s = index.stored_vector(id);
          want.push_back({id, metric_value(metric, query, s.data(), dim)});
        }
        std::sort(want.begin(), want.end(), HitOrder{metric});
        SearchOptions options;
        options.k = 10;
        options.ef = 300;  // the whole graph: an HNSW search is then exact here
        const std::vector<Hit> got = index.search(query, options);
        REQUIRE(got.size() == 10);
        for (std::size_t r = 0; r < 10; ++r) {
          CHECK(got[r].id == want[r].id);
          CHECK(got[r].score == want[r].score);
        }
        // For float32 the stored vector is the original up to the metric's
        // invariances: scores are the original metric values.
        if (v.element == ElementType::Float32 || v.keep_floats) {
          const std::size_t row = (got[0].id - 1000) / 7;
          CHECK(got[0].score == Approx(metric_value(metric, query, &data[row * dim], dim)).epsilon(2e-6).margin(2e-6));
        }
      }
      SearchOptions all;
      all.k = 1000;
      CHECK(index.search(queries.data(), all).size() == n);
      all.k = 0;
      CHECK(index.search(queries.data(), all).empty());
    }
  }
  // Identical vectors score the same and come out lowest id first.
  for (const IndexVariant& v : kVariants) {
    VectorIndex index(index_config(Metric::L2, 3, v.kind, v.element, v.keep_floats));
    const std::vector<float> same{1, 2, 3}, other{9, 9, 9};
    for (std::uint32_t id : {50u, 10u, 40u, 20u}) index.add(id, same.data());
    index.add(30, other.data());
    SearchOptions options;
    options.k = 5;
    CHECK(hit_ids(index.search(same.data(), options)) == std::vector<std::uint32_t>{10, 20, 40, 50, 30});
  }
}

TEST_CASE("items added after a build are found; removed items are never returned") {
  const std::size_t n = 2000, dim = 24;
  const std::vector<float> data = random_vectors(n + 100, dim, 8);
  const std::vector<std::uint32_t> ids = sequential_ids(n + 100);
  for (const Metric metric : kAllMetrics) {
    for (const IndexVariant& v : kVariants) {
      INFO(describe(metric, v));
      VectorIndex index(index_config(metric, dim, v.kind, v.element, v.keep_floats));
      index.add_many(ids.data(), data.data(), n);
      for (std::size_t i = n; i < n + 100; ++i) index.add(ids[i], &data[i * dim]);
      std::set<std::uint32_t> removed;
      for (std::uint32_t id = 0; id < n + 100; id += 3) {
        index.remove(id);
        removed.insert(id);
      }
      CHECK(index.size() == n + 100 - removed.size());
      SearchOptions options;
      options.k = 10;
      std::size_t found_self = 0, checked = 0;
      for (std::size_t i = n; i < n + 100; ++i) {
        if (removed.count(ids[i])) continue;
        ++checked;
        const std::vector<Hit> hits = index.search(&data[i * dim], options);
        found_self += !hits.empty() && hits[0].id == ids[i];
        for (const Hit& h : hits) CHECK(removed.count(h.id) == 0);
      }
      CHECK(found_self == checked);
      // Even asking for everything returns no removed item.
      options.k = n + 100;
      const std::vector<Hit> all = index.search(data.data(), options);
      for (const Hit& h : all) CHECK(removed.count(h.id) == 0);
      CHECK(index.ids().size() == n + 100 - removed.size());
    }
  }
}

TEST_CASE("search_by_id leaves the item out and equals a search with its stored vector") {
  const std::size_t n = 500, dim = 16;
  const std::vector<float> data = random_vectors(n, dim, 12);
  const std::vector<std::uint32_t> ids = sequential_ids(n, 5);
  for (const IndexVariant& v : kVariants) {
    INFO(describe(Metric::Cosine, v));
    VectorIndex index(index_config(Metric::Cosine, dim, v.kind, v.element, v.keep_floats));
    index.add_many(ids.data(), data.data(), n);
    SearchOptions options;
    options.k = 8;
    options.ef = 500;
    for (std::uint32_t id : {5u, 77u, 504u}) {
      const std::vector<Hit> more = index.search_by_id(id, options);
      REQUIRE(more.size() == 8);
      for (const Hit& h : more) CHECK(h.id != id);
      options.k = 9;
      const std::vector<float> stored = index.stored_vector(id);
      std::vector<Hit> plain = index.search(stored.data(), options);
      options.k = 8;
      plain.erase(std::remove_if(plain.begin(), plain.end(), [id](const Hit& h) { return h.id == id; }), plain.end());
      plain.resize(8);
      CHECK(hit_ids(more) == hit_ids(plain));
    }
    CHECK_THROWS_WITH(index.search_by_id(4, options), Catch::Contains("id 4 is not in the index"));
  }
}

TEST_CASE("add_many on several threads builds the same membership as one thread, with good recall") {
  const std::size_t n = 3000, dim = 32;
  const std::vector<float> data = random_vectors(n, dim, 21), queries = random_vectors(50, dim, 22);
  const std::vector<std::uint32_t> ids = sequential_ids(n, 1);
  VectorIndex serial(index_config(Metric::L2, dim, IndexKind::Hnsw));
  VectorIndex parallel(index_config(Metric::L2, dim, IndexKind::Hnsw));
  VectorIndex flat(index_config(Metric::L2, dim, IndexKind::Flat));
  serial.add_many(ids.data(), data.data(), n, 1);
  parallel.add_many(ids.data(), data.data(), n, 4);
  flat.add_many(ids.data(), data.data(), n);
  CHECK(serial.ids() == parallel.ids());
  SearchOptions options;
  double found_serial = 0, found_parallel = 0;
  for (std::size_t q = 0; q < 50; ++q) {
    std::set<std::uint32_t> truth;
    for (const Hit& h : flat.search(&queries[q * dim], options)) truth.insert(h.id);
    for (const Hit& h : serial.search(&queries[q * dim], options)) found_serial += truth.count(h.id);
    for (const Hit& h : parallel.search(&queries[q * dim], options)) found_parallel += truth.count(h.id);
  }
  CHECK(found_serial / 500 >= 0.9);
  CHECK(found_parallel / 500 >= 0.9);
}
