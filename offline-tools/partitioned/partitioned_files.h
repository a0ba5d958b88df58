// A partitioned index on disk, as `lookalike query` and `eval` read it: the
// header loaded once, each list read on demand (one range of a data file, as
// the page fetches it) and validated by the core, kept in a list cache.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lookalike/index/list_cache.h"
#include "lookalike/index/partitioned_index.h"

namespace lookalike::cli {

class PartitionedFiles {
 public:
  // Throws Error(Io) for a missing or unreadable file, Error(Corrupt) or
  // Error(Unsupported) "<file>: <what is wrong>" for a damaged header.
  static PartitionedFiles open(const std::filesystem::path& header_file, std::size_t cache_bytes = std::size_t(512)
                                                                                                   << 20);

  const PartitionedIndex& index() const { return *index_; }
  const std::filesystem::path& header_file() const { return header_file_; }
  std::filesystem::path data_file(std::uint32_t file) const;
  // The header's and every data file's bytes: what a site publishes.
  std::uint64_t total_bytes() const;

  // One list, validated; Error(Corrupt) "<data file>: list N: …".
  std::shared_ptr<const PartitionedList> list(std::uint32_t number);
  // Runs a search to the end, reading the lists it wants.
  PartitionedSearch search(const float* query, const PartitionedSearchOptions& options);
  // Every id, ascending, from the lists' id arrays (not their vectors).
  std::vector<std::uint32_t> ids() const;
  // The list holding an id, by reading the lists' ids; nullopt when no list does.
  std::optional<std::uint32_t> list_of(std::uint32_t id);

 private:
  std::vector<std::uint8_t> read_range(std::uint32_t file, std::uint64_t offset, std::uint64_t bytes) const;
  std::filesystem::path header_file_;
  std::shared_ptr<PartitionedIndex> index_;
  std::shared_ptr<ListCache> cache_;
};

}  // namespace lookalike::cli
