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

// The images of a dataset as they are listed, then numbered labels.
class DatasetListing {
 public:
  DatasetListing(const std::string& source, const char* kind) {
    dataset_.source = source;
    dataset_.kind = kind;
  }
  void add(fs::path file, std::string path, Split split, const std::string& label) {
    dataset_.images.push_back({std::move(file), std::move(path), 0, split});
    labels_.push_back(label);
  }
  // Labels become indices into the sorted list of distinct labels.
  EvalDataset finish() {
    const std::set<std::string> unique(labels_.begin(), labels_.end());
    dataset_.labels.assign(unique.begin(), unique.end());
    std::map<std::string, int> index;
    for (std::size_t i = 0; i < dataset_.labels.size(); ++i) index[dataset_.labels[i]] = int(i);
    for (std::size_t i = 0; i < dataset_.images.size(); ++i) dataset_.images[i].label = index[labels_[i]];
    return std::move(dataset_);
  }

 private:
  EvalDataset dataset_;
  std::vector<std::string> labels_;
};

EvalDataset from_manifest(const fs::path& file, const std::string& source) {
  const Manifest m = read_manifest(file);
  DatasetListing listing(source, "manifest");
  for (const auto& image : m.images)
    listing.add(m.file(image), m.roots.size() > 1 ? std::to_string(image.root) + ":" + image.path : image.path,
                image.split, image.label);
  return listing.finish();
}

EvalDataset from_folder(const fs::path& folder, const std::string& source) {
  const DatasetScan scan = scan_dataset({folder});
  DatasetListing listing(source, "folder");
  for (const auto& image : scan.images) listing.add(scan.file(image), image.path, image.given_split, image.label);
  return listing.finish();
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
