// Turning an upright image into the input tensor a model card asks for:
// resize (and crop), then per channel (pixel / scale − mean) / std, laid out
// NCHW for a batch of one. The browser and the CLI both call this, so a query
// yields the same tensor on both sides.
#pragma once

#include <vector>

#include "lookalike/image/decode_need.h"
#include "lookalike/image/image.h"
#include "lookalike/model/model_card.h"

namespace lookalike {

// What model_input_image needs of the decoded image (image/decode_need.h):
// the side its resize scales to, with kInterpolationMargin for the
// interpolating filters. Decode a query with it, on every side.
DecodeNeed decode_need(const ModelCard& card);

// The resized (and cropped) image the model sees, before normalisation.
Image model_input_image(const Image& image, const ModelCard& card);

// 3 · height · width floats, channel planes in the card's channel order.
std::vector<float> preprocess_for_model(const Image& image, const ModelCard& card);
// The same floats written to `out` (3 · height · width of them), e.g. straight
// into a batch, which saves a buffer and a copy per image.
void preprocess_for_model_into(const Image& image, const ModelCard& card, float* out);

// Scales a vector to unit L2 norm in place (a zero vector stays zero).
void l2_normalize(std::vector<float>& vector);

}  // namespace lookalike
