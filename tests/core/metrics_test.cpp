#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "common/error.h"
#include "metrics/metric.h"

using namespace lookalike;

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
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);    // histogram- and pixel-like features
  std::normal_distribution<float> normal(0.0f, 1.0f);       // embedding-like, mixed signs
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
            FAIL_CHECK(kernels->name << " " << metric_name(metric) << " d=" << d << " kind=" << kind << ": got "
                                     << got << ", reference " << want << ", relative error " << relative);
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
