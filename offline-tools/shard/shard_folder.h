// The folder one shard of a sharded embedding job writes, and that the merge
// (`lookalike index SHARDS_DIR`) reads: DIR/shard-IIIII-of-NNNNN/
//
//   embeddings.npy   float32 [rows, dim], row i = line i of items.jsonl
//   items.jsonl      one ItemRecord per row (lookalike/index/item_record.h):
//                    the image's absolute path, label, sha256, size,
//                    attribution, and the hashes that decide duplicates
//   thumbs/<key>.jpg the site's thumbnail of each row (key: thumbnail_key)
//   done.json        written last: the shard is complete (ShardDone below)
//   parts/           while running: finished checkpoints, removed at the end
//
// A folder with done.json is never written again; one without it is
// unfinished, and running the shard again resumes from its last checkpoint.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "dataset/dataset_scanner.h"
#include "shard/shard_spec.h"

namespace lookalike::cli {

constexpr const char* kShardEmbeddingsFile = "embeddings.npy";
constexpr const char* kShardItemsFile = "items.jsonl";
constexpr const char* kShardDoneFile = "done.json";
constexpr const char* kShardThumbsFolder = "thumbs";
constexpr const char* kShardPartsFolder = "parts";

// An image the shard set aside: why, in prep's words (manifest.json's
// "rejected": corrupt, unsupported, too-small, too-large, unreadable,
// missing, unlisted).
struct ShardRejection {
  std::size_t root = 0;
  std::string path, label, reason, message;  // path relative to its root
  std::uint64_t bytes = 0;
};

nlohmann::json rejection_to_json(const ShardRejection& rejection);
ShardRejection rejection_from_json(const nlohmann::json& json);  // throws nlohmann::json::exception

// done.json. Everything the merge checks across shards (the same model, the
// same sources and prep rules) and what people read to account for a shard.
struct ShardDone {
  static constexpr int kSchema = 1;
  ShardSpec shard;
  std::string feature;                   // "model:<card>"; empty: a prep shard (no embeddings, thumbnails, model)
  std::string card_name, card_sha256;    // sha256 of the card file's bytes
  std::string model_file, model_sha256;  // the ONNX file as this shard saw it, and its sha256
  std::size_t dim = 0;
  bool normalized = true;
  std::vector<SourceRoot> roots;                   // absolute, as the scan resolved them
  nlohmann::json prep = nlohmann::json::object();  // prep's options (manifest.json's "options")
  int thumbnail_side = 256;
  std::size_t images = 0, rows = 0;  // of this shard: images = rows (usable, in items.jsonl) + rejected
  std::vector<ShardRejection> rejected;
  nlohmann::json runtime = nlohmann::json::object();  // onnxruntime, threads, batch
  std::string started, finished, tool;
  double seconds = 0;  // of this run (a resumed shard: since it resumed)
};

nlohmann::json shard_done_to_json(const ShardDone& done);
// Throws Error(Corrupt) "<where>: …" for a malformed file.
ShardDone shard_done_from_json(const nlohmann::json& json, const std::string& where);
ShardDone read_shard_done(const std::filesystem::path& shard_folder);  // Error(Io) / Error(Corrupt)

// The file name of a row's thumbnail inside thumbs/: XXH3-64 of the image's
// source key (site/collection_items.h) in hex, so that it does not depend on
// the row, the checkpoint or the mount point.
std::string thumbnail_key(const std::string& source_key);

// The shard folders directly inside `dir`, by index; all must be of one
// shard count. Empty when `dir` holds none. Throws Error(Corrupt) when two
// counts are mixed (a rerun with another N left old folders behind).
std::vector<std::pair<ShardSpec, std::filesystem::path>> list_shard_folders(const std::filesystem::path& dir);

}  // namespace lookalike::cli
