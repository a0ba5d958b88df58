// Bounds-checked little-endian reads from a byte buffer. Every read checks
// the bytes remaining first and throws Error(Corrupt) naming what was being
// read, so a parser built on it cannot read past its buffer whatever the bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#include "lookalike/common/error.h"

namespace lookalike {

class ByteReader {
 public:
  ByteReader(const std::uint8_t* data, std::size_t size, std::string what)
      : data_(data), size_(size), what_(std::move(what)) {}

  std::size_t position() const { return position_; }
  std::size_t remaining() const { return size_ - position_; }

  const std::uint8_t* bytes(std::size_t n) {
    if (n > remaining())
      fail(ErrorKind::Corrupt, what_ + " is truncated: " + std::to_string(n) + " bytes needed at offset " +
                                   std::to_string(position_) + ", " + std::to_string(remaining()) + " left");
    const std::uint8_t* p = data_ + position_;
    position_ += n;
    return p;
  }
  std::uint8_t u8() { return *bytes(1); }
  std::uint16_t u16() {
    const std::uint8_t* p = bytes(2);
    return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
  }
  std::uint32_t u32() { return load_u32(bytes(4)); }
  std::uint64_t u64() {
    const std::uint8_t* p = bytes(8);
    return std::uint64_t(load_u32(p)) | (std::uint64_t(load_u32(p + 4)) << 32);
  }
  float f32() {
    const std::uint32_t bits = u32();
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  }

  static std::uint32_t load_u32(const std::uint8_t* p) {
    return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8) | (std::uint32_t(p[2]) << 16) | (std::uint32_t(p[3]) << 24);
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t position_ = 0;
  std::string what_;
};

}  // namespace lookalike
