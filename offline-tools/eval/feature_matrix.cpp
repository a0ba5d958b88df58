#include "eval/feature_matrix.h"

#include <algorithm>
#include <optional>

#include "common/cli_context.h"
#include "common/error.h"
#include "common/files.h"
#include "common/parallel.h"
#include "common/progress.h"
#include "image/decode.h"

namespace lookalike::cli {

FeatureExtraction extract_features(const std::vector<std::filesystem::path>& files,
                                   const std::vector<std::unique_ptr<Feature>>& features, unsigned threads,
                                   bool show_progress) {
  FeatureExtraction out;
  for (const auto& f : features) {
    FeatureMatrix m;
    m.spec = f->spec();
    m.version = f->version();
    m.dim = f->dim();
    m.values.assign(files.size() * m.dim, 0.0f);
    out.matrices.push_back(std::move(m));
  }
  out.ok.assign(files.size(), false);
  out.errors.assign(files.size(), std::string());
  out.error_kinds.assign(files.size(), ErrorKind::Corrupt);
  std::optional<Progress> progress;
  if (show_progress) progress.emplace("features", files.size());
  parallel_for(files.size(), thread_count(threads), [&](std::size_t i) {
    if (interrupted()) return;
    try {
      const auto bytes = read_file(files[i]);
      const DecodedImage decoded = decode_image(bytes.data(), bytes.size());
      for (std::size_t f = 0; f < features.size(); ++f) {
        const std::vector<float> v = features[f]->compute(decoded.image);
        if (v.size() != out.matrices[f].dim)
          fail(ErrorKind::InvalidArgument, "feature " + out.matrices[f].spec + " returned " + std::to_string(v.size()) +
                                               " values instead of " + std::to_string(out.matrices[f].dim));
        std::copy(v.begin(), v.end(), out.matrices[f].values.begin() + std::ptrdiff_t(i * out.matrices[f].dim));
      }
      out.ok[i] = true;
    } catch (const Error& e) {
      out.errors[i] = e.what();
      out.error_kinds[i] = e.kind();
    }
    if (progress) progress->advance();
  });
  out.interrupted = interrupted();
  return out;
}

FeatureMatrix keep_rows(const FeatureMatrix& matrix, const std::vector<bool>& keep) {
  FeatureMatrix out = matrix;
  out.values.clear();
  for (std::size_t i = 0; i < keep.size(); ++i)
    if (keep[i]) out.values.insert(out.values.end(), matrix.row(i), matrix.row(i) + matrix.dim);
  return out;
}

}  // namespace lookalike::cli
