#include "eval/hnsw_ranker.h"

#include <unordered_set>

#include "common/cli_context.h"
#include "lookalike/common/parallel.h"
#include "lookalike/index/vector_index.h"

namespace lookalike::cli {
namespace {

IndexConfig hnsw_config(const SearchSettings& s, const std::string& spec, int version, Metric metric, std::size_t dim) {
  IndexConfig config;
  config.feature_spec = spec;
  config.feature_version = std::uint32_t(version);
  config.metric = metric;
  config.dim = std::uint32_t(dim);
  config.kind = IndexKind::Hnsw;
  config.element = ElementType::Float32;
  config.hnsw.m = s.m;
  config.hnsw.ef_construction = s.ef_construction;
  config.hnsw.ef_search = s.ef;
  return config;
}

}  // namespace

HnswRanker::HnswRanker(const SearchSettings& settings) : settings_(settings) {
  // The index's own checks, before any image is decoded.
  validate_index_config(hnsw_config(settings, "check", 1, Metric::L2, 1));
}

void HnswRanker::rank(const FeatureMatrix& matrix, Metric metric, const std::vector<std::uint32_t>& queries,
                      const std::vector<std::uint32_t>& database, std::size_t depth, unsigned threads,
                      const RankingVisitor& visit) const {
  VectorIndex index(hnsw_config(settings_, matrix.spec, matrix.version, metric, matrix.dim));
  std::vector<float> vectors;
  vectors.reserve(database.size() * matrix.dim);
  for (const std::uint32_t row : database) vectors.insert(vectors.end(), matrix.row(row), matrix.row(row) + matrix.dim);
  index.add_many(database.data(), vectors.data(), database.size(), thread_count(threads));
  vectors = {};

  const std::unordered_set<std::uint32_t> in_database(database.begin(), database.end());
  SearchOptions options;
  options.k = depth == 0 ? database.size() : depth;
  options.ef = settings_.ef;
  parallel_for(queries.size(), thread_count(threads), [&](std::size_t q) {
    if (interrupted()) return;
    const std::uint32_t row = queries[q];
    visit(q, in_database.count(row) ? index.search_by_id(row, options) : index.search(matrix.row(row), options));
  });
}

}  // namespace lookalike::cli
