#include "vectors/feature_matrix.h"

#include <algorithm>
#include <map>
#include <optional>

#include "common/cli_context.h"
#include "common/files.h"
#include "common/log.h"
#include "common/progress.h"
#include "embed/model_embedder.h"
#include "lookalike/common/error.h"
#include "lookalike/common/parallel.h"
#include "lookalike/image/decode.h"

namespace lookalike::cli {
namespace {

void record_failure(FeatureExtraction& out, std::size_t i, const std::string& error, ErrorKind kind) {
  if (!out.ok[i]) return;  // keep the first reason
  out.ok[i] = false;
  out.errors[i] = error;
  out.error_kinds[i] = kind;
}

// The decodes of one image that its consumers need: one per distinct
// reduction (decode_need.h), so a small photo is decoded once for every
// feature, and a large one at each size a feature may have it reduced to.
class DecodesOfOneImage {
 public:
  explicit DecodesOfOneImage(const std::vector<std::uint8_t>& bytes)
      : bytes_(bytes), info_(read_image_info(bytes.data(), bytes.size())) {}

  const Image& for_need(const DecodeNeed& need) {
    const int reduction = reduction_factor(info_.width, info_.height, need);
    auto it = by_reduction_.find(reduction);
    if (it == by_reduction_.end()) {
      DecodeOptions options;
      options.need = need;
      it = by_reduction_.emplace(reduction, decode_image(bytes_.data(), bytes_.size(), options).image).first;
    }
    return it->second;
  }

 private:
  const std::vector<std::uint8_t>& bytes_;
  ImageInfo info_;
  std::map<int, Image> by_reduction_;
};

// Decodes every image (once per reduction its consumers need); computes the
// traditional features among `features` into their matrices and calls the hook.
void decode_pass(const std::vector<std::filesystem::path>& files, const std::vector<FeatureChoice>& features,
                 const ExtractionOptions& options, FeatureExtraction& out) {
  std::vector<std::size_t> traditional;
  for (std::size_t f = 0; f < features.size(); ++f)
    if (!features[f].is_model()) traditional.push_back(f);
  if (traditional.empty() && !options.on_decoded) return;

  std::optional<Progress> progress;
  if (options.show_progress) progress.emplace(traditional.empty() ? "decoding" : "decoding + features", files.size());
  std::vector<char> failed(files.size(), 0);
  std::vector<std::string> errors(files.size());
  std::vector<ErrorKind> kinds(files.size(), ErrorKind::Corrupt);
  parallel_for(files.size(), thread_count(options.threads), [&](std::size_t i) {
    if (interrupted()) return;
    try {
      const auto bytes = read_file(files[i]);
      DecodesOfOneImage decodes(bytes);
      for (const std::size_t f : traditional) {
        FeatureMatrix& m = out.matrices[f];
        const Feature& feature = *features[f].traditional;
        const std::vector<float> v = feature.compute(decodes.for_need(feature.decode_need()));
        if (v.size() != m.dim)
          fail(ErrorKind::InvalidArgument, "feature " + m.spec + " returned " + std::to_string(v.size()) +
                                               " values instead of " + std::to_string(m.dim));
        std::copy(v.begin(), v.end(), m.values.begin() + std::ptrdiff_t(i * m.dim));
      }
      if (options.on_decoded) options.on_decoded(i, decodes.for_need(options.on_decoded_need));
    } catch (const Error& e) {
      failed[i] = 1;
      errors[i] = e.what();
      kinds[i] = e.kind();
    }
    if (progress) progress->advance();
  });
  if (progress) progress->finish();
  for (std::size_t i = 0; i < files.size(); ++i)
    if (failed[i]) record_failure(out, i, errors[i], kinds[i]);
}

void embed_pass(const std::vector<std::filesystem::path>& files, const FeatureChoice& feature,
                const ExtractionOptions& options, FeatureMatrix& matrix, FeatureExtraction& out) {
  // Images that already failed (e.g. in the decode pass) are not embedded.
  std::vector<std::string> paths;
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (!out.ok[i]) continue;
    paths.push_back(files[i].string());
    rows.push_back(i);
  }
  if (paths.empty()) return;
  ModelEmbedderOptions embedder_options;
  embedder_options.batch_size = options.model.batch_size;
  embedder_options.model_threads = options.model.model_threads;
  embedder_options.model_path = options.model.model_path;
  ModelEmbedder embedder = ModelEmbedder::open(feature.card->path, embedder_options);
  log_info("model " + embedder.card().name + " (" + std::to_string(embedder.dim()) + "-d) from " +
           embedder.model_path() + ", " + std::to_string(embedder.runtime_info().threads) + " thread(s), batch " +
           std::to_string(embedder.batch_size()));

  std::optional<Progress> progress;
  if (options.show_progress) progress.emplace("embedding " + embedder.card().name, paths.size());
  std::size_t reported = 0;
  EmbedFilesOptions file_options;
  file_options.decode_threads = options.threads;
  file_options.on_progress = [&](std::size_t done) {
    if (progress) progress->advance(done - reported);
    reported = done;
  };
  file_options.should_stop = [] { return interrupted(); };
  const EmbedFilesResult result = embed_image_files(embedder, paths, file_options);
  if (progress) progress->finish();
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (result.done[r]) {
      std::copy(result.vectors.begin() + std::ptrdiff_t(r * matrix.dim),
                result.vectors.begin() + std::ptrdiff_t((r + 1) * matrix.dim),
                matrix.values.begin() + std::ptrdiff_t(rows[r] * matrix.dim));
    } else if (!result.stopped) {
      // embed_image_files records read and decode failures; its messages carry no kind.
      record_failure(out, rows[r], result.errors[r], ErrorKind::Corrupt);
    }
  }
}

}  // namespace

FeatureExtraction extract_features(const std::vector<std::filesystem::path>& files,
                                   const std::vector<FeatureChoice>& features, const ExtractionOptions& options) {
  std::size_t models = 0;
  for (const auto& f : features) models += f.is_model() ? 1 : 0;
  if (models > 1 && !options.model.model_path.empty())
    fail(ErrorKind::InvalidArgument,
         "--model names one ONNX file, but " + std::to_string(models) + " model features were asked for");

  FeatureExtraction out;
  for (const auto& f : features) {
    FeatureMatrix m;
    m.spec = f.spec;
    m.version = f.version;
    m.dim = f.dim;
    m.values.assign(files.size() * m.dim, 0.0f);
    out.matrices.push_back(std::move(m));
  }
  // ok starts true and failures clear it; an image is ok only if every pass succeeded.
  out.ok.assign(files.size(), true);
  out.errors.assign(files.size(), std::string());
  out.error_kinds.assign(files.size(), ErrorKind::Corrupt);
  decode_pass(files, features, options, out);
  for (std::size_t f = 0; f < features.size() && !interrupted(); ++f)
    if (features[f].is_model()) embed_pass(files, features[f], options, out.matrices[f], out);
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
