// The area filter of decode_image's reduction: each output pixel is the
// rounded mean of a factor × factor block (blocks at the right and bottom
// edges average the pixels they have), the image becoming
// ceil(width / factor) × ceil(height / factor). Integer arithmetic, so both
// targets give the same bytes; one pass over the input, so a 12-megapixel
// PNG costs about as much as reading it.
#pragma once

#include "lookalike/image/image.h"

namespace lookalike {

Image reduce_by_area(const Image& image, int factor);

}  // namespace lookalike
