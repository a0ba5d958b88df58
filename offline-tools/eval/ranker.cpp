#include "eval/ranker.h"

#include "eval/exact_ranker.h"
#include "eval/hnsw_ranker.h"
#include "lookalike/common/error.h"

namespace lookalike::cli {

std::string SearchSettings::name() const { return kind == SearchKind::Exact ? "exact" : "hnsw"; }

std::string SearchSettings::description() const {
  if (kind == SearchKind::Exact) return "exact";
  return "hnsw m=" + std::to_string(m) + " efc=" + std::to_string(ef_construction) + " ef=" + std::to_string(ef);
}

SearchKind parse_search_kind(const std::string& name) {
  if (name == "exact" || name == "flat") return SearchKind::Exact;
  if (name == "hnsw") return SearchKind::Hnsw;
  fail(ErrorKind::InvalidArgument, "unknown search \"" + name + "\" (expected exact or hnsw)");
}

std::unique_ptr<Ranker> make_ranker(const SearchSettings& settings) {
  if (settings.kind == SearchKind::Hnsw) return std::make_unique<HnswRanker>(settings);
  return std::make_unique<ExactRanker>();
}

}  // namespace lookalike::cli
