#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "lookalike/common/error.h"
#include "lookalike/metrics/metric.h"
#include "support/skip.h"

using namespace lookalike;
using namespace lookalike::testing;

namespace {

// The naive double-precision definitions the kernels must equal.
double reference(Metric metric, const std::vector<float>& a, const std::vector<float>& b) {
  const std::size_t n = a.size();
  double l1 = 0, l2 = 0, dot = 0, aa = 0, bb = 0, ma = 0, mb = 0;
  for (std::size_t i = 0; i < n; ++i) {
    l1 += std::fabs(double(a[i]) - b[i]);
    l2 += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    dot += double(a[i]) * b[i];
    aa += double(a[i]) * a[i];
    bb += double(b[i]) * b[i];
    ma += a[i];
    mb += b[i];
  }
  ma /= double(n);
  mb /= double(n);
  double cab = 0, caa = 0, cbb = 0;
  for (std::size_t i = 0; i < n; ++i) {
    cab += (a[i] - ma) * (b[i] - mb);
    caa += (a[i] - ma) * (a[i] - ma);
    cbb += (b[i] - mb) * (b[i] - mb);
  }
  switch (metric) {
    case Metric::L1: return l1;
    case Metric::L2: return std::sqrt(l2);
    case Metric::Cosine: return aa > 0 && bb > 0 ? dot / std::sqrt(aa * bb) : 0.0;
    case Metric::Correlation: return caa > 0 && cbb > 0 ? cab / std::sqrt(caa * cbb) : 0.0;
  }
  return 0;
}

}  // namespace

TEST_CASE("every kernel set equals the double reference within 1e-5 relative, d = 1..1537") {
  std::mt19937 rng(2024);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);  // histogram- and pixel-like features
  std::normal_distribution<float> normal(0.0f, 1.0f);      // embedding-like, mixed signs
  for (const Kernels* kernels : available_kernels()) {
    double worst = 0;
    for (std::size_t d = 1; d <= 1537; ++d) {
      // kind 0: independent uniform (correlation near 0); 1: independent normal
      // (cosine near 0); 2: correlated normal with an offset.
      for (int kind = 0; kind < 3; ++kind) {
        std::vector<float> a(d), b(d);
        for (std::size_t i = 0; i < d; ++i) {
          a[i] = kind == 0 ? unit(rng) : normal(rng) + (kind == 2 ? 0.3f : 0.0f);
          b[i] = kind == 0 ? unit(rng) : normal(rng) + (kind == 2 ? 0.5f * a[i] : 0.0f);
        }
        for (Metric metric : kAllMetrics) {
          const double want = reference(metric, a, b);
          const double got = metric_value(metric, a.data(), b.data(), d, *kernels);
          const double relative = std::fabs(got - want) / std::max(std::fabs(want), 1e-30);
          worst = std::max(worst, want == 0 ? std::fabs(got) : relative);
          if (!(relative <= 1e-5 || (want == 0 && got == 0))) {
            FAIL_CHECK(kernels->name << " " << metric_name(metric) << " d=" << d << " kind=" << kind << ": got " << got
                                     << ", reference " << want << ", relative error " << relative);
          }
        }
      }
    }
    INFO(kernels->name << " worst relative error " << worst);
    CHECK(worst <= 1e-5);
  }
}

