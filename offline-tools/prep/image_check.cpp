#include "prep/image_check.h"

#include <algorithm>

#include "common/files.h"
#include "prep/pixel_hash.h"

namespace lookalike::cli {
namespace {

std::string reason_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Unsupported: return "unsupported";
    case ErrorKind::TooLarge: return "too-large";
    case ErrorKind::Io: return "unreadable";
    case ErrorKind::Corrupt:
    case ErrorKind::InvalidArgument: break;
  }
  return "corrupt";
}

}  // namespace

DecodeOptions decode_options(const ImageCheckOptions& options) {
  DecodeOptions decode;
  decode.max_pixels = options.max_pixels;
  return decode;
}

ImageCheck rejected_image(ErrorKind kind, const std::string& message, std::uint64_t file_bytes) {
  ImageCheck c;
  c.reason = reason_for(kind);
  c.message = message;
  c.bytes = file_bytes;
  return c;
}

ImageCheck check_decoded_image(std::uint64_t file_bytes, const DecodedImage& decoded,
                               const ImageCheckOptions& options) {
  ImageCheck c;
  c.bytes = file_bytes;
  c.format = format_key(decoded.format);
  c.width = decoded.image.width;
  c.height = decoded.image.height;
  if (std::min(c.width, c.height) < options.min_size) {
    c.reason = "too-small";
    c.message = std::to_string(c.width) + "x" + std::to_string(c.height) + " is below the minimum of " +
                std::to_string(options.min_size) + " px on the shortest side";
    return c;
  }
  c.pixel_hash = pixel_hash(decoded.image);
  c.perceptual = perceptual_hash(decoded.image);
  c.usable = true;
  return c;
}

ImageCheck check_image_file(const std::filesystem::path& file, const ImageCheckOptions& options) {
  std::vector<std::uint8_t> bytes;
  try {
    bytes = read_file(file);
  } catch (const Error& e) {
    return rejected_image(ErrorKind::Io, e.what(), 0);
  }
  try {
    return check_decoded_image(bytes.size(), decode_image(bytes.data(), bytes.size(), decode_options(options)),
                               options);
  } catch (const Error& e) {
    return rejected_image(e.kind(), e.what(), bytes.size());
  }
}

}  // namespace lookalike::cli
