#include "index/prepared_exact_scan.h"

#include <algorithm>
#include <cmath>

#include "index/vector_preparation.h"
#include "lookalike/metrics/kernels.h"
#include "lookalike/search/exact_search.h"

namespace lookalike {

std::vector<Hit> prepared_exact_scan(Metric metric, const float* query, std::size_t dim, std::size_t k,
                                     const PreparedRows& rows) {
  if (k == 0 || rows.count == 0) return {};
  const Kernels& kernels = best_kernels();
  std::vector<float> prepared(dim);
  prepare_vector(metric, query, prepared.data(), dim);
  const float* q = prepared.data();

  std::vector<float> surrogate(rows.count);
  for (std::size_t r = 0; r < rows.count; ++r) {
    const float* v = rows.vector(r);
    switch (metric) {
      case Metric::L1: surrogate[r] = kernels.l1(q, v, dim); break;
      case Metric::L2: surrogate[r] = kernels.l2_squared(q, v, dim); break;
      case Metric::Cosine:
      case Metric::Correlation: surrogate[r] = 1.0f - kernels.dot(q, v, dim); break;
    }
  }

  // Which rows can be in the top k (all of them when k covers every row).
  std::vector<std::size_t> candidates;
  if (k >= rows.count) {
    candidates.resize(rows.count);
    for (std::size_t r = 0; r < rows.count; ++r) candidates[r] = r;
  } else {
    std::vector<float> sorted = surrogate;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(k - 1), sorted.end());
    const float kth = sorted[k - 1];
    const double delta = double(dim + 32) * std::ldexp(1.0, -23);
    for (std::size_t r = 0; r < rows.count; ++r) {
      const float s = surrogate[r];
      bool keep = false;
      switch (metric) {
        case Metric::L1: keep = s <= kth; break;
        case Metric::L2: keep = s <= kth || std::sqrt(s) <= std::sqrt(kth); break;
        case Metric::Cosine:
        case Metric::Correlation: keep = double(s) <= double(kth) + 2.0 * delta; break;
      }
      if (keep) candidates.push_back(r);
    }
  }

  std::vector<Hit> hits;
  hits.reserve(candidates.size());
  for (const std::size_t r : candidates)
    hits.push_back({rows.id(r), metric_value(metric, query, rows.vector(r), dim, kernels)});
  keep_top_k(hits, metric, k);
  return hits;
}

}  // namespace lookalike
