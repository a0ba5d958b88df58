#include "lookalike/eval/measures.h"

#include <algorithm>
#include <numeric>
#include <string>

#include "lookalike/common/error.h"

namespace lookalike {

double precision_at_k(const std::vector<bool>& relevance, std::size_t k) {
  if (k == 0) fail(ErrorKind::InvalidArgument, "precision@k needs k > 0");
  const std::size_t n = std::min(k, relevance.size());
  return double(std::count(relevance.begin(), relevance.begin() + static_cast<std::ptrdiff_t>(n), true)) / double(k);
}

double recall_at_k(const std::vector<bool>& relevance, std::size_t k, std::size_t total_relevant) {
  if (total_relevant == 0) return 0.0;
  const std::size_t n = std::min(k, relevance.size());
  return double(std::count(relevance.begin(), relevance.begin() + static_cast<std::ptrdiff_t>(n), true)) /
         double(total_relevant);
}

double average_precision(const std::vector<bool>& relevance, std::size_t total_relevant) {
  if (total_relevant == 0) return 0.0;
  double sum = 0.0;
  std::size_t hits = 0;
  for (std::size_t rank = 0; rank < relevance.size(); ++rank) {
    if (!relevance[rank]) continue;
    ++hits;
    sum += double(hits) / double(rank + 1);
  }
  return sum / double(total_relevant);
}

double mean(const std::vector<double>& values) {
  if (values.empty()) return 0.0;
  return std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
}

std::vector<bool> leave_one_out_relevance(const std::vector<Hit>& ranking, std::uint32_t query_id,
                                          const std::vector<int>& labels) {
  if (query_id >= labels.size())
    fail(ErrorKind::InvalidArgument, "query id " + std::to_string(query_id) + " has no label");
  const int label = labels[query_id];
  std::vector<bool> relevance;
  relevance.reserve(ranking.size());
  for (const Hit& hit : ranking) {
    if (hit.id == query_id) continue;
    if (hit.id >= labels.size())
      fail(ErrorKind::InvalidArgument, "result id " + std::to_string(hit.id) + " has no label");
    relevance.push_back(labels[hit.id] == label);
  }
  return relevance;
}

}  // namespace lookalike
