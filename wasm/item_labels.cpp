#include "item_labels.h"

#include <algorithm>
#include <string>

#include "lookalike/common/error.h"

namespace lookalike::wasm {

void ItemLabels::assign(const std::vector<std::uint32_t>& ids, const std::vector<std::int32_t>& labels) {
  if (ids.size() != labels.size())
    fail(ErrorKind::InvalidArgument,
         std::to_string(ids.size()) + " item ids but " + std::to_string(labels.size()) + " labels");
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < -1)
      fail(ErrorKind::InvalidArgument, "label of item " + std::to_string(ids[i]) + " is " + std::to_string(labels[i]) +
                                           " (labels are positions in the collection's label list, or −1)");
  dense_.clear();
  sparse_.clear();
  count_ = ids.size();
  const std::uint32_t max_id = ids.empty() ? 0 : *std::max_element(ids.begin(), ids.end());
  // A table indexed by id when ids are (nearly) dense, a map otherwise.
  if (std::size_t(max_id) < 2 * ids.size() + 1024) {
    dense_.assign(std::size_t(max_id) + 1, -1);
    for (std::size_t i = 0; i < ids.size(); ++i) dense_[ids[i]] = labels[i];
  } else {
    for (std::size_t i = 0; i < ids.size(); ++i) sparse_[ids[i]] = labels[i];
  }
}

std::int32_t ItemLabels::label_of(std::uint32_t id) const {
  if (!dense_.empty()) return id < dense_.size() ? dense_[id] : -1;
  const auto it = sparse_.find(id);
  return it == sparse_.end() ? -1 : it->second;
}

}  // namespace lookalike::wasm