TEST_CASE("metric names, directions and degenerate vectors") {
  for (Metric m : kAllMetrics) CHECK(parse_metric(metric_name(m)) == m);
  CHECK(parse_metric("pearson") == Metric::Correlation);
  CHECK_THROWS_WITH(parse_metric("hamming"), Catch::Contains("unknown metric \"hamming\""));
  CHECK(higher_is_closer(Metric::Cosine));
  CHECK_FALSE(higher_is_closer(Metric::L2));
  CHECK(score_ranks_before(Metric::L1, 1.0f, 2.0f));
  CHECK(score_ranks_before(Metric::Cosine, 0.9f, 0.1f));
  CHECK(score_ranks_before(Metric::Cosine, 0.1f, std::nanf("")));
  const std::vector<float> zero(5, 0.0f), flat(5, 2.0f), ramp{1, 2, 3, 4, 5};
  CHECK(metric_value(Metric::Cosine, zero.data(), ramp.data(), 5) == 0.0f);
  CHECK(metric_value(Metric::Correlation, flat.data(), ramp.data(), 5) == 0.0f);
  CHECK(metric_value(Metric::Correlation, ramp.data(), ramp.data(), 5) == Approx(1.0f));
  const std::vector<float> reversed{5, 4, 3, 2, 1};
  CHECK(metric_value(Metric::Correlation, ramp.data(), reversed.data(), 5) == Approx(-1.0f));
  CHECK(metric_value(Metric::L1, ramp.data(), reversed.data(), 5) == Approx(12.0f));
  CHECK(metric_value(Metric::L2, ramp.data(), reversed.data(), 5) == Approx(std::sqrt(40.0f)));
}

TEST_CASE("every SIMD kernel set adds in the same order: bit-identical results") {
  // The browser's SIMD128 set follows the same order; tests/wasm checks it
  // against these native results.
  std::vector<const Kernels*> simd;
  for (const Kernels* k : available_kernels())
    if (k != &scalar_kernels()) simd.push_back(k);
  if (simd.size() < 2)
    skip_test("only " + std::to_string(simd.size()) + " SIMD kernel set on this CPU, nothing to compare");
  std::mt19937 rng(77);
  std::normal_distribution<float> normal(0.2f, 1.0f);
  for (std::size_t d : {1u, 7u, 15u, 16u, 17u, 31u, 100u, 512u, 1280u, 1537u, 12288u}) {
    std::vector<float> a(d), b(d);
    std::vector<std::int8_t> ca(d), cb(d);
    for (std::size_t i = 0; i < d; ++i) {
      a[i] = normal(rng);
      b[i] = normal(rng);
      ca[i] = std::int8_t(int(rng() % 255) - 127);
      cb[i] = std::int8_t(int(rng() % 255) - 127);
    }
    const Kernels& first = *simd.front();
    for (const Kernels* k : simd) {
      INFO(first.name << " vs " << k->name << ", d = " << d);
      CHECK(k->l1(a.data(), b.data(), d) == first.l1(a.data(), b.data(), d));
      CHECK(k->l2_squared(a.data(), b.data(), d) == first.l2_squared(a.data(), b.data(), d));
      CHECK(k->dot(a.data(), b.data(), d) == first.dot(a.data(), b.data(), d));
      CHECK(k->sum(a.data(), d) == first.sum(a.data(), d));
      const DotAndNorms x = k->centred_dot_and_norms(a.data(), b.data(), d, 0.1, -0.2);
      const DotAndNorms y = first.centred_dot_and_norms(a.data(), b.data(), d, 0.1, -0.2);
      CHECK(x.dot == y.dot);
      CHECK(x.a_squared == y.a_squared);
      CHECK(x.b_squared == y.b_squared);
      CHECK(k->dot_i8(ca.data(), cb.data(), d) == first.dot_i8(ca.data(), cb.data(), d));
      CHECK(k->dot_f32_i8(a.data(), cb.data(), d) == first.dot_f32_i8(a.data(), cb.data(), d));
      CHECK(k->l2_squared_f32_i8(a.data(), cb.data(), d, 0.3f, 0.01f) ==
            first.l2_squared_f32_i8(a.data(), cb.data(), d, 0.3f, 0.01f));
      CHECK(k->l1_f32_i8(a.data(), cb.data(), d, 0.3f, 0.01f) == first.l1_f32_i8(a.data(), cb.data(), d, 0.3f, 0.01f));
      CHECK(k->l1_i8(ca.data(), cb.data(), d, 0.05f, 0.01f, 0.02f) ==
            first.l1_i8(ca.data(), cb.data(), d, 0.05f, 0.01f, 0.02f));
    }
  }
}
