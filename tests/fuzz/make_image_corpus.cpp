// Writes the image decoder fuzzer's seed corpus into the given folder: small
// valid images of every format and variant the core decodes (JPEG baseline,
// progressive, grey, with EXIF orientation; PNG RGB, grey, palette, alpha;
// BMP, GIF, TGA), each followed by the byte that chooses the decode need
// (image_decoder_fuzzer.cpp), one full-size and one reduced copy of each.
//   make_image_corpus <folder>
#include <cstdio>
#include <string>
#include <vector>

#include "lookalike/image/encode.h"

#include "support/test_images.h"
#include "support/test_photos.h"

using namespace lookalike;
using namespace lookalike::testing;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_image_corpus <folder>\n");
    return 2;
  }
  const Image picture = make_pattern(48, 40, 3);
  std::vector<std::pair<std::string, Bytes>> seeds = {
      {"baseline.jpg", encode_camera_jpeg(picture, {85, false})},
      {"progressive.jpg", encode_camera_jpeg(picture, {85, true})},
      {"exif6.jpg", with_exif_orientation(encode_camera_jpeg(picture, {80, true}), 6)},
      {"grey.jpg", encode_camera_jpeg(make_pattern(33, 17, 9), {80, false, true})},
      {"rgb.png", encode_png(picture)},
      {"grey.png", encode_png_raw(8, 6, 0, 8, Bytes(48, 100))},
      {"alpha.png", encode_png_raw(6, 5, 6, 8, Bytes(6 * 5 * 4, 170))},
      {"palette.png", encode_png_raw(7, 3, 3, 8, Bytes(21, 1), Bytes{0, 0, 0, 250, 10, 20}, Bytes{255, 128})},
      {"picture.bmp", encode_with_stb(stbi_write_bmp_to_func, make_pattern(13, 9, 5))},
      {"picture.tga", encode_with_stb(stbi_write_tga_to_func, make_pattern(11, 7, 6))},
      {"picture.gif", encode_gif(9, 8, Bytes(256 * 3, 40), Bytes(72, 2))},
  };
  for (const auto& [name, bytes] : seeds)
    for (const std::uint8_t need : {std::uint8_t(0), std::uint8_t(2 * 6)}) {  // full size; shorter side ≥ 6
      const std::string path = std::string(argv[1]) + "/" + name + (need ? ".reduced" : "");
      FILE* f = std::fopen(path.c_str(), "wb");
      if (!f) {
        std::fprintf(stderr, "make_image_corpus: cannot write %s\n", path.c_str());
        return 1;
      }
      std::fwrite(bytes.data(), 1, bytes.size(), f);
      std::fwrite(&need, 1, 1, f);
      std::fclose(f);
    }
  return 0;
}
