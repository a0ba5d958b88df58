#include "index/element_layout.h"

#include <cstring>

namespace lookalike {

ElementLayout::ElementLayout(ElementType element, std::size_t dim)
    : element_(element),
      dim_(dim),
      code_bytes_((dim + 3) / 4 * 4),
      bytes_(element == ElementType::Float32 ? dim * sizeof(float) : code_bytes_ + sizeof(Int8Trailer)) {}

void ElementLayout::encode(const float* prepared, std::uint8_t* element) const {
  if (element_ == ElementType::Float32) {
    std::memcpy(element, prepared, dim_ * sizeof(float));
    return;
  }
  std::int8_t* codes = reinterpret_cast<std::int8_t*>(element);
  const Int8Scale scale = quantize_int8(prepared, dim_, codes);
  encode_int8(codes, scale, element);
}

void ElementLayout::encode_int8(const std::int8_t* codes, Int8Scale scale, std::uint8_t* element) const {
  if (reinterpret_cast<const std::uint8_t*>(codes) != element) std::memcpy(element, codes, dim_);
  std::memset(element + dim_, 0, code_bytes_ - dim_);
  Int8Trailer t;
  t.offset = scale.offset;
  t.scale = scale.scale;
  for (std::size_t i = 0; i < dim_; ++i) {
    t.code_sum += codes[i];
    t.code_square_sum += std::int32_t(codes[i]) * codes[i];
  }
  std::memcpy(element + code_bytes_, &t, sizeof t);
}

void ElementLayout::decode(const std::uint8_t* element, float* out) const {
  if (element_ == ElementType::Float32) {
    std::memcpy(out, element, dim_ * sizeof(float));
    return;
  }
  const Int8Trailer t = trailer(element);
  dequantize_int8(codes(element), dim_, Int8Scale{t.offset, t.scale}, out);
}

Int8Trailer ElementLayout::trailer(const std::uint8_t* element) const {
  Int8Trailer t;
  std::memcpy(&t, element + code_bytes_, sizeof t);
  return t;
}

}  // namespace lookalike
