// Which label each item carries, for "restrict results to one label".
//
// Labels come from the collection sidecar, which the page parses anyway; it
// hands the module one integer per item (the label's position in the
// sidecar's `labels` list, −1 for none) so the index can filter candidates
// without calling back into JavaScript for each one.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace lookalike::wasm {

class ItemLabels {
 public:
  // Throws Error when the arrays differ in length or a label is below −1.
  void assign(const std::vector<std::uint32_t>& ids, const std::vector<std::int32_t>& labels);
  bool empty() const { return count_ == 0; }
  std::int32_t label_of(std::uint32_t id) const;  // −1 when unknown

 private:
  std::size_t count_ = 0;
  std::vector<std::int32_t> dense_;                         // ids 0..n−1 (the usual case)
  std::unordered_map<std::uint32_t, std::int32_t> sparse_;  // anything else
};

}  // namespace lookalike::wasm
