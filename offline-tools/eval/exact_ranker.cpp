#include "eval/exact_ranker.h"

#include "common/cli_context.h"
#include "lookalike/common/parallel.h"
#include "lookalike/metrics/kernels.h"
#include "lookalike/search/exact_search.h"

namespace lookalike::cli {
namespace {

// Queries per block: the block's vectors stay in cache while the database
// streams past (16 × 48 KiB for 64×64 pixels).
constexpr std::size_t kBlock = 16;

}  // namespace

void ExactRanker::rank(const FeatureMatrix& matrix, Metric metric, const std::vector<std::uint32_t>& queries,
                       const std::vector<std::uint32_t>& database, std::size_t depth, unsigned threads,
                       const RankingVisitor& visit) const {
  const Kernels& kernels = best_kernels();
  const std::size_t blocks = (queries.size() + kBlock - 1) / kBlock;
  const std::size_t dim = matrix.dim;
  parallel_for(blocks, thread_count(threads), [&](std::size_t b) {
    if (interrupted()) return;
    const std::size_t first = b * kBlock, last = std::min(queries.size(), first + kBlock);
    std::vector<std::vector<Hit>> hits(last - first);
    for (auto& h : hits) h.reserve(database.size());
    for (const std::uint32_t row : database) {
      const float* vector = matrix.row(row);
      for (std::size_t q = first; q < last; ++q) {
        if (queries[q] == row) continue;  // a query never ranks itself
        hits[q - first].push_back({row, metric_value(metric, matrix.row(queries[q]), vector, dim, kernels)});
      }
    }
    for (std::size_t q = first; q < last; ++q) {
      std::vector<Hit>& h = hits[q - first];
      keep_top_k(h, metric, depth == 0 ? h.size() : depth);
      visit(q, h);
    }
  });
}

}  // namespace lookalike::cli
