// Exact (brute-force) top-k search over a row-major matrix of vectors: the
// ground truth every approximate index is measured against.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "lookalike/metrics/metric.h"
#include "lookalike/search/hit.h"

namespace lookalike {

struct ExactSearchOptions {
  // Ids reported for each row; empty means the row index is the id.
  const std::vector<std::uint32_t>* ids = nullptr;
  // Rows for which this returns false are skipped (label filters, deletions).
  std::function<bool(std::size_t row)> accept;
};

// The k best rows for `query` (all of them, ranked, when k exceeds the count),
// scored with the metric's natural value, ties broken by id.
std::vector<Hit> exact_search(Metric metric, const float* query, const float* vectors, std::size_t count,
                              std::size_t dim, std::size_t k, const ExactSearchOptions& options = {});

// Keeps the k best of `hits` in rank order (the tail of any top-k search).
void keep_top_k(std::vector<Hit>& hits, Metric metric, std::size_t k);

}  // namespace lookalike
