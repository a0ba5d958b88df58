// The model cards a collection's model features need, copied into the site
// with their ONNX files, where the page looks for them: the sidecar lists
// "models/<name>.json" (relative to the site) and the page resolves the
// card's model.file relative to the card, so the file goes to
// site/models/<model.file>. A model feature whose image card has a text
// tower (a text card pairing with it) also gets that card, its ONNX file and
// its vocabulary, listed as the model's "text_card": the page then answers
// text queries with it.
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "common/staged_files.h"
#include "lookalike/index/collection.h"
#include "vectors/feature_set.h"
#include "vectors/text_towers.h"

namespace lookalike::cli {

// Stages the card and model file of every model feature and of its text
// tower (`text_towers`, as choose_text_towers gives them; a file already in
// the site with the same size and sha256 is not copied again). Throws
// Error(Io) when a file is missing, Error(Corrupt) when its sha256 is not
// the card's (the page would refuse it) or a file would leave the card's folder.
std::vector<CollectionModel> stage_site_models(const std::vector<FeatureChoice>& features,
                                               const std::vector<std::optional<LoadedTextCard>>& text_towers,
                                               const ModelRunOptions& options, const std::filesystem::path& site,
                                               StagedFiles& staged);

}  // namespace lookalike::cli
