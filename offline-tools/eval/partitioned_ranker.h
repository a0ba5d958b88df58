// Partitioned ranking for evaluation: per (feature, metric) a partitioned
// index is built over the database rows in memory exactly as `lookalike
// index --kind partitioned` builds one (FAISS k-means, the same automatic
// lists and nprobe unless given), and each query searched as the page
// searches it. A query that is in the database (leave-one-out) is searched
// by its stored vector with itself left out ("more like this").
#pragma once

#include "eval/ranker.h"

namespace lookalike::cli {

class PartitionedRanker : public Ranker {
 public:
  explicit PartitionedRanker(const SearchSettings& settings) : settings_(settings) {}
  void rank(const FeatureMatrix& matrix, Metric metric, const std::vector<std::uint32_t>& queries,
            const std::vector<std::uint32_t>& database, std::size_t depth, unsigned threads,
            const RankingVisitor& visit) const override;

 private:
  SearchSettings settings_;
};

}  // namespace lookalike::cli
