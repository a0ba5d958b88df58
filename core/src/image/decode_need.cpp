#include "lookalike/image/decode_need.h"

#include <algorithm>

namespace lookalike {

int reduced_side(int side, int factor) { return factor <= 1 ? side : (side + factor - 1) / factor; }

int reduction_factor(int width, int height, const DecodeNeed& need) {
  if (need.full_size() || width <= 0 || height <= 0) return 1;
  const int shorter = std::min(width, height), longer = std::max(width, height);
  int factor = 1;
  // Reduced sides only shrink as the factor grows: the first factor that
  // breaks a bound ends the search.
  while (factor < kMaxReduction && reduced_side(shorter, factor + 1) >= need.shorter_side &&
         reduced_side(longer, factor + 1) >= need.longer_side)
    ++factor;
  return factor;
}

}  // namespace lookalike
