// Finding the images of one or more source folders and their labels.
//
// Three layouts are recognised, per source folder:
//   crawl       DIR/crawl.jsonl exists: a `lookalike crawl` output,
//               DIR/<term>/<photo-id>.<ext>; label = term folder; attribution
//               from the crawl records.
//   labels-csv  DIR/labels.csv exists (header with `path` and `label`, optional
//               `split`): it is authoritative. Listed files missing on disk and
//               image files it does not list are reported as problems.
//   folders     otherwise: DIR/<class>/…/<file>; label = the first folder
//               under DIR. Images directly in DIR take DIR's own name.
// Only files with an image extension are considered (files.h); hidden files
// and folders are skipped. Nothing is opened but labels.csv and crawl.jsonl.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dataset/dataset_types.h"

namespace lookalike::cli {

namespace fs = std::filesystem;

enum class SourceLayout { Folders, LabelsCsv, Crawl };
const char* layout_name(SourceLayout layout);  // "folders", "labels-csv", "crawl"
SourceLayout parse_layout(const std::string& name);

struct SourceRoot {
  fs::path path;  // absolute, symlinks resolved
  SourceLayout layout = SourceLayout::Folders;
};

struct SourceImage {
  std::size_t root = 0;
  std::string path;  // relative to its root, '/' separators
  std::string label;
  Split given_split = Split::None;  // from labels.csv's split column
  std::optional<Attribution> attribution;
};

// A file a labels.csv lists but that is absent ("missing"), or an image file
// it does not list ("unlisted").
struct SourceProblem {
  std::size_t root = 0;
  std::string path, label, reason, message;
};

struct DatasetScan {
  std::vector<SourceRoot> roots;
  std::vector<SourceImage> images;  // canonical order: by root, then path
  std::vector<SourceProblem> problems;
  std::vector<std::string> warnings;  // e.g. skipped crawl.jsonl lines, photos without a record

  fs::path file(const SourceImage& image) const { return roots[image.root].path / image.path; }
};

// Throws Error(Io) for a missing or unreadable folder, Error(InvalidArgument)
// for a folder given twice, Error(Corrupt) for a malformed labels.csv (naming
// the line).
DatasetScan scan_dataset(const std::vector<fs::path>& roots);

}  // namespace lookalike::cli
