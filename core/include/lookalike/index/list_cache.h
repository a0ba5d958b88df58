// The lists of a partitioned index that a caller keeps between queries
// (index/partitioned_index.h): parsed lists, least recently used evicted
// first, so that the bytes held never exceed the budget (the page's list
// memory; the CLI's when it answers many queries).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <unordered_map>

#include "lookalike/index/partitioned_index.h"

namespace lookalike {

// Parsed lists kept for later queries, least recently used evicted first so
// that the bytes held never exceed the budget.
class ListCache {
 public:
  explicit ListCache(std::size_t budget_bytes) : budget_(budget_bytes) {}
  std::shared_ptr<const PartitionedList> get(std::uint32_t list);  // null when absent; marks it recently used
  void put(std::shared_ptr<const PartitionedList> list);  // evicts as needed; a list over the budget is not kept
  void set_budget(std::size_t budget_bytes);
  void clear();
  std::size_t bytes() const { return bytes_; }
  std::size_t budget() const { return budget_; }
  std::size_t lists() const { return entries_.size(); }

 private:
  void evict_to(std::size_t limit);
  std::size_t budget_;
  std::size_t bytes_ = 0;
  std::list<std::shared_ptr<const PartitionedList>> order_;  // most recent first
  std::unordered_map<std::uint32_t, std::list<std::shared_ptr<const PartitionedList>>::iterator> entries_;
};

}  // namespace lookalike
