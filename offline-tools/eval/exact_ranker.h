// Exact ranking for evaluation: the same scores and order as the core's
// exact_search (metric_value with the same kernels, query first; HitOrder),
// computed for a block of queries at a time so each database vector is read
// from memory once per block rather than once per query.
#pragma once

#include "eval/ranker.h"

namespace lookalike::cli {

class ExactRanker : public Ranker {
 public:
  void rank(const FeatureMatrix& matrix, Metric metric, const std::vector<std::uint32_t>& queries,
            const std::vector<std::uint32_t>& database, std::size_t depth, unsigned threads,
            const RankingVisitor& visit) const override;
};

}  // namespace lookalike::cli
