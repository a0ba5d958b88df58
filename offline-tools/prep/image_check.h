// Whether one source image is usable, and what prep records about it: the
// same checks for `lookalike prep`, the index's in-memory prep and a sharded
// embedding job (which checks each image as it decodes it for the model, so
// that duplicates can be decided at merge exactly as one prep run decides).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "lookalike/common/error.h"
#include "lookalike/image/decode.h"
#include "prep/perceptual_hash.h"

namespace lookalike::cli {

struct ImageCheckOptions {
  int min_size = 64;                      // shortest side in pixels, after EXIF orientation
  std::uint64_t max_pixels = 64'000'000;  // larger images are set aside as too-large
};

struct ImageCheck {
  bool usable = false;
  std::string reason, message;  // when not usable: a manifest rejection reason and the decoder's words
  std::uint64_t bytes = 0;
  std::string format;
  int width = 0, height = 0;
  std::string pixel_hash;
  PerceptualHash perceptual;
};

// Reads and decodes the file; never throws (problems become the result).
ImageCheck check_image_file(const std::filesystem::path& file, const ImageCheckOptions& options);

// For a caller that decoded the file itself (with decode_options(options)).
ImageCheck check_decoded_image(std::uint64_t file_bytes, const DecodedImage& decoded, const ImageCheckOptions& options);
DecodeOptions decode_options(const ImageCheckOptions& options);

// A failure to read or decode as a manifest rejection ("unreadable", "corrupt", …).
ImageCheck rejected_image(ErrorKind kind, const std::string& message, std::uint64_t file_bytes);

}  // namespace lookalike::cli
