// The model cards a collection's model features need, copied into the site
// with their ONNX files, where the page looks for them: the sidecar lists
// "models/<name>.json" (relative to the site) and the page resolves the
// card's model.file relative to the card, so the file goes to
// site/models/<model.file>.
#pragma once

#include <filesystem>
#include <vector>

#include "common/staged_files.h"
#include "lookalike/index/collection.h"
#include "vectors/feature_set.h"

namespace lookalike::cli {

// Stages the card and model file of every model feature (a file already in
// the site with the same size and sha256 is not copied again). Throws
// Error(Io) when the model file is missing, Error(Corrupt) when its sha256
// is not the card's (the page would refuse it) or its model.file would
// leave the card's folder.
std::vector<CollectionModel> stage_site_models(const std::vector<FeatureChoice>& features,
                                               const ModelRunOptions& options, const std::filesystem::path& site,
                                               StagedFiles& staged);

}  // namespace lookalike::cli
