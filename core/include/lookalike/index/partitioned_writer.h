// Writes a partitioned index (partitioned_index.h, docs/FORMAT.md) list by
// list, so that a collection of a million vectors never has to be held in
// memory twice: the caller hands over each list's items in list order, the
// writer encodes them and passes every completed data file (at most
// partitioned::kMaxFileBytes) to `emit` as soon as it is full; finish()
// emits the last one and returns the header's bytes. The core does no I/O:
// `emit` writes the file.
//
// Centroids come from the caller (k-means, trained natively with FAISS) in
// the space vectors are prepared to for the metric
// (index/vector_preparation.h); the caller also decides which list each item
// belongs to (its nearest centroid by L2, as probe_order ranks them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "lookalike/index/index_config.h"
#include "lookalike/index/partitioned_index.h"

namespace lookalike {

struct PartitionedParams {
  std::uint32_t nprobe = 0;          // the default lists probed per query
  std::uint32_t rerank = 0;          // the default candidates scored exactly
  std::uint64_t seed = 0;            // the k-means seed, recorded for reference
  std::uint64_t max_file_bytes = 0;  // 0 = partitioned::kMaxFileBytes (smaller in tests)
};

// A vector as the index stores it for its metric: as given for L1 and L2,
// L2-normalised for cosine, centred and normalised for correlation. Train
// the centroids on vectors prepared so.
void prepare_for_metric(Metric metric, const float* in, float* out, std::size_t dim);

// Centroids as the header stores them (IEEE half floats, read back as
// float): assign items to the centroids this returns, and build and probe
// agree exactly.
std::vector<float> stored_centroids(const std::vector<float>& centroids);

// The list of an item: its nearest centroid by squared L2 between the
// prepared vector and the centroids, ties to the lower list, as
// PartitionedIndex::probe_order ranks them. `vector` as given.
std::uint32_t nearest_list(Metric metric, const std::vector<float>& centroids, std::size_t dim, const float* vector);

class PartitionedWriter {
 public:
  using EmitFile = std::function<void(std::uint32_t file, const std::vector<std::uint8_t>& bytes)>;

  // `centroids`: lists × dim floats. Throws Error(InvalidArgument) for a
  // config or parameters outside the format's limits.
  PartitionedWriter(const IndexConfig& config, std::vector<float> centroids, const PartitionedParams& params,
                    EmitFile emit);

  // The next list (lists in order 0, 1, …): `count` items, vectors as given
  // (prepared and quantised here), in any id order. Throws
  // Error(InvalidArgument) for a repeated id or a non-finite vector and
  // Error(TooLarge) for a list that would not fit in one data file.
  void add_list(const std::uint32_t* ids, const float* vectors, std::size_t count);
  // The next list, already encoded: `list` of an existing index with the same
  // config, minus the ids `remove` accepts, plus new items (an update).
  void add_list_updated(const PartitionedList& list, const std::function<bool(std::uint32_t id)>& remove,
                        const std::uint32_t* ids, const float* vectors, std::size_t count);

  std::uint32_t lists_written() const { return static_cast<std::uint32_t>(lists_.size()); }
  // Emits the last data file and returns the header. Every list must have been added.
  std::vector<std::uint8_t> finish();

 private:
  struct EncodedItem;
  void write_list(std::vector<EncodedItem>& items);
  void flush_file();
  IndexConfig config_;
  std::vector<float> centroids_;
  PartitionedParams params_;
  EmitFile emit_;
  std::vector<ListLocation> lists_;
  std::vector<std::uint64_t> file_bytes_;
  std::vector<std::uint8_t> file_;
  std::uint64_t items_ = 0;
};

}  // namespace lookalike
