#include "lookalike/index/list_cache.h"

namespace lookalike {

std::shared_ptr<const PartitionedList> ListCache::get(std::uint32_t list) {
  const auto it = entries_.find(list);
  if (it == entries_.end()) return nullptr;
  order_.splice(order_.begin(), order_, it->second);
  return *it->second;
}

void ListCache::put(std::shared_ptr<const PartitionedList> list) {
  const auto it = entries_.find(list->number());
  if (it != entries_.end()) {
    bytes_ -= (*it->second)->bytes();
    order_.erase(it->second);
    entries_.erase(it);
  }
  const std::size_t bytes = list->bytes();
  if (bytes > budget_) return;
  evict_to(budget_ - bytes);
  order_.push_front(std::move(list));
  entries_[order_.front()->number()] = order_.begin();
  bytes_ += bytes;
}

void ListCache::set_budget(std::size_t budget_bytes) {
  budget_ = budget_bytes;
  evict_to(budget_);
}

void ListCache::clear() { evict_to(0); }

void ListCache::evict_to(std::size_t limit) {
  while (bytes_ > limit && !order_.empty()) {
    bytes_ -= order_.back()->bytes();
    entries_.erase(order_.back()->number());
    order_.pop_back();
  }
}

}  // namespace lookalike
