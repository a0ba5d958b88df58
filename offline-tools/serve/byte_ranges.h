// Checking and clamping the byte ranges of a Range request against the size
// of the file served (RFC 9110, section 14): ranges past the end are dropped,
// an end past the end is clamped, a suffix range counts from the end; when
// nothing is left the answer is 416 with "Content-Range: bytes */size".
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace lookalike::cli {

// A requested range as parsed from the header: -1 marks an absent bound
// ("500-" is {500, -1}, "-500" is {-1, 500}).
using RequestedRange = std::pair<long long, long long>;

struct RangePlan {
  enum class Kind { Whole, Partial, Unsatisfiable } kind = Kind::Whole;
  std::vector<RequestedRange> ranges;  // Partial: absolute, inclusive, within the file
};

// More than `max_ranges` ranges are answered with the whole file (a request
// asking for thousands of tiny ranges is not worth serving piecewise).
RangePlan plan_ranges(const std::vector<RequestedRange>& requested, std::uint64_t size, std::size_t max_ranges = 16);

}  // namespace lookalike::cli
