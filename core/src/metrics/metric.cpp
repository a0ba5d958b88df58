#include "lookalike/metrics/metric.h"

#include <cmath>

#include "lookalike/common/error.h"
#include "lookalike/common/name_list.h"

namespace lookalike {

const char* metric_name(Metric metric) {
  switch (metric) {
    case Metric::L1: return "l1";
    case Metric::L2: return "l2";
    case Metric::Cosine: return "cosine";
    case Metric::Correlation: return "correlation";
  }
  return "unknown";
}

Metric parse_metric(const std::string& name) {
  if (name == "l1" || name == "L1" || name == "manhattan") return Metric::L1;
  if (name == "l2" || name == "L2" || name == "euclidean") return Metric::L2;
  if (name == "cosine") return Metric::Cosine;
  if (name == "correlation" || name == "pearson") return Metric::Correlation;
  fail(ErrorKind::InvalidArgument, "unknown metric \"" + name + "\" (expected " + name_list(metric_names()) + ")");
}

std::vector<std::string> metric_names() {
  std::vector<std::string> names;
  for (const Metric m : kAllMetrics) names.push_back(metric_name(m));
  return names;
}

bool higher_is_closer(Metric metric) { return metric == Metric::Cosine || metric == Metric::Correlation; }

bool score_ranks_before(Metric metric, float a, float b) {
  if (std::isnan(b)) return !std::isnan(a);
  if (std::isnan(a)) return false;
  return higher_is_closer(metric) ? a > b : a < b;
}

namespace {

float normalised_dot(const DotAndNorms& t) {
  if (!(t.a_squared > 0) || !(t.b_squared > 0)) return 0.0f;
  return static_cast<float>(t.dot / (std::sqrt(t.a_squared) * std::sqrt(t.b_squared)));
}

}  // namespace

float cosine_similarity(const float* a, const float* b, std::size_t n, const Kernels& k) {
  return normalised_dot(k.centred_dot_and_norms(a, b, n, 0.0, 0.0));
}

float pearson_correlation(const float* a, const float* b, std::size_t n, const Kernels& k) {
  if (n == 0) return 0.0f;
  const double mean_a = k.sum(a, n) / double(n);
  const double mean_b = k.sum(b, n) / double(n);
  return normalised_dot(k.centred_dot_and_norms(a, b, n, mean_a, mean_b));
}

float metric_value(Metric metric, const float* a, const float* b, std::size_t n, const Kernels& k) {
  switch (metric) {
    case Metric::L1: return k.l1(a, b, n);
    case Metric::L2: return std::sqrt(k.l2_squared(a, b, n));
    case Metric::Cosine: return cosine_similarity(a, b, n, k);
    case Metric::Correlation: return pearson_correlation(a, b, n, k);
  }
  return 0.0f;
}

}  // namespace lookalike
