// The search over a partitioned index: probe the nearest lists, order their
// items by a surrogate on the int8 codes, score the best with the metric.
#include <algorithm>

#include "index/int8_quantization.h"
#include "index/vector_preparation.h"
#include "lookalike/common/error.h"
#include "lookalike/index/partitioned_index.h"
#include "lookalike/metrics/kernels.h"
#include "lookalike/search/exact_search.h"

namespace lookalike {
namespace {

// The candidate that ranks worse: higher surrogate, then higher id.
struct WorseFirst {
  template <class C>
  bool operator()(const C& a, const C& b) const {
    return a.surrogate < b.surrogate || (a.surrogate == b.surrogate && a.id < b.id);
  }
};

}  // namespace

PartitionedSearch::PartitionedSearch(const PartitionedIndex& index, const float* query,
                                     const PartitionedSearchOptions& options)
    : index_(&index), options_(options) {
  const IndexConfig& c = index.config();
  require_finite(query, c.dim, "query");
  query_.assign(query, query + c.dim);
  prepared_.resize(c.dim);
  prepare_vector(c.metric, query, prepared_.data(), c.dim);
  prepared_sum_ = static_cast<float>(best_kernels().sum(prepared_.data(), c.dim));
  const std::uint32_t rerank = options.rerank ? options.rerank : index.header().default_rerank;
  rerank_ = std::max<std::size_t>(rerank, options.k);
  if (options.k == 0 || index.size() == 0) return;
  order_ = index.probe_order(query);
  next_batch();
}

void PartitionedSearch::next_batch() {
  const std::uint32_t nprobe = options_.nprobe ? options_.nprobe : index_->header().default_nprobe;
  const std::size_t end = std::min(order_.size(), next_in_order_ + std::max<std::uint32_t>(nprobe, 1));
  for (; next_in_order_ < end; ++next_in_order_) wanted_.push_back(order_[next_in_order_]);
}

void PartitionedSearch::score(const PartitionedList& list) {
  const auto it = std::find(wanted_.begin(), wanted_.end(), list.number());
  if (it == wanted_.end())
    fail(ErrorKind::InvalidArgument, "partitioned search: list " + std::to_string(list.number()) + " is not wanted");
  const IndexConfig& c = index_->config();
  const std::size_t dim = c.dim;
  const Kernels& kernels = best_kernels();
  const float* p = prepared_.data();
  for (std::size_t i = 0; i < list.count(); ++i) {
    const std::uint32_t id = list.id(i);
    if (options_.exclude && *options_.exclude == id) continue;
    if (options_.accept && !options_.accept(id)) continue;
    ++accepted_;
    const std::int8_t* codes = list.codes(i);
    const float offset = list.offset(i), scale = list.scale(i);
    float surrogate;
    switch (c.metric) {
      case Metric::L1: surrogate = kernels.l1_f32_i8(p, codes, dim, offset, scale); break;
      case Metric::L2: surrogate = kernels.l2_squared_f32_i8(p, codes, dim, offset, scale); break;
      default: surrogate = 1.0f - (offset * prepared_sum_ + scale * kernels.dot_f32_i8(p, codes, dim)); break;
    }
    if (candidates_.size() == rerank_) {
      const Candidate& worst = candidates_.front();
      if (surrogate > worst.surrogate || (surrogate == worst.surrogate && id > worst.id)) continue;
      std::pop_heap(candidates_.begin(), candidates_.end(), WorseFirst());
      candidates_.pop_back();
    }
    Candidate candidate{surrogate, id, list.number(), {}};
    candidate.vector.resize(dim);
    dequantize_int8(codes, dim, Int8Scale{offset, scale}, candidate.vector.data());
    candidates_.push_back(std::move(candidate));
    std::push_heap(candidates_.begin(), candidates_.end(), WorseFirst());
  }
  scored_items_ += list.count();
  ++scored_lists_;
  wanted_.erase(it);
  ranked_.reset();
  // Too few items accepted (a selective filter, tiny lists): probe on.
  if (wanted_.empty() && accepted_ < options_.k && next_in_order_ < order_.size()) next_batch();
}

std::vector<Hit> PartitionedSearch::hits() const {
  if (!done()) fail(ErrorKind::InvalidArgument, "partitioned search: lists are still wanted");
  if (!ranked_) {
    const IndexConfig& c = index_->config();
    std::vector<std::pair<Hit, std::uint32_t>> scored;
    scored.reserve(candidates_.size());
    for (const Candidate& cand : candidates_)
      scored.push_back({{cand.id, metric_value(c.metric, query_.data(), cand.vector.data(), c.dim)}, cand.list});
    const HitOrder order{c.metric};
    std::sort(scored.begin(), scored.end(), [&order](const auto& a, const auto& b) { return order(a.first, b.first); });
    if (scored.size() > options_.k) scored.resize(options_.k);
    ranked_.emplace();
    ranked_lists_.clear();
    for (const auto& s : scored) {
      ranked_->push_back(s.first);
      ranked_lists_.push_back(s.second);
    }
  }
  return *ranked_;
}

std::vector<std::uint32_t> PartitionedSearch::hit_lists() const {
  hits();
  return ranked_lists_;
}

}  // namespace lookalike
