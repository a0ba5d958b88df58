#include "index/element_distance.h"

#include <algorithm>

namespace lookalike {
namespace {

const DistanceSpace& space_of(const void* p) { return *static_cast<const DistanceSpace*>(p); }
const float* as_floats(const void* p) { return static_cast<const float*>(p); }
const std::uint8_t* as_bytes(const void* p) { return static_cast<const std::uint8_t*>(p); }

float float_l2(const void* a, const void* b, const void* p) {
  const DistanceSpace& s = space_of(p);
  return s.kernels->l2_squared(as_floats(a), as_floats(b), s.layout.dim());
}
float float_l1(const void* a, const void* b, const void* p) {
  const DistanceSpace& s = space_of(p);
  return s.kernels->l1(as_floats(a), as_floats(b), s.layout.dim());
}
float float_inner(const void* a, const void* b, const void* p) {
  const DistanceSpace& s = space_of(p);
  return 1.0f - s.kernels->dot(as_floats(a), as_floats(b), s.layout.dim());
}

// x = oa + sa·a, y = ob + sb·b, both over n values:
//   x·y = n·oa·ob + oa·sb·Σb + ob·sa·Σa + sa·sb·Σab.
double int8_dot(const DistanceSpace& s, const void* a, const void* b, Int8Trailer* ta_out = nullptr,
                Int8Trailer* tb_out = nullptr) {
  const Int8Trailer ta = s.layout.trailer(as_bytes(a)), tb = s.layout.trailer(as_bytes(b));
  if (ta_out) *ta_out = ta;
  if (tb_out) *tb_out = tb;
  const double ab =
      s.kernels->dot_i8(ElementLayout::codes(as_bytes(a)), ElementLayout::codes(as_bytes(b)), s.layout.dim());
  const double n = double(s.layout.dim());
  return n * ta.offset * tb.offset + double(ta.offset) * tb.scale * tb.code_sum +
         double(tb.offset) * ta.scale * ta.code_sum + double(ta.scale) * tb.scale * ab;
}

float int8_inner(const void* a, const void* b, const void* p) {
  return static_cast<float>(1.0 - int8_dot(space_of(p), a, b));
}

// |x − y|² = |x|² + |y|² − 2x·y, with |x|² = n·oa² + 2·oa·sa·Σa + sa²·Σa²;
// all sums are exact integers, so the expansion loses nothing but rounding.
float int8_l2(const void* a, const void* b, const void* p) {
  const DistanceSpace& s = space_of(p);
  Int8Trailer ta, tb;
  const double xy = int8_dot(s, a, b, &ta, &tb);
  const double n = double(s.layout.dim());
  const auto squared_norm = [n](const Int8Trailer& t) {
    return n * t.offset * t.offset + 2.0 * t.offset * t.scale * t.code_sum +
           double(t.scale) * t.scale * t.code_square_sum;
  };
  return static_cast<float>(std::max(0.0, squared_norm(ta) + squared_norm(tb) - 2.0 * xy));
}

float int8_l1(const void* a, const void* b, const void* p) {
  const DistanceSpace& s = space_of(p);
  const Int8Trailer ta = s.layout.trailer(as_bytes(a)), tb = s.layout.trailer(as_bytes(b));
  return s.kernels->l1_i8(ElementLayout::codes(as_bytes(a)), ElementLayout::codes(as_bytes(b)), s.layout.dim(),
                          ta.offset - tb.offset, ta.scale, tb.scale);
}

}  // namespace

ElementDistanceFunction element_distance_function(Metric metric, ElementType element) {
  const bool int8 = element == ElementType::Int8;
  switch (metric) {
    case Metric::L1: return int8 ? int8_l1 : float_l1;
    case Metric::L2: return int8 ? int8_l2 : float_l2;
    case Metric::Cosine:
    case Metric::Correlation: return int8 ? int8_inner : float_inner;
  }
  return float_l2;
}

QueryDistance::QueryDistance(const DistanceSpace& space, const float* prepared_query)
    : space_(&space), query_(prepared_query, prepared_query + space.layout.dim()) {
  if (space.layout.element() == ElementType::Int8)
    query_sum_ = static_cast<float>(space.kernels->sum(query_.data(), query_.size()));
}

float QueryDistance::operator()(const std::uint8_t* element) const {
  const DistanceSpace& s = *space_;
  const std::size_t n = query_.size();
  const float* q = query_.data();
  if (s.layout.element() == ElementType::Float32) {
    const float* x = ElementLayout::floats(element);
    switch (s.metric) {
      case Metric::L1: return s.kernels->l1(q, x, n);
      case Metric::L2: return s.kernels->l2_squared(q, x, n);
      case Metric::Cosine:
      case Metric::Correlation: return 1.0f - s.kernels->dot(q, x, n);
    }
  }
  const Int8Trailer t = s.layout.trailer(element);
  const std::int8_t* c = ElementLayout::codes(element);
  switch (s.metric) {
    case Metric::L1: return s.kernels->l1_f32_i8(q, c, n, t.offset, t.scale);
    case Metric::L2: return s.kernels->l2_squared_f32_i8(q, c, n, t.offset, t.scale);
    case Metric::Cosine:
    case Metric::Correlation: break;
  }
  return 1.0f - (t.offset * query_sum_ + t.scale * s.kernels->dot_f32_i8(q, c, n));
}

}  // namespace lookalike
