// Base64 (RFC 4648, with padding) for data: URIs in self-contained reports.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lookalike::cli {

std::string base64_encode(const std::uint8_t* data, std::size_t size);
inline std::string base64_encode(const std::vector<std::uint8_t>& bytes) {
  return base64_encode(bytes.data(), bytes.size());
}

}  // namespace lookalike::cli
