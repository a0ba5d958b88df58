// The centroids of a partitioned index: the two stored encodings and the
// distances from a query to them (lookalike/index/partitioned_centroids.h).
// Sums run in a fixed order with plain loops so that the native build and
// the WASM module order lists identically.
#include "lookalike/index/partitioned_centroids.h"

#include <string>

#include "index/float16.h"
#include "index/vector_preparation.h"
#include "lookalike/common/error.h"
#include "lookalike/index/partitioned_format.h"

namespace lookalike {
namespace {

using namespace partitioned;

std::string str(std::uint64_t v) { return std::to_string(v); }

std::vector<float> rounded_to_halves(const std::vector<float>& values, const char* what) {
  require_finite(values.data(), values.size(), what);
  std::vector<float> out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = half_to_float(float_to_half(values[i]));
  require_finite(out.data(), out.size(), what);  // beyond the half range
  return out;
}

bool valid_code_bytes(std::size_t dim, std::uint32_t m) { return m >= 1 && m <= dim && dim % m == 0; }

}  // namespace

PartitionedCentroids PartitionedCentroids::halves(const std::vector<float>& values, std::size_t dim) {
  if (dim == 0 || values.empty() || values.size() % dim != 0)
    fail(ErrorKind::InvalidArgument, "partitioned index: centroids must be lists × dim floats (" + str(values.size()) +
                                         " floats for dimension " + str(dim) + ")");
  PartitionedCentroids c;
  c.dim_ = dim;
  c.count_ = values.size() / dim;
  c.values_ = rounded_to_halves(values, "partitioned index: the centroids");
  return c;
}

PartitionedCentroids PartitionedCentroids::product_quantized(std::size_t dim, std::uint32_t subquantizers,
                                                             const std::vector<float>& codebook,
                                                             std::vector<std::uint8_t> codes) {
  if (!valid_code_bytes(dim, subquantizers))
    fail(ErrorKind::InvalidArgument,
         "partitioned index: " + str(subquantizers) + " centroid code bytes do not divide dimension " + str(dim));
  if (codebook.size() != std::size_t(kCodebookEntries) * dim)
    fail(ErrorKind::InvalidArgument, "partitioned index: the centroid codebook has " + str(codebook.size()) +
                                         " floats, expected " + str(std::size_t(kCodebookEntries) * dim));
  if (codes.empty() || codes.size() % subquantizers != 0)
    fail(ErrorKind::InvalidArgument,
         "partitioned index: " + str(codes.size()) + " centroid code bytes are not lists × " + str(subquantizers));
  PartitionedCentroids c;
  c.dim_ = dim;
  c.subquantizers_ = subquantizers;
  c.count_ = codes.size() / subquantizers;
  c.values_ = rounded_to_halves(codebook, "partitioned index: the centroid codebook");
  c.codes_ = std::move(codes);
  return c;
}

std::uint8_t PartitionedCentroids::encoding() const {
  return subquantizers_ == 0 ? kCentroidFloat16 : kCentroidProductQuantized;
}

std::uint64_t PartitionedCentroids::encoded_bytes(std::uint8_t encoding, std::size_t dim, std::size_t count,
                                                  std::uint32_t code_bytes) {
  if (encoding == kCentroidFloat16) return code_bytes == 0 ? 2ull * count * dim : 0;
  if (encoding == kCentroidProductQuantized && valid_code_bytes(dim, code_bytes))
    return 2ull * kCodebookEntries * dim + std::uint64_t(count) * code_bytes;
  return 0;
}

PartitionedCentroids PartitionedCentroids::decode(std::uint8_t encoding, std::size_t dim, std::size_t count,
                                                  std::uint32_t code_bytes, const std::uint8_t* data) {
  PartitionedCentroids c;
  c.dim_ = dim;
  c.count_ = count;
  c.subquantizers_ = encoding == kCentroidProductQuantized ? code_bytes : 0;
  const std::size_t values = c.subquantizers_ ? std::size_t(kCodebookEntries) * dim : count * dim;
  c.values_.resize(values);
  for (std::size_t i = 0; i < values; ++i) {
    const std::uint16_t half = static_cast<std::uint16_t>(data[2 * i] | (data[2 * i + 1] << 8));
    if (!half_is_finite(half)) {
      const std::string where = c.subquantizers_
                                    ? "the centroid codebook is not finite at value " + str(i)
                                    : "centroid " + str(i / dim) + " is not finite at dimension " + str(i % dim);
      fail(ErrorKind::Corrupt, "partitioned index header: " + where);
    }
    c.values_[i] = half_to_float(half);
  }
  if (c.subquantizers_) c.codes_.assign(data + 2 * values, data + 2 * values + count * code_bytes);
  return c;
}

void PartitionedCentroids::encode(std::vector<std::uint8_t>& out) const {
  for (const float v : values_) {
    const std::uint16_t half = float_to_half(v);
    out.push_back(static_cast<std::uint8_t>(half & 0xff));
    out.push_back(static_cast<std::uint8_t>(half >> 8));
  }
  out.insert(out.end(), codes_.begin(), codes_.end());
}

std::vector<float> PartitionedCentroids::distances(const float* prepared) const {
  std::vector<float> out(count_);
  if (subquantizers_ == 0) {
    for (std::size_t l = 0; l < count_; ++l) out[l] = distance(prepared, l);
    return out;
  }
  // The query's distance to every sub-vector of every codebook, then M lookups a list.
  const std::size_t m = subquantizers_, sub = dim_ / m;
  std::vector<float> table(m * kCodebookEntries);
  for (std::size_t q = 0; q < m; ++q)
    for (std::size_t k = 0; k < kCodebookEntries; ++k) {
      const float* c = &values_[(q * kCodebookEntries + k) * sub];
      float s = 0;
      for (std::size_t j = 0; j < sub; ++j) {
        const float t = prepared[q * sub + j] - c[j];
        s += t * t;
      }
      table[q * kCodebookEntries + k] = s;
    }
  for (std::size_t l = 0; l < count_; ++l) {
    const std::uint8_t* code = &codes_[l * m];
    float s = 0;
    for (std::size_t q = 0; q < m; ++q) s += table[q * kCodebookEntries + code[q]];
    out[l] = s;
  }
  return out;
}

float PartitionedCentroids::distance(const float* prepared, std::size_t list) const {
  float s = 0;
  if (subquantizers_ == 0) {
    const float* c = &values_[list * dim_];
    for (std::size_t j = 0; j < dim_; ++j) {
      const float t = prepared[j] - c[j];
      s += t * t;
    }
    return s;
  }
  const std::size_t m = subquantizers_, sub = dim_ / m;
  for (std::size_t q = 0; q < m; ++q) {
    const float* c = &values_[(q * kCodebookEntries + codes_[list * m + q]) * sub];
    float part = 0;
    for (std::size_t j = 0; j < sub; ++j) {
      const float t = prepared[q * sub + j] - c[j];
      part += t * t;
    }
    s += part;
  }
  return s;
}

std::uint32_t PartitionedCentroids::nearest(const float* prepared) const {
  const std::vector<float> d = distances(prepared);
  std::uint32_t best = 0;
  for (std::uint32_t l = 1; l < d.size(); ++l)
    if (d[l] < d[best]) best = l;
  return best;
}

}  // namespace lookalike
