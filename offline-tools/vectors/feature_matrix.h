// Feature vectors of many images, computed once and reused by every metric,
// search and bundle. Each image is read once and decoded at each size its
// traditional features need (lookalike/image/decode_need.h: once for a
// small photo, a reduced decode per feature for a large one, exactly as the
// page decodes a query for that feature), in parallel over images; each learned feature (model:<card>) embeds every image once
// through one model worker (embed/model_embedder.h), decoding on the same
// threads while the model runs.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "lookalike/common/error.h"
#include "lookalike/image/decode_need.h"
#include "lookalike/image/image.h"
#include "vectors/feature_set.h"

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
  std::vector<bool> ok;                 // per image: decoded and every feature computed
  std::vector<std::string> errors;      // per image: why not (empty when ok)
  std::vector<ErrorKind> error_kinds;   // per image: the kind of that error
  bool interrupted = false;
};

struct ExtractionOptions {
  unsigned threads = 0;  // decoding and traditional features; 0 = all cores
  bool show_progress = true;
  ModelRunOptions model;
  // Called on a worker thread with each decoded, upright image after its
  // traditional features (e.g. to write a thumbnail). An Error it throws is
  // that image's failure. With a hook, images are decoded even when no
  // traditional feature is asked for.
  std::function<void(std::size_t index, const Image& image)> on_decoded;
  DecodeNeed on_decoded_need;  // what the hook needs of the image (default: full size)
};

// Rows of images that fail (unreadable, corrupt, unsupported) are left zero
// and flagged in `ok`; the caller decides what to do with them. A model that
// cannot be started or fails while running throws (a lookalike::Error saying
// why); so does a hook's non-Error exception.
FeatureExtraction extract_features(const std::vector<std::filesystem::path>& files,
                                   const std::vector<FeatureChoice>& features, const ExtractionOptions& options);

// Keeps only the rows whose flag is set, in order.
FeatureMatrix keep_rows(const FeatureMatrix& matrix, const std::vector<bool>& keep);

}  // namespace lookalike::cli
