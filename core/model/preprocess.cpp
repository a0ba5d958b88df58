#include "model/preprocess.h"

#include <cmath>

#include "common/error.h"

namespace lookalike {

Image model_input_image(const Image& image, const ModelCard& card) {
  if (image.empty()) fail(ErrorKind::InvalidArgument, "cannot preprocess an empty image");
  if (card.resize_mode == ResizeMode::Exact) return resize(image, card.width, card.height, card.filter);
  const Image scaled = resize_shortest_side(image, card.shortest_side, card.filter);
  return centre_crop(scaled, card.width, card.height);
}

std::vector<float> preprocess_for_model(const Image& image, const ModelCard& card) {
  const Image input = model_input_image(image, card);
  const std::size_t plane = std::size_t(card.width) * card.height;
  std::vector<float> tensor(3 * plane);
  for (int c = 0; c < 3; ++c) {
    const int source = card.channel_order == ChannelOrder::RGB ? c : 2 - c;
    const float mean = card.mean[c], stddev = card.stddev[c], scale = card.scale;
    float* out = tensor.data() + std::size_t(c) * plane;
    for (std::size_t i = 0; i < plane; ++i) out[i] = (float(input.rgb[i * 3 + source]) / scale - mean) / stddev;
  }
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
