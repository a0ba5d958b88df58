// The images an evaluation runs over, with their labels and split: either a
// manifest written by `lookalike prep` (kept images only), or a folder tree
// read directly (dataset/dataset_scanner.h: class folders, labels.csv, crawl).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "dataset/dataset_types.h"

namespace lookalike::cli {

namespace fs = std::filesystem;

struct EvalImage {
  fs::path file;
  std::string path;  // as shown in reports: relative to its source folder
  int label = 0;     // index into EvalDataset::labels
  Split split = Split::None;
};

struct EvalDataset {
  std::string source;               // what the user named
  std::string kind;                 // "manifest" or "folder"
  std::vector<std::string> labels;  // sorted
  std::vector<EvalImage> images;    // in manifest or scan order

  bool has_split() const;  // some image is train and some is test
};

// `path` is a manifest file, a folder holding manifest.json (a prep output),
// or an image folder. Throws Error(Io) for a missing path, Error(Corrupt) for
// a malformed manifest or labels.csv.
EvalDataset load_eval_dataset(const fs::path& path);

// Keeps only the images whose `keep` flag is set (e.g. after some failed to
// decode), preserving order; labels stay as they are.
EvalDataset keep_images(const EvalDataset& dataset, const std::vector<bool>& keep);

}  // namespace lookalike::cli
