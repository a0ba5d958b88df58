// The vector of a query image, computed as the page computes it: the core's
// decoder with EXIF orientation (decode_image), then the bundle's
// traditional feature, or the model card's preprocessing and the model (the
// embedding L2-normalised when the card says so).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "lookalike/index/index_config.h"
#include "vectors/feature_set.h"

namespace lookalike::cli {

// `model_card`: the card file for a model feature (the site's copy), or ""
// to look the card up by the name in the bundle's spec. Throws
// Error(Io/Corrupt/Unsupported) for an image that cannot be read or decoded,
// Error(InvalidArgument) when this build computes another version of the
// feature than the bundle holds.
std::vector<float> query_vector(const std::filesystem::path& image, const IndexConfig& bundle,
                                const std::string& model_card, const ModelRunOptions& model);

// The vector of a text query, as the page's text box computes it: the text
// tower's card (`text_card`, the site's copy) tokenizes, the model embeds,
// the core normalises. `ids`, when given, receives the token ids. Throws
// Error(InvalidArgument) when the card's feature or dimension is not the
// bundle's.
std::vector<float> text_query_vector(const std::string& text, const IndexConfig& bundle, const std::string& text_card,
                                     const ModelRunOptions& model, std::vector<std::int32_t>* ids = nullptr);

}  // namespace lookalike::cli
