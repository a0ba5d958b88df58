// InterimFlatIndex: an exact index over vectors handed in from JavaScript.
//
// WAITS FOR core/index. It stands in for lookalike::VectorIndex (kind Flat)
// until the core's index and bundle format land, and mirrors that class's
// shape (config, size, ids, contains, search, search_by_id, stored_vector)
// so that search_index_binding.cpp switches to VectorIndex by changing one
// type; this file is then deleted. It reads no bundle bytes. Search is the
// core's exact_search, so scores and ties are exactly the native ones.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "metrics/metric.h"
#include "search/hit.h"

namespace lookalike::wasm {

struct InterimIndexConfig {
  std::string feature_spec;
  std::uint32_t feature_version = 1;
  Metric metric = Metric::Cosine;
  std::uint32_t dim = 0;
};

struct InterimSearchOptions {
  std::size_t k = 10;
  std::uint32_t ef = 0;                          // ignored: the search is exact
  std::function<bool(std::uint32_t id)> accept;  // empty = every item
};

class InterimFlatIndex {
 public:
  // `vectors` holds ids.size() rows of config.dim floats. Throws Error on a
  // zero dimension, a size mismatch, a repeated id or a non-finite value.
  InterimFlatIndex(InterimIndexConfig config, std::vector<std::uint32_t> ids, std::vector<float> vectors);

  const InterimIndexConfig& config() const { return config_; }
  std::size_t size() const { return ids_.size(); }
  const std::vector<std::uint32_t>& ids() const { return ids_; }
  bool contains(std::uint32_t id) const { return row_of_.count(id) != 0; }

  std::vector<Hit> search(const float* query, const InterimSearchOptions& options) const;
  // Ranks every item against the stored vector of `id` (the item itself
  // included, normally first). Throws Error for an unknown id.
  std::vector<Hit> search_by_id(std::uint32_t id, const InterimSearchOptions& options) const;
  std::vector<float> stored_vector(std::uint32_t id) const;

 private:
  std::size_t row(std::uint32_t id) const;

  InterimIndexConfig config_;
  std::vector<std::uint32_t> ids_;
  std::vector<float> vectors_;
  std::unordered_map<std::uint32_t, std::size_t> row_of_;
};

}  // namespace lookalike::wasm
