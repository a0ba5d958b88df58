#include "features/pixels.h"

#include "lookalike/common/error.h"
#include "lookalike/image/resize.h"

namespace lookalike {

PixelsFeature::PixelsFeature(int size) : size_(size) {
  if (size < 1 || size > 1024) fail(ErrorKind::InvalidArgument, "feature pixels: size must be in [1, 1024]");
}

std::string PixelsFeature::spec() const { return "pixels:size=" + std::to_string(size_); }

std::vector<float> PixelsFeature::compute(const Image& image) const {
  if (image.empty()) fail(ErrorKind::InvalidArgument, "feature pixels: empty image");
  const Image small = resize(image, size_, size_, ResizeFilter::Box);
  std::vector<float> out(small.rgb.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = small.rgb[i] / 255.0f;
  return out;
}

}  // namespace lookalike
