// The text tower that goes with each model feature: the text card (its
// embeddings share the image card's space) that `index` publishes with the
// site and `eval --protocol zero-shot` embeds class prompts with.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "embed/text_model_files.h"
#include "vectors/feature_set.h"

namespace lookalike::cli {

// Which text towers to use (the commands' --text-card and --no-text).
struct TextTowerRequest {
  std::vector<std::string> cards;  // text cards; each must pair with a model feature's card
  bool none = false;               // none at all
};

// For each feature (by position; traditional ones get none), the text card
// to use: the one requested, else the first text card in the models folders
// (then in `more_folder`, e.g. a site's own copies, which an update keeps)
// that pairs with the feature's card and whose model file is installed (a
// pairing card without its file is reported, not used). Throws
// Error(InvalidArgument) for a requested card that pairs with none of the
// features, Error(Io) when its files are missing.
std::vector<std::optional<LoadedTextCard>> choose_text_towers(const std::vector<FeatureChoice>& features,
                                                              const TextTowerRequest& request,
                                                              const std::filesystem::path& more_folder = {});

}  // namespace lookalike::cli
