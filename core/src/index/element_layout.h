// The bytes of one stored element in memory (inside hnswlib's nodes or the
// flat index's rows), for an element type and dimension:
//   float32  dim floats, the prepared vector (index/vector_preparation.h);
//   int8     dim codes, zero-padded to a multiple of 4, then an Int8Trailer.
// The trailer's code sums are derived data, kept so that distances between
// two int8 elements need one integer dot product only; bundles store codes,
// offset and scale and the loader recomputes the sums.
#pragma once

#include <cstddef>
#include <cstdint>

#include "index/int8_quantization.h"
#include "lookalike/index/index_config.h"

namespace lookalike {

struct Int8Trailer {
  float offset = 0, scale = 0;
  std::int32_t code_sum = 0;         // Σc
  std::int32_t code_square_sum = 0;  // Σc²
};

class ElementLayout {
 public:
  ElementLayout(ElementType element, std::size_t dim);

  ElementType element() const { return element_; }
  std::size_t dim() const { return dim_; }
  std::size_t bytes() const { return bytes_; }

  // From a prepared float vector (quantised for int8).
  void encode(const float* prepared, std::uint8_t* element) const;
  // Int8 only: from stored codes and scale (the bundle's form).
  void encode_int8(const std::int8_t* codes, Int8Scale scale, std::uint8_t* element) const;
  // The float vector the element stands for (dequantised for int8).
  void decode(const std::uint8_t* element, float* out) const;

  static const float* floats(const std::uint8_t* element) { return reinterpret_cast<const float*>(element); }
  static const std::int8_t* codes(const std::uint8_t* element) { return reinterpret_cast<const std::int8_t*>(element); }
  Int8Trailer trailer(const std::uint8_t* element) const;

 private:
  ElementType element_;
  std::size_t dim_;
  std::size_t code_bytes_;  // int8: dim rounded up to a multiple of 4
  std::size_t bytes_;
};

}  // namespace lookalike
