// Building a partitioned index (core/include/lookalike/index/partitioned_index.h)
// from many vectors without holding them twice: centroids trained with FAISS
// on a sample, every vector assigned to its nearest centroid, then the lists
// written one by one, each data file handed to the caller as soon as it is
// full. The vectors themselves are read through a callback (a memory-mapped
// .npy file, or a feature matrix).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "lookalike/index/index_config.h"
#include "lookalike/index/partitioned_writer.h"

namespace lookalike::cli {

// Choices a user may leave to lookalike (0 = automatic, see partitioned_build.cpp).
struct PartitionedChoices {
  std::uint32_t lists = 0;
  std::uint32_t nprobe = 0;
  std::uint32_t rerank = 0;
  std::uint64_t seed = 1;
};

// The automatic choices for `items` vectors, and the checks on given ones.
// Throws Error(InvalidArgument) for a value out of range.
PartitionedChoices resolve_partitioned_choices(const PartitionedChoices& asked, std::size_t items);

struct PartitionedRows {
  std::size_t count = 0;
  std::function<const float*(std::size_t row)> vector;  // dim floats as given (not prepared)
  std::function<std::uint32_t(std::size_t row)> id;
};

struct PartitionedBuildStats {
  PartitionedChoices choices;
  double train_seconds = 0, assign_seconds = 0, write_seconds = 0;
  std::size_t largest_list = 0, empty_lists = 0;
};

// Writes the data files through `emit` and returns the header's bytes.
// `progress(stage, done, total)` reports "training", "assigning", "writing".
std::vector<std::uint8_t> build_partitioned_index(
    const IndexConfig& config, const PartitionedRows& rows, const PartitionedChoices& choices, unsigned threads,
    const PartitionedWriter::EmitFile& emit,
    const std::function<void(const char* stage, std::size_t done, std::size_t total)>& progress,
    PartitionedBuildStats* stats = nullptr);

}  // namespace lookalike::cli
