#include "embed/text_embedder.h"

#include <algorithm>

#include "embed/node_runtime.h"
#include "lookalike/common/error.h"
#include "lookalike/common/parallel.h"
#include "lookalike/model/preprocess.h"

namespace lookalike::cli {
namespace {

const char* type_name(TokenIdType type) { return type == TokenIdType::Int32 ? "int32" : "int64"; }

// An ids or mask input: [batch, sequence], of the card's element type.
std::size_t check_token_input(const WorkerTensorInfo& input, const TextModelCard& card, const std::string& who) {
  const std::string expected = type_name(card.ids_type);
  if (!input.type.empty() && input.type != expected)
    fail(ErrorKind::Corrupt,
         who + "input " + input.name + " takes " + input.type + " tensors, the card says input.type " + expected);
  if (!input.has_shape) return 0;
  if (input.shape.size() != 2)
    fail(ErrorKind::Corrupt,
         who + "input " + input.name + " has shape " + input.shape_text() + ", not [batch, sequence]");
  if (input.shape[1] >= 0 && card.padding == TextPadding::None)
    fail(ErrorKind::Corrupt, who + "input " + input.name + " has a fixed length (" + input.shape_text() +
                                 "): the card must say input.padding \"context\"");
  if (input.shape[1] >= 0 && std::size_t(input.shape[1]) != card.context_length)
    fail(ErrorKind::Corrupt, who + "input " + input.name + " has shape " + input.shape_text() +
                                 ", the card's context length is " + std::to_string(card.context_length));
  if (input.shape[0] > 1)
    fail(ErrorKind::Unsupported, who + "input " + input.name + " has a fixed batch of " +
                                     std::to_string(input.shape[0]) +
                                     "; lookalike needs a batch of 1 or a dynamic batch");
  return input.shape[0] == 1 ? 1 : 0;
}

}  // namespace

std::size_t check_text_model_against_card(const WorkerMetadata& model, const LoadedTextCard& loaded,
                                          const std::string& model_path) {
  const TextModelCard& card = loaded.card;
  const std::string who = "text model card " + loaded.path + " does not match " + model_path + ": ";
  const WorkerTensorInfo* ids = model.input(card.ids_name);
  if (!ids)
    fail(ErrorKind::Corrupt,
         who + "input.ids is \"" + card.ids_name + "\", the model's inputs are " + describe_tensors(model.inputs));
  std::size_t fixed_batch = check_token_input(*ids, card, who);
  if (!card.mask_name.empty()) {
    const WorkerTensorInfo* mask = model.input(card.mask_name);
    if (!mask)
      fail(ErrorKind::Corrupt, who + "input.attention_mask is \"" + card.mask_name + "\", the model's inputs are " +
                                   describe_tensors(model.inputs));
    fixed_batch = std::max(fixed_batch, check_token_input(*mask, card, who));
  }
  const std::size_t fed = card.mask_name.empty() ? 1 : 2;
  if (model.inputs.size() > fed)
    fail(ErrorKind::Corrupt, who + "the model takes " + describe_tensors(model.inputs) + "; the card feeds " +
                                 card.ids_name + (card.mask_name.empty() ? "" : " and " + card.mask_name) + " only");
  const WorkerTensorInfo* output = &float_output(model, card.output_name, who);
  if (output->has_shape && output->shape.size() == 2 && output->shape[1] >= 0 && output->shape[1] != card.output_dim)
    fail(ErrorKind::Corrupt, who + "the card says output.dim = " + std::to_string(card.output_dim) +
                                 ", the model's output " + output->name + " has shape " + output->shape_text());
  return fixed_batch;
}

TextEmbedder TextEmbedder::open(const std::string& card, const TextEmbedderOptions& options) {
  return TextEmbedder(load_text_model_card(card), options);
}

TextEmbedder::TextEmbedder(LoadedTextCard card, const TextEmbedderOptions& options)
    : card_(std::move(card)), tokenizer_(load_card_tokenizer(card_)) {
  tokenizer_path_ = locate_tokenizer_file(card_);
  model_path_ = locate_text_model_file(card_, options.model_path);
  OnnxWorkerOptions worker_options =
      worker_options_for(options, model_path_, card_.card.ids_name, card_.card.output_name);
  worker_options.ids_type = type_name(card_.card.ids_type);
  worker_options.mask_name = card_.card.mask_name;
  worker_ = std::make_unique<OnnxWorker>(find_node_runtime(), worker_options);
  const std::size_t fixed_batch = check_text_model_against_card(worker_->metadata(), card_, model_path_);
  batch_size_ = capped_batch_size(options.batch_size, card_.card.max_batch, fixed_batch);
  normalize_ = options.normalize && card_.card.l2_normalize;
}

TextEmbedder::TextEmbedder(TextEmbedder&&) noexcept = default;
TextEmbedder& TextEmbedder::operator=(TextEmbedder&&) noexcept = default;
TextEmbedder::~TextEmbedder() = default;

const WorkerMetadata& TextEmbedder::runtime_info() const { return worker_->metadata(); }

TokenizedText TextEmbedder::tokenize(const std::string& text) const {
  return tokenizer_.tokenize(text, card_.card.context_length);
}

std::vector<float> TextEmbedder::embed(const std::string& text) { return embed(std::vector<std::string>{text}); }

std::vector<float> TextEmbedder::embed(const std::vector<std::string>& texts) {
  std::vector<float> out;
  out.reserve(texts.size() * dim());
  for (std::size_t begin = 0; begin < texts.size(); begin += batch_size_) {
    std::vector<TokenizedText> batch;
    for (std::size_t i = begin; i < std::min(texts.size(), begin + batch_size_); ++i)
      batch.push_back(tokenize(texts[i]));
    const TextModelInput input = text_model_input(card_.card, batch);
    worker_->submit_ids(input.ids.data(), input.mask.data(), std::uint32_t(input.batch), std::uint32_t(input.length));
    WorkerOutput result = worker_->next_result();
    if (result.dim != dim())
      fail(ErrorKind::Corrupt, "text model card " + card_.path + " does not match " + model_path_ +
                                   ": the card says output.dim = " + std::to_string(dim()) + ", the model's output " +
                                   card_.card.output_name + " has " + std::to_string(result.dim) + " values per text");
    inference_seconds_ += result.inference_seconds;
    for (std::size_t row = 0; row < result.batch; ++row) {
      std::vector<float> vector(result.values.begin() + std::ptrdiff_t(row * dim()),
                                result.values.begin() + std::ptrdiff_t((row + 1) * dim()));
      if (normalize_) l2_normalize(vector);
      out.insert(out.end(), vector.begin(), vector.end());
    }
  }
  return out;
}

}  // namespace lookalike::cli
