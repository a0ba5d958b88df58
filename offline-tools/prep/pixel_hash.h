// The identity of a picture's content: a hash of its decoded, upright RGB8
// pixels (and size), so that the same photo saved twice, re-encoded
// losslessly or stored under another name is recognised as one.
#pragma once

#include <string>

#include "lookalike/image/image.h"

namespace lookalike::cli {

// XXH3-128 over width and height (32-bit little-endian) and the RGB bytes,
// as 32 lowercase hex digits.
std::string pixel_hash(const Image& image);

}  // namespace lookalike::cli
