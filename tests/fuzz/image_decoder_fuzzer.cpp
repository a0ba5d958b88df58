// libFuzzer target: any byte sequence given to decode_image (libjpeg-turbo
// for JPEG, stb_image for the rest) either decodes to a consistent image or
// throws lookalike::Error; it never crashes, trips a sanitizer, or hangs. The
// last input byte chooses a decode need, so that the reduced paths run too:
// JPEG decoded at 1/2, 1/4 and 1/8 in the DCT domain, the area filter, and
// EXIF orientation applied to a reduced image.
#include <cstddef>
#include <cstdint>

#include "lookalike/common/error.h"
#include "lookalike/image/decode.h"

using namespace lookalike;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t choice = data[size - 1];
  DecodeOptions options;
  // Small enough that one input decodes in milliseconds; the limit's own
  // check is part of what is fuzzed.
  options.max_pixels = 4'000'000;
  options.apply_exif_orientation = (choice & 1) != 0;
  // Needs from full size (0) up to 127 pixels: reductions of 1 to hundreds.
  options.need.shorter_side = (choice >> 1) & 0x3F;
  options.need.longer_side = (choice & 0x80) ? 64 : 0;
  try {
    const DecodedImage d = decode_image(data, size - 1, options);
    if (d.image.empty() || d.image.rgb.size() != d.image.pixel_count() * 3) __builtin_trap();
    if (d.reduction < 1 || d.reduction % d.jpeg_scale != 0) __builtin_trap();
    const int stored_w = reduced_side(d.stored_width, d.reduction),
              stored_h = reduced_side(d.stored_height, d.reduction);
    const bool turned = options.apply_exif_orientation && d.exif_orientation >= 5 && d.exif_orientation <= 8;
    if (d.image.width != (turned ? stored_h : stored_w) || d.image.height != (turned ? stored_w : stored_h))
      __builtin_trap();
    read_image_info(data, size - 1);
  } catch (const Error&) {}
  return 0;
}
