// What `lookalike index` reads: a prep manifest (a manifest.json, or a folder
// holding one), or an image folder, which is prepped in memory exactly as
// `lookalike prep` would (same scan, same checks and duplicate removal, no
// split) so that a folder and its manifest index the same images; or the
// folder of a sharded embedding job (shard/shard_merge.h), whose shards bring
// the manifest, the model's vectors and the thumbnails.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dataset/manifest.h"
#include "shard/shard_merge.h"

namespace lookalike::cli {

struct IndexInput {
  Manifest manifest;
  std::string kind;                               // "manifest", "folder" or "shards"
  std::string default_name;                       // a collection name made from the input's folder name
  std::optional<PrecomputedFeature> precomputed;  // shards: the vectors and thumbnails of manifest.images
};

// Throws Error(Io) for a missing path, Error(Corrupt) for a malformed
// manifest or a folder without usable images.
IndexInput load_index_input(const std::filesystem::path& input, unsigned threads, bool show_progress);

}  // namespace lookalike::cli
