// Reads and validates a bundle held in memory (index/bundle_format.h,
// docs/FORMAT.md). read_bundle() checks everything before anything is built:
// signature, version, header fields, checksums, the section table, the exact
// length of every section, unique ids, finite vectors and scales, layers, and
// every link of the graph (count within bounds, neighbour in range, not
// itself, not repeated, present on that layer). Any failure throws
// Error(Corrupt), or Error(Unsupported) for another format version, with a
// message that says where. The contents point into the caller's buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "index/int8_quantization.h"
#include "lookalike/index/index_config.h"

namespace lookalike {

struct BundleContents {
  struct Bytes {
    const std::uint8_t* data = nullptr;
    std::size_t size = 0;
  };

  IndexConfig config;
  std::uint32_t element_count = 0;
  std::uint32_t live_count = 0;
  Bytes ids, removed, floats, codes, scales, levels, graph;  // size 0 when absent
  std::uint32_t entry_point = 0;
  int max_level = -1;

  std::uint32_t id(std::uint32_t slot) const;
  bool is_removed(std::uint32_t slot) const;
  unsigned level(std::uint32_t slot) const;
  void float_vector(std::uint32_t slot, float* out) const;  // config.dim floats
  const std::int8_t* int8_codes(std::uint32_t slot) const;
  Int8Scale int8_scale(std::uint32_t slot) const;
};

BundleContents read_bundle(const std::uint8_t* data, std::size_t size);

// Calls `visit` for every link list of a validated HNSW bundle, slot by slot
// and layer by layer from 0 (links decoded to host order).
void for_each_link_list(
    const BundleContents& contents,
    const std::function<void(std::uint32_t slot, unsigned level, const std::vector<std::uint32_t>& links)>& visit);

}  // namespace lookalike
