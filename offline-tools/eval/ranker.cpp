#include "eval/ranker.h"

#include "eval/exact_ranker.h"
#include "eval/hnsw_ranker.h"
#include "eval/partitioned_ranker.h"
#include "lookalike/common/error.h"

namespace lookalike::cli {

std::string SearchSettings::name() const {
  return kind == SearchKind::Exact ? "exact" : kind == SearchKind::Hnsw ? "hnsw" : "partitioned";
}

std::string SearchSettings::description() const {
  if (kind == SearchKind::Exact) return "exact";
  if (kind == SearchKind::Partitioned)
    return "partitioned lists=" + (lists ? std::to_string(lists) : std::string("auto")) +
           " nprobe=" + (nprobe ? std::to_string(nprobe) : std::string("auto"));
  return "hnsw m=" + std::to_string(m) + " efc=" + std::to_string(ef_construction) + " ef=" + std::to_string(ef);
}

SearchKind parse_search_kind(const std::string& name) {
  if (name == "exact" || name == "flat") return SearchKind::Exact;
  if (name == "hnsw") return SearchKind::Hnsw;
  if (name == "partitioned") return SearchKind::Partitioned;
  fail(ErrorKind::InvalidArgument, "unknown search \"" + name + "\" (expected exact, hnsw or partitioned)");
}

std::unique_ptr<Ranker> make_ranker(const SearchSettings& settings) {
  if (settings.kind == SearchKind::Hnsw) return std::make_unique<HnswRanker>(settings);
  if (settings.kind == SearchKind::Partitioned) return std::make_unique<PartitionedRanker>(settings);
  return std::make_unique<ExactRanker>();
}

}  // namespace lookalike::cli
