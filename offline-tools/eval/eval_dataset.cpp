#include "eval/eval_dataset.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/files.h"
#include "dataset/dataset_scanner.h"
#include "dataset/manifest.h"
#include "lookalike/common/error.h"

namespace lookalike::cli {
namespace {

void assign_labels(EvalDataset& d, const std::vector<std::string>& image_labels) {
  const std::set<std::string> unique(image_labels.begin(), image_labels.end());
  d.labels.assign(unique.begin(), unique.end());
  std::map<std::string, int> index;
  for (std::size_t i = 0; i < d.labels.size(); ++i) index[d.labels[i]] = int(i);
  for (std::size_t i = 0; i < d.images.size(); ++i) d.images[i].label = index[image_labels[i]];
}

EvalDataset from_manifest(const fs::path& file, const std::string& source) {
  const Manifest m = read_manifest(file);
  EvalDataset d;
  d.source = source;
  d.kind = "manifest";
  std::vector<std::string> labels;
  for (const auto& image : m.images) {
    EvalImage e;
    e.file = m.file(image);
    e.path = m.roots.size() > 1 ? std::to_string(image.root) + ":" + image.path : image.path;
    e.split = image.split;
    d.images.push_back(e);
    labels.push_back(image.label);
  }
  assign_labels(d, labels);
  return d;
}

EvalDataset from_folder(const fs::path& folder, const std::string& source) {
  const DatasetScan scan = scan_dataset({folder});
  EvalDataset d;
  d.source = source;
  d.kind = "folder";
  std::vector<std::string> labels;
  for (const auto& image : scan.images) {
    EvalImage e;
    e.file = scan.file(image);
    e.path = image.path;
    e.split = image.given_split;
    d.images.push_back(e);
    labels.push_back(image.label);
  }
  assign_labels(d, labels);
  return d;
}

}  // namespace

bool EvalDataset::has_split() const {
  bool train = false, test = false;
  for (const auto& image : images) {
    train = train || image.split == Split::Train;
    test = test || image.split == Split::Test;
  }
  return train && test;
}

EvalDataset load_eval_dataset(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) fail(ErrorKind::Io, "no such file or folder: " + path.string());
  if (fs::is_directory(path, ec)) {
    if (fs::is_regular_file(path / "manifest.json", ec)) return from_manifest(path / "manifest.json", path.string());
    return from_folder(path, path.string());
  }
  return from_manifest(path, path.string());
}

EvalDataset keep_images(const EvalDataset& dataset, const std::vector<bool>& keep) {
  EvalDataset out = dataset;
  out.images.clear();
  for (std::size_t i = 0; i < dataset.images.size(); ++i)
    if (keep[i]) out.images.push_back(dataset.images[i]);
  return out;
}

}  // namespace lookalike::cli
