// The checksum of bundle headers and sections: XXH3, 64 bits, seed 0
// (xxHash 0.8, Debian's libxxhash-dev), compiled header-only (XXH_INLINE_ALL)
// so that the WASM build needs no library.
#pragma once

#include <cstddef>
#include <cstdint>

namespace lookalike {

std::uint64_t bundle_checksum(const std::uint8_t* data, std::size_t size);

}  // namespace lookalike
