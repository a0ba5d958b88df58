// `lookalike embed SOURCES --card C -o DIR --shard I/N`: one shard of a
// sharded embedding job (shard/shard_folder.h says what it writes).
//
// The shard scans the same source folders as `prep` and `index` do, keeps
// the images whose source key hashes to it (shard/shard_spec.h), and reads
// each image once for everything `index` would do with it: prep's checks and
// hashes (on the full image), the site's thumbnail and the model's tensor,
// each from the decode `index` makes for it (decode_need.h: a small photo is
// decoded once, a large one also at the reductions the model and the
// thumbnail allow). Work is saved in checkpoints of --checkpoint images
// (parts/), so a shard killed part-way resumes from its last checkpoint;
// embeddings do not depend on which images share a batch, so a resumed shard
// writes the same bytes as an uninterrupted one.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "embed/model_embedder.h"
#include "prep/prep_run.h"
#include "shard/shard_folder.h"
#include "shard/shard_spec.h"
#include "site/thumbnail.h"

namespace lookalike::cli {

struct ShardEmbedOptions {
  std::vector<std::filesystem::path> sources;  // source folders, as `prep` and `index` take them
  std::filesystem::path out;                   // DIR: the shard writes DIR/shard-IIIII-of-NNNNN/
  ShardSpec shard;
  std::string card;
  ModelEmbedderOptions model;
  PrepOptions prep;                     // the checks (min size, pixel limit) and, for the merge, the duplicate rules
  int thumbnail_side = kThumbnailSide;  // as `index` makes them
  std::size_t checkpoint = 1000;        // images per saved part
  unsigned threads = 0;                 // decoding; 0 = all cores
  bool show_progress = true;
};

struct ShardEmbedSummary {
  std::filesystem::path folder;
  bool already_done = false;  // done.json was there: nothing was run
  std::size_t resumed = 0;    // images of checkpoints an earlier run finished
  ShardDone done;
};

// Throws lookalike::Error: unknown card or model, unreadable sources, a
// finished shard made with another model, a write failure, or "interrupted"
// (finished checkpoints are kept for the next run).
ShardEmbedSummary run_shard_embed(const ShardEmbedOptions& options);

}  // namespace lookalike::cli
