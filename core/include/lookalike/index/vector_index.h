// A vector index: items (id + vector) searched for the k nearest to a query,
// exactly (flat) or through an HNSW graph (hnswlib), for any of the four
// metrics, with float32 or int8 elements; saved to and loaded from a bundle
// (docs/FORMAT.md).
//
// Scores are the metric's natural value (search/hit.h): L1 and L2 distance,
// cosine and Pearson correlation in [−1, 1], ranked as exact_search ranks
// them, ties by lower id. Both kinds score the same stored vectors the same
// way, so a flat index is the ground truth for an HNSW one with the same
// config. Int8 elements are scored on their dequantised vectors, or on the
// float32 copies when keep_float_vectors is set (exact re-ranking of the
// graph's candidates).
//
// Threads: const methods may run concurrently; add, add_many and remove need
// exclusive access. add_many inserts into an HNSW graph in parallel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "lookalike/index/index_config.h"
#include "lookalike/search/hit.h"

namespace lookalike {

struct SearchOptions {
  std::size_t k = 10;
  std::uint32_t ef = 0;  // HNSW candidate list; 0 = config().hnsw.ef_search; raised to k when smaller
  // Restricts results to ids it accepts (e.g. one label); empty = all. A
  // selective filter is answered by an exact scan of the accepted items, a
  // broad one inside the graph walk (see vector_index.cpp); either way the
  // results are the best accepted items the search finds, never fewer than
  // min(k, accepted) of them.
  std::function<bool(std::uint32_t id)> accept;
};

class VectorIndex {
 public:
  // Throws Error(InvalidArgument) for a config outside its limits (validate_index_config).
  explicit VectorIndex(IndexConfig config);
  ~VectorIndex();
  VectorIndex(VectorIndex&&) noexcept;
  VectorIndex& operator=(VectorIndex&&) noexcept;
  VectorIndex(const VectorIndex&) = delete;
  VectorIndex& operator=(const VectorIndex&) = delete;

  const IndexConfig& config() const;
  std::size_t size() const;                // live items
  std::vector<std::uint32_t> ids() const;  // live ids, ascending
  bool contains(std::uint32_t id) const;

  // config().dim finite floats. Throws Error(InvalidArgument) if the id is
  // live or the vector is not finite. An id that was removed may be added
  // again, with any vector.
  void add(std::uint32_t id, const float* vector);
  // `count` items, vectors row-major; all are checked before any is added.
  // threads = 0 uses every core (1 in the single-threaded WASM build); an
  // HNSW graph built with several threads depends on their timing.
  void add_many(const std::uint32_t* ids, const float* vectors, std::size_t count, unsigned threads = 0);
  // Mark-delete: never returned again, also after save and load. Throws
  // Error(InvalidArgument) if the id is not live.
  void remove(std::uint32_t id);

  // config().dim finite floats; throws Error(InvalidArgument) otherwise.
  std::vector<Hit> search(const float* query, const SearchOptions& options) const;
  // "More like this": searches with the stored vector of a live id and
  // leaves that id out of the results.
  std::vector<Hit> search_by_id(std::uint32_t id, const SearchOptions& options) const;
  // The vector stored for a live id, as scores see it: prepared for the
  // metric (index/vector_preparation.h), dequantised for int8 unless float
  // copies are kept.
  std::vector<float> stored_vector(std::uint32_t id) const;

  std::vector<std::uint8_t> save() const;  // the bundle bytes (docs/FORMAT.md)
  // Validates everything (index/bundle_reader.h) before building anything;
  // throws Error(Corrupt) or Error(Unsupported) with a precise message.
  static VectorIndex load(const std::uint8_t* data, std::size_t size);

 private:
  struct Impl;
  explicit VectorIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace lookalike
