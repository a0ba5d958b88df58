#include "interim_flat_index.h"

#include <cmath>

#include "common/error.h"
#include "search/exact_search.h"

namespace lookalike::wasm {

InterimFlatIndex::InterimFlatIndex(InterimIndexConfig config, std::vector<std::uint32_t> ids, std::vector<float> vectors)
    : config_(std::move(config)), ids_(std::move(ids)), vectors_(std::move(vectors)) {
  if (config_.dim == 0) fail(ErrorKind::InvalidArgument, "index dimension must be positive");
  if (vectors_.size() != ids_.size() * std::size_t(config_.dim))
    fail(ErrorKind::InvalidArgument, std::to_string(vectors_.size()) + " floats do not make " + std::to_string(ids_.size()) +
                                         " vectors of dimension " + std::to_string(config_.dim));
  row_of_.reserve(ids_.size());
  for (std::size_t row = 0; row < ids_.size(); ++row) {
    if (!row_of_.emplace(ids_[row], row).second)
      fail(ErrorKind::InvalidArgument, "item id " + std::to_string(ids_[row]) + " appears twice");
    for (std::size_t i = 0; i < config_.dim; ++i)
      if (!std::isfinite(vectors_[row * config_.dim + i]))
        fail(ErrorKind::InvalidArgument, "the vector of item " + std::to_string(ids_[row]) + " holds a non-finite value");
  }
}

std::size_t InterimFlatIndex::row(std::uint32_t id) const {
  const auto it = row_of_.find(id);
  if (it == row_of_.end()) fail(ErrorKind::InvalidArgument, "no item with id " + std::to_string(id) + " in this index");
  return it->second;
}

std::vector<Hit> InterimFlatIndex::search(const float* query, const InterimSearchOptions& options) const {
  ExactSearchOptions exact;
  exact.ids = &ids_;
  if (options.accept) exact.accept = [&](std::size_t row) { return options.accept(ids_[row]); };
  return exact_search(config_.metric, query, vectors_.data(), ids_.size(), config_.dim, options.k, exact);
}

std::vector<Hit> InterimFlatIndex::search_by_id(std::uint32_t id, const InterimSearchOptions& options) const {
  const std::vector<float> query = stored_vector(id);
  return search(query.data(), options);
}

std::vector<float> InterimFlatIndex::stored_vector(std::uint32_t id) const {
  const float* start = vectors_.data() + row(id) * config_.dim;
  return std::vector<float>(start, start + config_.dim);
}

}  // namespace lookalike::wasm
