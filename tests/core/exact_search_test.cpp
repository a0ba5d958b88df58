#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "lookalike/search/exact_search.h"

using namespace lookalike;

TEST_CASE("exact top-k equals a full sort, for every metric and k") {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  const std::size_t n = 500, d = 37;
  std::vector<float> data(n * d), query(d);
  for (float& x : data) x = u(rng);
  for (float& x : query) x = u(rng);
  for (Metric metric : kAllMetrics) {
    std::vector<Hit> all;
    for (std::size_t i = 0; i < n; ++i)
      all.push_back({std::uint32_t(i), metric_value(metric, query.data(), data.data() + i * d, d)});
    std::sort(all.begin(), all.end(), HitOrder{metric});
    for (std::size_t k : {1u, 10u, 100u, 499u, 500u, 501u, 10000u}) {
      const std::vector<Hit> top = exact_search(metric, query.data(), data.data(), n, d, k);
      REQUIRE(top.size() == std::min(k, n));
      for (std::size_t r = 0; r < top.size(); ++r) {
        CHECK(top[r].id == all[r].id);
        CHECK(top[r].score == all[r].score);
      }
    }
  }
}

TEST_CASE("ties are broken by id; ids and filters are honoured") {
  const std::size_t d = 4;
  // Rows 0, 2 and 3 are identical: equal scores must come out in id order.
  std::vector<float> data{1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1};
  const std::vector<float> query{1, 1, 1, 1};
  std::vector<std::uint32_t> ids{30, 10, 20, 5};
  ExactSearchOptions options;
  options.ids = &ids;
  const auto top = exact_search(Metric::L2, query.data(), data.data(), 4, d, 3, options);
  REQUIRE(top.size() == 3);
  CHECK(top[0].id == 5);
  CHECK(top[1].id == 20);
  CHECK(top[2].id == 30);
  CHECK(top[0].score == 0.0f);

  options.accept = [](std::size_t row) { return row != 3; };
  const auto filtered = exact_search(Metric::L2, query.data(), data.data(), 4, d, 10, options);
  REQUIRE(filtered.size() == 3);
  CHECK(filtered[0].id == 20);
  CHECK(filtered.back().id == 10);
}
