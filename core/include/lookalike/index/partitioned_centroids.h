// The centroids of a partitioned index as its header stores them, and the
// distances a query's probe order comes from. Two encodings
// (docs/FORMAT.md):
//
//   half floats        every centroid's d values as IEEE binary16: exact
//                      enough to order lists, 2·d bytes a list;
//   product-quantised  M codebooks of 256 sub-vectors of d/M values (half
//                      floats) and M one-byte codes a list: a list's
//                      centroid is the concatenation of its codes' sub-vectors.
//
// Product quantisation is what lets a header describe tens of thousands of
// small lists (a million items in lists of about 20) in a few megabytes:
// 64 bytes a list instead of 1 024 at d = 512. Distances to coded centroids
// are computed as FAISS's IndexPQ computes them ("asymmetric": the query
// exact, a table of its distances to every sub-vector, a sum of M lookups
// per list). The codebooks are trained natively (FAISS); this class only
// reads and writes them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lookalike {

class PartitionedCentroids {
 public:
  PartitionedCentroids() = default;
  // `values`: count × dim floats, stored (and from now on used) as half floats.
  static PartitionedCentroids halves(const std::vector<float>& values, std::size_t dim);
  // `codebook`: subquantizers × 256 × (dim / subquantizers) floats (stored as
  // half floats); `codes`: count × subquantizers bytes. Throws
  // Error(InvalidArgument) when the sizes disagree or subquantizers does not divide dim.
  static PartitionedCentroids product_quantized(std::size_t dim, std::uint32_t subquantizers,
                                                const std::vector<float>& codebook, std::vector<std::uint8_t> codes);

  // The bytes `encode` writes for these parameters, or 0 for an unknown
  // encoding or parameters it cannot have (no allocation: a reader checks a
  // header's size with it first).
  static std::uint64_t encoded_bytes(std::uint8_t encoding, std::size_t dim, std::size_t count,
                                     std::uint32_t code_bytes);
  // Reads encoded_bytes(…) bytes at `data`; throws Error(Corrupt) for a
  // non-finite value.
  static PartitionedCentroids decode(std::uint8_t encoding, std::size_t dim, std::size_t count,
                                     std::uint32_t code_bytes, const std::uint8_t* data);
  void encode(std::vector<std::uint8_t>& out) const;

  std::uint8_t encoding() const;
  std::uint32_t code_bytes() const { return subquantizers_; }  // 0 for half floats
  std::size_t count() const { return count_; }
  std::size_t dim() const { return dim_; }
  // Half floats: count × dim values; product-quantised: the codebooks.
  const std::vector<float>& values() const { return values_; }
  std::size_t memory_bytes() const { return values_.size() * sizeof(float) + codes_.size(); }

  // Squared L2 from a prepared vector (dim floats) to every centroid.
  std::vector<float> distances(const float* prepared) const;
  // … to one centroid.
  float distance(const float* prepared, std::size_t list) const;
  // The nearest centroid, ties to the lower list.
  std::uint32_t nearest(const float* prepared) const;

 private:
  std::size_t dim_ = 0, count_ = 0;
  std::uint32_t subquantizers_ = 0;
  std::vector<float> values_;        // halves: count × dim; product-quantised: the codebooks
  std::vector<std::uint8_t> codes_;  // product-quantised: count × subquantizers
};

}  // namespace lookalike
