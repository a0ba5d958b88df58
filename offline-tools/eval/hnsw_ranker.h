// HNSW ranking for evaluation: for each (feature, metric) a VectorIndex
// (core/index) is built over the database rows with the settings' m and
// ef_construction, and each query searched with the settings' ef, exactly as
// a site's HNSW bundle would be. A query that is in the database (leave-one-
// out) is searched by its stored vector, which the index leaves out of its
// own results ("more like this").
#pragma once

#include "eval/ranker.h"

namespace lookalike::cli {

class HnswRanker : public Ranker {
 public:
  explicit HnswRanker(const SearchSettings& settings);  // throws Error(InvalidArgument) for parameters out of range
  // depth 0 asks for the whole database (a search with k = its size).
  void rank(const FeatureMatrix& matrix, Metric metric, const std::vector<std::uint32_t>& queries,
            const std::vector<std::uint32_t>& database, std::size_t depth, unsigned threads,
            const RankingVisitor& visit) const override;

 private:
  SearchSettings settings_;
};

}  // namespace lookalike::cli
