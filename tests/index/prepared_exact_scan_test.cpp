#include <catch2/catch.hpp>

#include <random>

#include "index/prepared_exact_scan.h"
#include "index/vector_preparation.h"
#include "lookalike/search/exact_search.h"

using namespace lookalike;

TEST_CASE("the pre-selecting exact scan equals scoring every vector, near ties and exact ties included") {
  std::mt19937 rng(123);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_real_distribution<float> scale(0.1f, 10.0f);
  for (const std::size_t dim : {3u, 64u, 512u}) {
    const std::size_t n = 600;
    for (const Metric metric : kAllMetrics) {
      // Rows 0..199 random; the rest copies of them scaled and shifted, which
      // cosine (scale) and correlation (scale and shift) cannot tell apart:
      // ties up to rounding. Plus exact duplicates and a zero vector.
      std::vector<float> raw(n * dim), prepared(n * dim);
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < dim; ++j) {
          if (i < 200)
            raw[i * dim + j] = normal(rng);
          else if (i < 400)
            raw[i * dim + j] = raw[(i - 200) * dim + j] * (i % 2 ? 1.0f : 3.0f);
          else if (i < 590)
            raw[i * dim + j] = raw[(i % 200) * dim + j] * scale(rng) + (i % 3 ? 0.0f : 2.0f);
          else
            raw[i * dim + j] = i == 599 ? 0.0f : raw[(i % 7) * dim + j];
        }
        prepare_vector(metric, &raw[i * dim], &prepared[i * dim], dim);
      }
      std::vector<std::uint32_t> ids(n);
      for (std::size_t i = 0; i < n; ++i) ids[i] = static_cast<std::uint32_t>((i * 7919) % 1000);
      PreparedRows rows;
      rows.count = n;
      rows.vector = [&](std::size_t r) { return &prepared[r * dim]; };
      rows.id = [&](std::size_t r) { return ids[r]; };
      ExactSearchOptions reference_options;
      reference_options.ids = &ids;
      for (int trial = 0; trial < 12; ++trial) {
        std::vector<float> query(dim);
        for (float& x : query) x = normal(rng);
        if (trial == 0) query.assign(dim, 0.0f);                                     // zero query: everything ties
        if (trial == 1) query.assign(raw.begin() + 5 * dim, raw.begin() + 6 * dim);  // a stored vector
        for (const std::size_t k : {1u, 10u, 37u, 600u, 1000u}) {
          INFO(metric_name(metric) << " dim " << dim << " trial " << trial << " k " << k);
          const std::vector<Hit> want =
              exact_search(metric, query.data(), prepared.data(), n, dim, k, reference_options);
          const std::vector<Hit> got = prepared_exact_scan(metric, query.data(), dim, k, rows);
          REQUIRE(got.size() == want.size());
          for (std::size_t r = 0; r < got.size(); ++r) {
            CHECK(got[r].id == want[r].id);
            CHECK(got[r].score == want[r].score);
          }
        }
      }
    }
  }
}
