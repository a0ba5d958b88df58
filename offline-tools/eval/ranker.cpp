#include "eval/ranker.h"

#include "common/error.h"
#include "eval/exact_ranker.h"

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
  switch (settings.kind) {
    case SearchKind::Exact: return std::make_unique<ExactRanker>();
    case SearchKind::Hnsw: break;
  }
  // The HNSW ranker builds a VectorIndex (core/index) over the database rows
  // and searches it with SearchOptions{k = depth + 1, ef}; it arrives with the index.
  fail(ErrorKind::InvalidArgument, "--search hnsw needs the vector index (core/index), which this build does not have yet; use --search exact");
}

}  // namespace lookalike::cli
