// Texts in, embeddings out: a text model card, its tokenizer and ONNX file,
// run by one embedding worker (onnx_worker.h, RUN_IDS frames). `lookalike
// query --text`, `embed --text` and `eval --protocol zero-shot` go through
// this class.
//
//   TextEmbedder embedder = TextEmbedder::open("clip-vit-b32-text", options);
//   std::vector<float> v = embedder.embed("a red car at night");   // dim() floats
//   std::vector<float> m = embedder.embed(texts);                   // texts.size() × dim(), batched
//
// Tokenizing and padding are the core's (ClipTokenizer, text_model_input:
// the same code the page runs); vectors are L2-normalised by the core's
// l2_normalize when the card says so, as the page does. Opening checks the
// model's inputs and output against the card.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "embed/embedder_setup.h"
#include "embed/onnx_worker.h"
#include "embed/text_model_files.h"

namespace lookalike::cli {

using TextEmbedderOptions = EmbedderOptions;

class TextEmbedder {
 public:
  // `card`: a text card's name or file. Throws lookalike::Error: unknown
  // card, missing model or tokenizer file, Node or onnxruntime-node missing,
  // a model that does not match the card.
  static TextEmbedder open(const std::string& card, const TextEmbedderOptions& options = {});
  TextEmbedder(LoadedTextCard card, const TextEmbedderOptions& options);
  TextEmbedder(TextEmbedder&&) noexcept;
  TextEmbedder& operator=(TextEmbedder&&) noexcept;
  ~TextEmbedder();

  const TextModelCard& card() const { return card_.card; }
  const std::string& card_path() const { return card_.path; }
  const std::string& model_path() const { return model_path_; }
  const std::string& tokenizer_path() const { return tokenizer_path_; }
  std::size_t dim() const { return std::size_t(card_.card.output_dim); }
  std::size_t batch_size() const { return batch_size_; }
  bool normalizes() const { return normalize_; }
  const WorkerMetadata& runtime_info() const;
  const ClipTokenizer& tokenizer() const { return tokenizer_; }

  // The ids the model reads for a text (framed, cut to the context length).
  TokenizedText tokenize(const std::string& text) const;
  std::vector<float> embed(const std::string& text);
  // texts.size() × dim() floats, in batches of batch_size().
  std::vector<float> embed(const std::vector<std::string>& texts);

  double inference_seconds() const { return inference_seconds_; }

 private:
  LoadedTextCard card_;
  ClipTokenizer tokenizer_;
  std::string model_path_, tokenizer_path_;
  std::size_t batch_size_ = 1;
  bool normalize_ = true;
  std::unique_ptr<OnnxWorker> worker_;
  double inference_seconds_ = 0;
};

// Checks the worker's view of a text model against its card; throws
// Error(Corrupt) naming the card, the model and the mismatch. Returns the
// batch size the model accepts (0 = any, else its fixed batch dimension).
std::size_t check_text_model_against_card(const WorkerMetadata& model, const LoadedTextCard& card,
                                          const std::string& model_path);

}  // namespace lookalike::cli
