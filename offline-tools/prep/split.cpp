#include "prep/split.h"

// Header-only xxHash (static inline functions): no library to link, in any build.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "lookalike/common/error.h"

namespace lookalike::cli {

std::vector<Split> stratified_split(const std::vector<SplitItem>& items, double test_fraction, std::uint64_t seed) {
  if (!(test_fraction >= 0.0 && test_fraction <= 1.0))
    fail(ErrorKind::InvalidArgument, "the test fraction must be between 0 and 1");
  std::vector<Split> out(items.size(), Split::None);
  std::map<std::string, std::vector<std::size_t>> by_label;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].given != Split::None)
      out[i] = items[i].given;
    else
      by_label[items[i].label].push_back(i);
  }
  for (auto& [label, members] : by_label) {
    std::vector<std::pair<std::uint64_t, std::size_t>> keyed;
    for (std::size_t i : members) {
      const std::string text = label + '\n' + items[i].key;
      keyed.emplace_back(XXH64(text.data(), text.size(), seed), i);
    }
    // Equal hashes (practically never) fall back to the key itself.
    std::sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first : items[a.second].key < items[b.second].key;
    });
    const std::size_t n = keyed.size();
    std::size_t tests = std::size_t(std::llround(double(n) * test_fraction));
    if (n >= 2 && test_fraction > 0.0 && test_fraction < 1.0) tests = std::clamp<std::size_t>(tests, 1, n - 1);
    if (n == 1 && test_fraction < 1.0) tests = 0;
    for (std::size_t r = 0; r < n; ++r) out[keyed[r].second] = r < tests ? Split::Test : Split::Train;
  }
  return out;
}

}  // namespace lookalike::cli
