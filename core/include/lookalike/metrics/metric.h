// The four classic measures, exactly as the seed notebooks define them:
// L1 and L2 distance (smaller is closer), cosine similarity and Pearson
// correlation coefficient (larger is closer). Scores are always reported in
// these natural values, never as internal surrogates.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "lookalike/metrics/kernels.h"

namespace lookalike {

enum class Metric { L1, L2, Cosine, Correlation };

constexpr std::array<Metric, 4> kAllMetrics = {Metric::L1, Metric::L2, Metric::Cosine, Metric::Correlation};

const char* metric_name(Metric metric);   // "l1", "l2", "cosine", "correlation"
std::vector<std::string> metric_names();  // of kAllMetrics, in that order
// Accepts the names above plus "pearson" and "euclidean"/"manhattan"; throws Error otherwise.
Metric parse_metric(const std::string& name);
bool higher_is_closer(Metric metric);

// True when `a` ranks strictly before `b` under the metric. NaN ranks last.
bool score_ranks_before(Metric metric, float a, float b);

// The metric's natural value for two vectors of n floats. Cosine and
// correlation are 0 when a vector has no norm (resp. no variance).
float metric_value(Metric metric, const float* a, const float* b, std::size_t n,
                   const Kernels& kernels = best_kernels());

// Helpers the metrics are built from, exposed for callers that precompute.
float cosine_similarity(const float* a, const float* b, std::size_t n, const Kernels& kernels = best_kernels());
float pearson_correlation(const float* a, const float* b, std::size_t n, const Kernels& kernels = best_kernels());

}  // namespace lookalike
