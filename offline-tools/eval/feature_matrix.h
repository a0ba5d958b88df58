// Feature vectors of many images, computed once and reused by every metric
// and search: each image is read and decoded once, and every requested
// feature is computed from that one decoded picture, in parallel over images.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "features/feature.h"

namespace lookalike::cli {

struct FeatureMatrix {
  std::string spec;  // canonical
  int version = 1;
  std::size_t dim = 0;
  std::vector<float> values;  // rows × dim, row-major

  std::size_t rows() const { return dim ? values.size() / dim : 0; }
  const float* row(std::size_t i) const { return values.data() + i * dim; }
};

struct FeatureExtraction {
  std::vector<FeatureMatrix> matrices;  // one per feature, in the order given
  std::vector<bool> ok;                 // per image: decoded and computed
  std::vector<std::string> errors;      // per image: why not (empty when ok)
  std::vector<ErrorKind> error_kinds;   // per image: the kind of that error
  bool interrupted = false;
};

// Rows of images that fail (unreadable, corrupt, unsupported) are left zero
// and flagged in `ok`; the caller decides what to do with them.
FeatureExtraction extract_features(const std::vector<std::filesystem::path>& files,
                                   const std::vector<std::unique_ptr<Feature>>& features, unsigned threads,
                                   bool show_progress);

// Keeps only the rows whose flag is set, in order.
FeatureMatrix keep_rows(const FeatureMatrix& matrix, const std::vector<bool>& keep);

}  // namespace lookalike::cli
