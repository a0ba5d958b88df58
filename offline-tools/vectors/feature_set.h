// The features a command was asked for, checked before any image is read:
// traditional ones by their spec (core/features: "colour", "pixels:size=32")
// and learned ones as "model:<card>", where <card> is a card name
// ("model:mobilenetv2-int8") or a card file ("model:models/test/tiny-embed.json").
// `eval` and `index` take both kinds through this one description.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "embed/model_files.h"
#include "lookalike/features/feature.h"
#include "lookalike/model/model_card.h"  // is_model_spec

namespace lookalike::cli {

// A model's vectors are told apart by its card (name, file, sha256), which
// travels with the site, so the bundle's feature version stays 1.
constexpr int kModelFeatureVersion = 1;

struct FeatureChoice {
  std::string spec;  // canonical: "colour:bins=8x4x4", "model:mobilenetv2-int8"
  std::string slug;  // file-name-safe form (feature_slug): "colour", "model-mobilenetv2-int8"
  int version = 1;
  std::size_t dim = 0;
  std::shared_ptr<const Feature> traditional;  // null for a model
  std::optional<LoadedCard> card;              // set for a model

  bool is_model() const { return card.has_value(); }
};

// Throws Error(InvalidArgument) for an unknown feature, parameter or card
// (an invalid card file: the card's own error).
FeatureChoice choose_feature(const std::string& spec);
// Each spec once, in the order given (two spellings of one feature count once).
std::vector<FeatureChoice> choose_features(const std::vector<std::string>& specs);

// How model features run (embed/model_embedder.h).
struct ModelRunOptions {
  std::string model_path;       // this ONNX file instead of the card's (one model feature only)
  std::size_t batch_size = 16;  // images per inference call
  unsigned model_threads = 0;   // ONNX Runtime threads; 0 = all cores
};

}  // namespace lookalike::cli
