#include "prep/pixel_hash.h"

// Header-only xxHash (static inline functions): no library to link, in any build.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cstdint>
#include <cstdio>

namespace lookalike::cli {

std::string pixel_hash(const Image& image) {
  XXH3_state_t* state = XXH3_createState();
  if (!state) throw std::bad_alloc();
  XXH3_128bits_reset(state);
  std::uint8_t size[8];
  for (int i = 0; i < 4; ++i) {
    size[i] = std::uint8_t(std::uint32_t(image.width) >> (8 * i));
    size[4 + i] = std::uint8_t(std::uint32_t(image.height) >> (8 * i));
  }
  XXH3_128bits_update(state, size, sizeof size);
  XXH3_128bits_update(state, image.rgb.data(), image.rgb.size());
  const XXH128_hash_t h = XXH3_128bits_digest(state);
  XXH3_freeState(state);
  char text[33];
  std::snprintf(text, sizeof text, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return text;
}

}  // namespace lookalike::cli
