// RgbImage: an upright RGB8 image held in the module's memory, handed to
// JavaScript as a handle (call `.delete()` when done).
//
// The worker decodes a query once and then computes several features and a
// model tensor from it (switching feature re-runs at once); keeping the
// pixels inside the module avoids copying a 12-megapixel photo (36 MB) in and
// out of WebAssembly memory for every step. JavaScript copies the pixels out
// only when it asks (`rgb()`, `rgba()`).
#pragma once

#include <cstdint>

#include <emscripten/val.h>

#include "lookalike/image/image.h"

namespace lookalike::wasm {

class RgbImage {
 public:
  explicit RgbImage(Image image) : image_(std::move(image)) {}
  RgbImage(RgbImage&&) = default;
  RgbImage& operator=(RgbImage&&) = default;
  RgbImage(const RgbImage&) = delete;
  RgbImage& operator=(const RgbImage&) = delete;

  int width() const { return image_.width; }
  int height() const { return image_.height; }
  const Image& image() const { return image_; }

  emscripten::val rgb() const;   // Uint8Array, width·height·3
  emscripten::val rgba() const;  // Uint8Array, width·height·4, alpha 255 (ready for ImageData)

 private:
  Image image_;
};

// Builds an RGB image from pixels decoded elsewhere (the browser's decoder
// for WebP, AVIF, HEIC): 3 channels are taken as they are; 4 channels
// (straight, not premultiplied, alpha as in ImageData) are composited onto
// white with the core decoder's rounding, (c·a + 255·(255 − a) + 127) / 255,
// so a transparent PNG gives the same pixels either way.
Image image_from_pixels(const std::uint8_t* pixels, std::size_t size, int width, int height, int channels);

}  // namespace lookalike::wasm
