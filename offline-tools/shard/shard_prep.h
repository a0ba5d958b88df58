// `lookalike prep SOURCES --out DIR --shard I/N`: one shard of prep's
// validation on a cluster. It checks the images of its shard (decodes them,
// sets aside what is unusable, hashes the rest) and writes
// DIR/shard-IIIII-of-NNNNN/ with items.jsonl and done.json, as an embedding
// shard does but without embeddings or thumbnails (shard/shard_folder.h).
// Duplicates are decided globally when the shards are merged:
// `lookalike prep DIR --out OUT` writes the manifest one prep run over the
// sources would (shard/shard_merge.h), and `lookalike index DIR` indexes them.
#pragma once

#include <filesystem>

#include "prep/prep_run.h"
#include "shard/shard_folder.h"

namespace lookalike::cli {

struct ShardPrepSummary {
  std::filesystem::path folder;
  bool already_done = false;  // done.json was there: nothing was run
  ShardDone done;
};

// Throws as run_prep for unreadable sources, Error(Io) when writing fails,
// and "interrupted" on Ctrl-C (nothing of the shard is written then).
ShardPrepSummary run_shard_prep(const PrepOptions& options, const std::filesystem::path& out, const ShardSpec& shard);

}  // namespace lookalike::cli
