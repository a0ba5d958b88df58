// A model card: the JSON that makes an ONNX image encoder usable. It names
// the model file and how to fetch it, the input tensor and exactly how an
// image becomes that tensor, and the embedding output. CLIP ViT-B/32, the
// MobileNetV2 stand-in and the tiny test model are all described this way;
// any image encoder with a card works.
//
//   {
//     "schema": 1,
//     "name": "mobilenetv2-int8",
//     "description": "...",
//     "model": { "file": "mobilenetv2-12-int8-embed.onnx", "url": "https://…", "sha256": "…", "bytes": 3655033 },
//     "input": {
//       "name": "input", "layout": "NCHW", "width": 224, "height": 224,
//       "resize": { "mode": "shortest-side-crop", "shortest_side": 256, "filter": "bilinear",
//                   "crop_rounding": "half-even" },
//       "channel_order": "RGB", "scale": 255,
//       "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]
//     },
//     "output": { "name": "embedding", "dim": 1280, "l2_normalize": true }
//   }
//
// resize.mode is "exact" (squash to width×height) or "shortest-side-crop"
// (shorter side to shortest_side, then the centred width×height window).
// resize.crop_rounding places that window when its margin is odd, as the
// model's reference preprocessing does: "floor" (Hugging Face's image
// processors, the default) or "half-even" (torchvision's CenterCrop); see
// image/resize.h.
//
// Optional: model.max_batch (an integer ≥ 1) caps how many images one
// inference call may hold. Models whose output for an image depends on the
// rest of the batch (dynamically quantized exports scale activations over
// the whole input tensor) set it to 1, so offline embeddings equal the
// browser's one-image queries. Absent means any batch size. Unknown keys are
// ignored (model.source, for instance, is read by models/fetch.sh only).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "lookalike/image/resize.h"

namespace lookalike {

// The feature spec of a model's embeddings is this prefix and the card's name.
constexpr const char* kModelSpecPrefix = "model:";
bool is_model_spec(const std::string& spec);           // "model:…"
std::string model_spec_card(const std::string& spec);  // "model:<card>" → "<card>"; "" for other specs

enum class ResizeMode { Exact, ShortestSideCrop };
enum class ChannelOrder { RGB, BGR };

struct ModelCard {
  std::string name;
  std::string description;
  // Where the weights come from (file is relative to the card's folder).
  std::string file, url, sha256;
  std::uint64_t bytes = 0;
  int max_batch = 0;  // 0 = no limit

  std::string input_name;
  int width = 0, height = 0;
  ResizeMode resize_mode = ResizeMode::ShortestSideCrop;
  int shortest_side = 0;  // ShortestSideCrop only
  ResizeFilter filter = ResizeFilter::Bilinear;
  CropRounding crop_rounding = CropRounding::Floor;  // ShortestSideCrop only
  ChannelOrder channel_order = ChannelOrder::RGB;
  float scale = 255.0f;  // pixel / scale, then (x − mean) / std
  std::array<float, 3> mean{0, 0, 0};
  std::array<float, 3> stddev{1, 1, 1};

  std::string output_name;
  int output_dim = 0;
  bool l2_normalize = true;

  // The feature spec bundles record for this model: "model:<name>".
  std::string feature_spec() const { return kModelSpecPrefix + name; }
};

// Parses and validates a card. Throws Error(InvalidArgument) naming the field
// ("model card: input.mean must be an array of 3 numbers").
ModelCard parse_model_card(const std::string& json_text);

}  // namespace lookalike
