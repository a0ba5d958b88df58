// `lookalike index SHARDS_DIR`: the folders of a sharded embedding job
// (shard/shard_folder.h), or of prep (shard/shard_prep.h), as the input of
// `index` (and of `prep`, which writes the manifest), merged by a pure function of
// their contents:
//
//   every shard of the count must be there and done (done.json), and all of
//   them made by the same card, the same model file (sha256), the same
//   sources and the same prep rules; each shard that differs is named;
//   their images are put back in the scan's canonical order and prep's own
//   decisions (prep/prep_run.h: decide_prep) set aside duplicates across
//   shards, so the manifest is the one a single run over the sources makes;
//   each kept image brings its embedding row and its thumbnail.
//
// The index then builds the collection from these as from images (the same
// ids, bundles and sidecar), so with --reproducible the site's index/ is byte
// for byte that of `lookalike index SOURCES` on one machine.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <optional>

#include "dataset/manifest.h"
#include "prep/prep_run.h"

namespace lookalike::cli {

// A feature's vectors computed elsewhere, one row per manifest image.
struct PrecomputedFeature {
  std::string feature;  // "model:<card>"
  std::size_t dim = 0;
  std::vector<float> rows;                        // manifest.images.size() × dim, in manifest order
  std::vector<std::filesystem::path> thumbnails;  // per manifest image: the shard's thumbnail file
  int thumbnail_side = 0;
  std::string model_sha256;  // of the file that made them
  std::string made_by;       // a shard folder, for messages
};

struct MergedShards {
  PrepResult prep;                                // the manifest one prep run over the sources gives
  std::optional<PrecomputedFeature> precomputed;  // embedding shards: their vectors and thumbnails
  std::size_t shards = 0;
};

// True when `dir` directly holds shard-IIIII-of-NNNNN folders.
bool holds_shards(const std::filesystem::path& dir);

// Throws Error(Corrupt) naming the shard: missing or unfinished shards,
// shards made with another card, model file, sources or prep rules, a
// damaged items.jsonl or embeddings.npy, an image found in two shards.
MergedShards merge_shards(const std::filesystem::path& dir);

}  // namespace lookalike::cli
