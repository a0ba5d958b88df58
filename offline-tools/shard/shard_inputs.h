// What a shard of `prep` or `embed` works on: the images of the sources whose
// source key (site/collection_items.h) hashes to it, and the item record it
// writes for each usable one (items.jsonl).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "dataset/dataset_scanner.h"
#include "lookalike/index/item_record.h"
#include "prep/image_check.h"
#include "shard/shard_folder.h"
#include "shard/shard_spec.h"

namespace lookalike::cli {

// The images (and labels.csv problems) of the sources that fall in this
// shard, in the scan's canonical order.
struct ShardInputs {
  DatasetScan scan;
  std::vector<std::size_t> images;  // indexes into scan.images
  std::vector<ShardRejection> problems;
};

// Scans the sources as prep does (warnings logged); throws as scan_dataset.
ShardInputs select_inputs(const std::vector<std::filesystem::path>& sources, const ShardSpec& shard);

// items.jsonl's record of a usable image: its absolute path, label,
// attribution, the sha256 of its bytes and what its check learned.
ItemRecord item_record(const SourceImage& image, const std::filesystem::path& file, const ImageCheck& check,
                       const std::string& sha256);

// A folder a killed run left: "<file>.tmp-<pid>" of write_file_atomic and
// ".partial" files are removed before a shard runs again.
void remove_partial_files(const std::filesystem::path& folder);

}  // namespace lookalike::cli
