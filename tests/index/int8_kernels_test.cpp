#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "lookalike/metrics/kernels.h"

using namespace lookalike;

namespace {

struct Case {
  std::vector<float> a;
  std::vector<std::int8_t> ca, cb;
  float offset_a, scale_a, offset_b, scale_b;
};

Case make_case(std::mt19937& rng, std::size_t n) {
  std::uniform_int_distribution<int> code(-128, 127);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  Case c;
  c.a.resize(n);
  c.ca.resize(n);
  c.cb.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    c.a[i] = normal(rng);
    c.ca[i] = static_cast<std::int8_t>(code(rng));
    c.cb[i] = static_cast<std::int8_t>(code(rng));
  }
  c.offset_a = 0.1f * normal(rng);
  c.offset_b = 0.1f * normal(rng);
  c.scale_a = 0.01f * (1.0f + std::fabs(normal(rng)));
  c.scale_b = 0.01f * (1.0f + std::fabs(normal(rng)));
  return c;
}

// |got − want| ≤ 1e-5 · (Σ of the magnitudes of the terms): float sums in
// another order differ by rounding only.
void check_close(double got, double want, double magnitude, const char* kernel, const char* set, std::size_t n) {
  if (!(std::fabs(got - want) <= 1e-5 * magnitude + 1e-30))
    FAIL_CHECK(set << " " << kernel << " n=" << n << ": got " << got << ", reference " << want);
}

}  // namespace

TEST_CASE("int8 kernels of every instruction set equal a double reference, n = 0..300 and 512, 1000, 4099") {
  std::mt19937 rng(99);
  std::vector<std::size_t> lengths;
  for (std::size_t n = 0; n <= 300; ++n) lengths.push_back(n);
  for (std::size_t n : {512u, 1000u, 4099u}) lengths.push_back(n);
  for (const Kernels* k : available_kernels()) {
    INFO("kernel set " << k->name);
    for (const std::size_t n : lengths) {
      const Case c = make_case(rng, n);
      std::int64_t dot = 0;
      double dot_f = 0, dot_f_mag = 0, l2 = 0, l2_mag = 0, l1 = 0, l1_mag = 0, l1s = 0, l1s_mag = 0;
      for (std::size_t i = 0; i < n; ++i) {
        dot += std::int64_t(c.ca[i]) * c.cb[i];
        dot_f += double(c.a[i]) * c.ca[i];
        dot_f_mag += std::fabs(double(c.a[i]) * c.ca[i]);
        const double x = double(c.offset_a) + double(c.scale_a) * c.ca[i];
        const double y = double(c.offset_b) + double(c.scale_b) * c.cb[i];
        l2 += (c.a[i] - x) * (c.a[i] - x);
        l2_mag += (c.a[i] - x) * (c.a[i] - x) + std::fabs(c.a[i] - x) * (std::fabs(c.a[i]) + std::fabs(x));
        l1 += std::fabs(c.a[i] - x);
        l1_mag += std::fabs(c.a[i]) + std::fabs(x);
        l1s += std::fabs(x - y);
        l1s_mag += std::fabs(x) + std::fabs(y);
      }
      CHECK(k->dot_i8(c.ca.data(), c.cb.data(), n) == dot);
      check_close(k->dot_f32_i8(c.a.data(), c.ca.data(), n), dot_f, dot_f_mag, "dot_f32_i8", k->name, n);
      check_close(k->l2_squared_f32_i8(c.a.data(), c.ca.data(), n, c.offset_a, c.scale_a), l2, l2_mag,
                  "l2_squared_f32_i8", k->name, n);
      check_close(k->l1_f32_i8(c.a.data(), c.ca.data(), n, c.offset_a, c.scale_a), l1, l1_mag, "l1_f32_i8", k->name, n);
      check_close(k->l1_i8(c.ca.data(), c.cb.data(), n, c.offset_a - c.offset_b, c.scale_a, c.scale_b), l1s, l1s_mag,
                  "l1_i8", k->name, n);
    }
  }
}

TEST_CASE("the int8 dot product is exact at its extremes and its length limit") {
  const std::size_t n = kMaxInt8KernelLength;
  std::vector<std::int8_t> low(n, -128), high(n, 127);
  for (const Kernels* k : available_kernels()) {
    INFO("kernel set " << k->name);
    CHECK(k->dot_i8(low.data(), low.data(), n) == std::int32_t(n) * 16384);
    CHECK(k->dot_i8(low.data(), high.data(), n) == -std::int32_t(n) * 16256);
    CHECK(k->dot_i8(high.data(), high.data(), 33) == 33 * 16129);
  }
}

TEST_CASE("the best kernel set is among the available ones and agrees with scalar on int8 codes") {
  const Kernels& best = best_kernels();
  bool listed = false;
  for (const Kernels* k : available_kernels()) listed = listed || k == &best;
  CHECK(listed);
  std::vector<std::int8_t> a(77), b(77);
  for (std::size_t i = 0; i < a.size(); ++i) {
    a[i] = static_cast<std::int8_t>(int(i * 37 % 256) - 128);
    b[i] = static_cast<std::int8_t>(int(i * 91 % 256) - 128);
  }
  CHECK(best.dot_i8(a.data(), b.data(), a.size()) == scalar_kernels().dot_i8(a.data(), b.data(), a.size()));
}
