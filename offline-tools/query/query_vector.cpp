#include "query/query_vector.h"

#include "common/files.h"
#include "embed/model_embedder.h"
#include "embed/text_embedder.h"
#include "lookalike/common/error.h"
#include "lookalike/image/decode.h"
#include "lookalike/model/preprocess.h"

namespace lookalike::cli {

std::vector<float> query_vector(const std::filesystem::path& image, const IndexConfig& bundle,
                                const std::string& model_card, const ModelRunOptions& model) {
  const FeatureChoice feature = choose_feature(
      is_model_spec(bundle.feature_spec) && !model_card.empty() ? kModelSpecPrefix + model_card : bundle.feature_spec);
  if (feature.spec != bundle.feature_spec)
    fail(ErrorKind::InvalidArgument,
         "the card " + model_card + " is for " + feature.spec + ", the index holds " + bundle.feature_spec);
  if (std::uint32_t(feature.version) != bundle.feature_version || feature.dim != bundle.dim)
    fail(ErrorKind::InvalidArgument, "the index was built with " + bundle.feature_spec + " version " +
                                         std::to_string(bundle.feature_version) + " (" + std::to_string(bundle.dim) +
                                         "-d); this lookalike computes version " + std::to_string(feature.version) +
                                         " (" + std::to_string(feature.dim) + "-d): rebuild the index");
  const std::vector<std::uint8_t> bytes = read_file(image);
  DecodeOptions decode_options;
  decode_options.need = feature.is_model() ? decode_need(feature.card->card) : feature.traditional->decode_need();
  DecodedImage decoded;
  try {
    decoded = decode_image(bytes.data(), bytes.size(), decode_options);
  } catch (const Error& e) {
    fail(e.kind(), image.string() + ": " + e.what());
  }
  if (!feature.is_model()) return feature.traditional->compute(decoded.image);
  ModelEmbedderOptions options;
  options.batch_size = 1;
  options.model_threads = model.model_threads;
  options.model_path = model.model_path;
  ModelEmbedder embedder = ModelEmbedder::open(feature.card->path, options);
  return embedder.embed(decoded.image);
}

std::vector<float> text_query_vector(const std::string& text, const IndexConfig& bundle, const std::string& text_card,
                                     const ModelRunOptions& model, std::vector<std::int32_t>* ids) {
  TextEmbedderOptions options;
  options.batch_size = 1;
  options.model_threads = model.model_threads;
  options.model_path = model.model_path;
  TextEmbedder embedder = TextEmbedder::open(text_card, options);
  if (embedder.card().feature_spec() != bundle.feature_spec)
    fail(ErrorKind::InvalidArgument, "the text card " + text_card + " pairs with " + embedder.card().feature_spec() +
                                         ", the index holds " + bundle.feature_spec);
  if (embedder.dim() != bundle.dim)
    fail(ErrorKind::InvalidArgument, "the text card " + text_card + " gives " + std::to_string(embedder.dim()) +
                                         "-d vectors, the index holds " + std::to_string(bundle.dim) + "-d ones");
  if (ids) *ids = embedder.tokenize(text).ids;
  return embedder.embed(text);
}

}  // namespace lookalike::cli
