#include "lookalike/model/preprocess.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "lookalike/common/error.h"

namespace lookalike {

DecodeNeed decode_need(const ModelCard& card) {
  const int margin = card.filter == ResizeFilter::Box ? 1 : kInterpolationMargin;
  // An exact resize squashes to width × height: both sides at least the
  // larger one keeps the need independent of the photo's orientation.
  const int side =
      card.resize_mode == ResizeMode::ShortestSideCrop ? card.shortest_side : std::max(card.width, card.height);
  return {margin * side, 0};
}

Image model_input_image(const Image& image, const ModelCard& card) {
  if (image.empty()) fail(ErrorKind::InvalidArgument, "cannot preprocess an empty image");
  if (card.resize_mode == ResizeMode::Exact) return resize(image, card.width, card.height, card.filter);
  const Image scaled = resize_shortest_side(image, card.shortest_side, card.filter);
  return centre_crop(scaled, card.width, card.height, card.crop_rounding);
}

void preprocess_for_model_into(const Image& image, const ModelCard& card, float* tensor) {
  const Image input = model_input_image(image, card);
  const std::size_t plane = std::size_t(card.width) * card.height;
  // A channel value is one of 256 bytes: a table of their floats, each
  // computed by the same expression, gives the very same tensor as computing
  // every pixel (two divisions each) at a fraction of the cost.
  float table[3][256];
  float* planes[3];
  for (int c = 0; c < 3; ++c) {
    const int source = card.channel_order == ChannelOrder::RGB ? c : 2 - c;
    const float mean = card.mean[c], stddev = card.stddev[c], scale = card.scale;
    for (int v = 0; v < 256; ++v) table[source][v] = (float(v) / scale - mean) / stddev;
    planes[source] = tensor + std::size_t(c) * plane;
  }
  const std::uint8_t* rgb = input.rgb.data();
  for (std::size_t i = 0; i < plane; ++i, rgb += 3) {
    planes[0][i] = table[0][rgb[0]];
    planes[1][i] = table[1][rgb[1]];
    planes[2][i] = table[2][rgb[2]];
  }
}

std::vector<float> preprocess_for_model(const Image& image, const ModelCard& card) {
  std::vector<float> tensor(3 * std::size_t(card.width) * card.height);
  preprocess_for_model_into(image, card, tensor.data());
  return tensor;
}

void l2_normalize(std::vector<float>& vector) {
  double sum = 0;
  for (float x : vector) sum += double(x) * x;
  if (!(sum > 0)) return;
  const double inverse = 1.0 / std::sqrt(sum);
  for (float& x : vector) x = static_cast<float>(x * inverse);
}

}  // namespace lookalike
