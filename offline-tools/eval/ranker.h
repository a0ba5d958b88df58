// How an evaluation ranks the database for each query: by exact search
// (exact_ranker.h), or through an HNSW index (hnsw_ranker.h) or a
// partitioned one (partitioned_ranker.h), whose report rows add recall
// against exact.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "lookalike/metrics/metric.h"
#include "lookalike/search/hit.h"
#include "vectors/feature_matrix.h"

namespace lookalike::cli {

enum class SearchKind { Exact, Hnsw, Partitioned };

struct SearchSettings {
  SearchKind kind = SearchKind::Exact;
  // HNSW parameters (the index's HnswParams and SearchOptions::ef).
  std::uint32_t m = 16, ef_construction = 200, ef = 64;
  // Partitioned parameters (0 = what `lookalike index` chooses for the size).
  std::uint32_t lists = 0, nprobe = 0;

  std::string name() const;         // "exact", "hnsw" or "partitioned"
  std::string description() const;  // "exact", "hnsw m=16 efc=200 ef=64", "partitioned lists=… nprobe=…"
};

// "exact", "hnsw" or "partitioned"; throws Error(InvalidArgument) otherwise.
SearchKind parse_search_kind(const std::string& name);

// Receives the ranking of one query (ids are matrix rows, best first, the
// query's own row never included). Called from worker threads, each query
// exactly once, in no particular order.
using RankingVisitor = std::function<void(std::size_t query_index, const std::vector<Hit>& ranking)>;

class Ranker {
 public:
  virtual ~Ranker() = default;
  // Ranks `database` rows for each of `queries` (rows of the same matrix).
  // depth 0 ranks the whole database; otherwise the best `depth` hits.
  virtual void rank(const FeatureMatrix& matrix, Metric metric, const std::vector<std::uint32_t>& queries,
                    const std::vector<std::uint32_t>& database, std::size_t depth, unsigned threads,
                    const RankingVisitor& visit) const = 0;
};

// Throws Error(InvalidArgument) for HNSW parameters outside the index's limits.
std::unique_ptr<Ranker> make_ranker(const SearchSettings& settings);

}  // namespace lookalike::cli
