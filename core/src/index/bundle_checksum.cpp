#include "index/bundle_checksum.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace lookalike {

std::uint64_t bundle_checksum(const std::uint8_t* data, std::size_t size) { return XXH3_64bits(data, size); }

}  // namespace lookalike
