// A stratified, deterministic train/test split.
//
// Within each label, images are ordered by a keyed hash of (seed, label,
// key) — the key is the image's path relative to its source folder — and
// the first round(n · test_fraction) go to test. So the split depends only on
// the set of paths, the labels, the fraction and the seed: not on thread
// count, file-system order or where the dataset lives; adding an image moves
// at most a few others. For a label with at least 2 images and a fraction in
// (0, 1), both sides get at least one image; a label with one image is train.
// Images with a given split (labels.csv) keep it and are not counted.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dataset/dataset_types.h"

namespace lookalike::cli {

struct SplitItem {
  std::string label;
  std::string key;
  Split given = Split::None;
};

// Throws Error(InvalidArgument) unless 0 ≤ test_fraction ≤ 1.
std::vector<Split> stratified_split(const std::vector<SplitItem>& items, double test_fraction, std::uint64_t seed);

}  // namespace lookalike::cli
