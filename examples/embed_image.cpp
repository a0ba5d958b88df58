// Embed an image with a model card: the core decodes the image (EXIF
// upright) and turns it into the model's input tensor exactly as the page
// does (preprocess_for_model); the model itself runs in ONNX Runtime, here
// through the CLI's Node.js worker (offline-tools/embed/model_embedder.h),
// in the page through ONNX Runtime Web.
//
//   embed_image CARD [IMAGE]     CARD: a card name (clip-vit-b32) or file; without IMAGE, a drawn picture
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

#include "embed/model_embedder.h"
#include "lookalike/common/error.h"
#include "lookalike/image/decode.h"
#include "lookalike/image/encode.h"
#include "lookalike/model/preprocess.h"

using namespace lookalike;

namespace {

// The image file's bytes, or a drawn picture encoded as PNG.
std::vector<std::uint8_t> image_bytes(int argc, char** argv) {
  if (argc > 2) {
    std::ifstream in(argv[2], std::ios::binary);
    if (!in) fail(ErrorKind::Io, std::string("cannot open ") + argv[2]);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  Image picture(320, 240);
  for (int y = 0; y < picture.height; ++y)
    for (int x = 0; x < picture.width; ++x) {
      std::uint8_t* p = picture.at(x, y);
      p[0] = std::uint8_t(x * 255 / picture.width);
      p[1] = std::uint8_t(y * 255 / picture.height);
      p[2] = 128;
    }
  return encode_png(picture);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: embed_image CARD [IMAGE]\n");
    return 2;
  }
  try {
    const std::vector<std::uint8_t> bytes = image_bytes(argc, argv);
    const DecodedImage decoded = decode_image(bytes.data(), bytes.size());
    cli::ModelEmbedder embedder = cli::ModelEmbedder::open(argv[1]);
    const std::vector<float> tensor = preprocess_for_model(decoded.image, embedder.card());
    // L2-normalised when the card says so, as the index stores it.
    const std::vector<float> embedding = embedder.embed_tensors(tensor.data(), 1);
    std::printf("%s: %dx%d %s -> %zu floats -> %s, %zu-d:", argc > 2 ? argv[2] : "a drawn picture", decoded.image.width,
                decoded.image.height, format_name(decoded.format), tensor.size(), embedder.feature_spec().c_str(),
                embedding.size());
    for (std::size_t i = 0; i < embedding.size() && i < 4; ++i) std::printf(" %.4f", embedding[i]);
    std::printf(" …\n");
    return 0;
  } catch (const Error& e) {
    std::fprintf(stderr, "embed_image: %s\n", e.what());
    return 1;
  }
}
