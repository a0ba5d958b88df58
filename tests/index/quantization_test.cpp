#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "index/element_distance.h"
#include "index/element_layout.h"
#include "index/int8_quantization.h"
#include "index/vector_preparation.h"

using namespace lookalike;

TEST_CASE("int8 quantisation spans each vector's range and errs by at most half a step") {
  std::mt19937 rng(5);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (std::size_t dim : {1u, 2u, 7u, 128u, 513u}) {
    std::vector<float> x(dim), back(dim);
    std::vector<std::int8_t> codes(dim);
    for (float& v : x) v = 3.0f * normal(rng) + 1.0f;
    const Int8Scale s = quantize_int8(x.data(), dim, codes.data());
    dequantize_int8(codes.data(), dim, s, back.data());
    const float lo = *std::min_element(x.begin(), x.end()), hi = *std::max_element(x.begin(), x.end());
    if (dim == 1) {
      CHECK(s.scale == 0.0f);
      CHECK(back[0] == x[0]);
      continue;
    }
    CHECK(s.scale == Approx((hi - lo) / 255.0f));
    for (std::size_t i = 0; i < dim; ++i) CHECK(std::fabs(back[i] - x[i]) <= 0.5f * s.scale * 1.001f + 1e-6f);
    CHECK(*std::min_element(codes.begin(), codes.end()) == -128);
    CHECK(*std::max_element(codes.begin(), codes.end()) == 127);
  }
}

TEST_CASE("int8 quantisation of constant, extreme and tiny-range vectors stays finite") {
  std::vector<std::int8_t> codes(4);
  std::vector<float> back(4);
  const std::vector<float> constant{2.5f, 2.5f, 2.5f, 2.5f};
  Int8Scale s = quantize_int8(constant.data(), 4, codes.data());
  dequantize_int8(codes.data(), 4, s, back.data());
  CHECK(back == constant);
  const std::vector<float> extreme{-3e38f, 3e38f, 0.0f, 1.0f};
  s = quantize_int8(extreme.data(), 4, codes.data());
  dequantize_int8(codes.data(), 4, s, back.data());
  for (float v : back) CHECK(std::isfinite(v));
  CHECK(back[0] == Approx(-3e38f).epsilon(0.01));
  const std::vector<float> tiny{1e-40f, 2e-40f, 0.0f, 1e-40f};  // denormal range
  s = quantize_int8(tiny.data(), 4, codes.data());
  dequantize_int8(codes.data(), 4, s, back.data());
  for (float v : back) CHECK(std::isfinite(v));
}

TEST_CASE("prepared vectors: unit norm for cosine, centred unit norm for correlation, zeros stay zeros") {
  const std::vector<float> x{1, 2, 3, 4, 10};
  std::vector<float> p(5);
  prepare_vector(Metric::Cosine, x.data(), p.data(), 5);
  double norm = 0;
  for (float v : p) norm += double(v) * v;
  CHECK(norm == Approx(1.0).epsilon(1e-6));
  prepare_vector(Metric::Correlation, x.data(), p.data(), 5);
  double sum = 0;
  norm = 0;
  for (float v : p) {
    sum += v;
    norm += double(v) * v;
  }
  CHECK(std::fabs(sum) < 1e-6);
  CHECK(norm == Approx(1.0).epsilon(1e-6));
  prepare_vector(Metric::L1, x.data(), p.data(), 5);
  CHECK(p == x);
  const std::vector<float> flat{3, 3, 3, 3, 3};
  prepare_vector(Metric::Correlation, flat.data(), p.data(), 5);
  for (float v : p) CHECK(v == 0.0f);
}

TEST_CASE("element distances between int8 elements equal the distances of their dequantised vectors") {
  std::mt19937 rng(11);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const std::size_t dim = 67;
  for (const Metric metric : kAllMetrics) {
    const DistanceSpace space{metric, ElementLayout(ElementType::Int8, dim), &best_kernels()};
    const ElementDistanceFunction distance = element_distance_function(metric, ElementType::Int8);
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<float> a(dim), b(dim), pa(dim), pb(dim), da(dim), db(dim), q(dim), pq(dim);
      for (std::size_t i = 0; i < dim; ++i) {
        a[i] = normal(rng) + 0.5f;
        b[i] = a[i] + 0.3f * normal(rng);
        q[i] = normal(rng);
      }
      prepare_vector(metric, a.data(), pa.data(), dim);
      prepare_vector(metric, b.data(), pb.data(), dim);
      prepare_vector(metric, q.data(), pq.data(), dim);
      std::vector<std::uint8_t> ea(space.layout.bytes()), eb(space.layout.bytes());
      space.layout.encode(pa.data(), ea.data());
      space.layout.encode(pb.data(), eb.data());
      space.layout.decode(ea.data(), da.data());
      space.layout.decode(eb.data(), db.data());
      double want = 0, want_query = 0;
      for (std::size_t i = 0; i < dim; ++i) {
        const double d = double(da[i]) - db[i], dq = double(pq[i]) - da[i];
        switch (metric) {
          case Metric::L1:
            want += std::fabs(d);
            want_query += std::fabs(dq);
            break;
          case Metric::L2:
            want += d * d;
            want_query += dq * dq;
            break;
          case Metric::Cosine:
          case Metric::Correlation:
            want += double(da[i]) * db[i];
            want_query += double(pq[i]) * da[i];
            break;
        }
      }
      if (higher_is_closer(metric)) {
        want = 1.0 - want;
        want_query = 1.0 - want_query;
      }
      INFO(metric_name(metric) << " trial " << trial);
      CHECK(distance(ea.data(), eb.data(), &space) == Approx(want).epsilon(1e-5).margin(1e-5));
      const QueryDistance query(space, pq.data());
      CHECK(query(ea.data()) == Approx(want_query).epsilon(1e-5).margin(1e-5));
    }
  }
}
