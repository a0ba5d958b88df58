#include "serve/byte_ranges.h"

#include <algorithm>

namespace lookalike::cli {

RangePlan plan_ranges(const std::vector<RequestedRange>& requested, std::uint64_t size, std::size_t max_ranges) {
  RangePlan plan;
  if (requested.empty() || requested.size() > max_ranges) return plan;
  const long long n = static_cast<long long>(size);
  for (auto [first, last] : requested) {
    if (first < 0 && last < 0) return RangePlan{};  // not a range at all
    if (first < 0) {                                // suffix: the last `last` bytes
      if (last == 0 || n == 0) continue;
      first = std::max(0LL, n - last);
      last = n - 1;
    } else {
      if (first >= n) continue;
      last = last < 0 ? n - 1 : std::min(last, n - 1);
      if (last < first) continue;
    }
    plan.ranges.emplace_back(first, last);
  }
  plan.kind = plan.ranges.empty() ? RangePlan::Kind::Unsatisfiable : RangePlan::Kind::Partial;
  return plan;
}

}  // namespace lookalike::cli
