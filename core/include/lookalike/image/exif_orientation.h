// EXIF orientation: phones store photos as the sensor saw them and record how
// to turn them upright in the EXIF Orientation tag (0x0112, values 1..8).
// Every image viewer applies it, so the core does too, on both sides.
#pragma once

#include <cstddef>
#include <cstdint>

#include "lookalike/image/image.h"

namespace lookalike {

// The Orientation tag of a JPEG's EXIF block, or 1 (upright) when there is no
// EXIF block, no tag, or the block is malformed (a bad tag never fails a decode).
int read_jpeg_exif_orientation(const std::uint8_t* data, std::size_t size);

// Returns the image as it is meant to be displayed for an orientation 1..8.
// Orientations 5..8 swap width and height. Values outside 1..8 mean upright.
Image apply_orientation(const Image& stored, int orientation);

}  // namespace lookalike
