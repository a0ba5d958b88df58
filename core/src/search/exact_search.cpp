#include "lookalike/search/exact_search.h"

#include <algorithm>

#include "lookalike/common/error.h"

namespace lookalike {

void keep_top_k(std::vector<Hit>& hits, Metric metric, std::size_t k) {
  const HitOrder order{metric};
  if (k < hits.size()) {
    std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(k), hits.end(), order);
    hits.resize(k);
  } else {
    std::sort(hits.begin(), hits.end(), order);
  }
}

std::vector<Hit> exact_search(Metric metric, const float* query, const float* vectors, std::size_t count,
                              std::size_t dim, std::size_t k, const ExactSearchOptions& options) {
  if (dim == 0) fail(ErrorKind::InvalidArgument, "exact search: dimension must be positive");
  if (options.ids && options.ids->size() != count)
    fail(ErrorKind::InvalidArgument,
         "exact search: " + std::to_string(options.ids->size()) + " ids for " + std::to_string(count) + " vectors");
  const Kernels& kernels = best_kernels();
  std::vector<Hit> hits;
  hits.reserve(count);
  for (std::size_t row = 0; row < count; ++row) {
    if (options.accept && !options.accept(row)) continue;
    const std::uint32_t id = options.ids ? (*options.ids)[row] : static_cast<std::uint32_t>(row);
    hits.push_back({id, metric_value(metric, query, vectors + row * dim, dim, kernels)});
  }
  keep_top_k(hits, metric, k);
  return hits;
}

}  // namespace lookalike
