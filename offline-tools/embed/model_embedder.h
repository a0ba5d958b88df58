// Images in, embeddings out: a model card plus its ONNX file, run by one
// embedding worker (onnx_worker.h). The CLI's model features go through
// this class: `lookalike embed`, and `index`/`eval` with --feature
// model:<card>.
//
//   ModelEmbedder embedder = ModelEmbedder::open("model:clip-vit-b32", options);
//   std::vector<float> v = embedder.embed(image);                 // one upright RGB image
//   auto vs = embedder.embed(images);                            // batched internally
//   EmbedFilesResult r = embed_image_files(embedder, paths, {});  // decode + preprocess in parallel
//
// Preprocessing is the core's preprocess_for_model (the same code the
// browser runs); vectors are L2-normalised when the card says so. Opening
// checks the model's input and output names and shapes against the card.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "embed/embedder_setup.h"
#include "embed/model_files.h"
#include "embed/onnx_worker.h"
#include "lookalike/common/error.h"
#include "lookalike/image/decode.h"
#include "lookalike/image/image.h"
#include "lookalike/model/model_card.h"

namespace lookalike::cli {

using ModelEmbedderOptions = EmbedderOptions;

class ModelEmbedder {
 public:
  // `card` is a name ("clip-vit-b32", "model:clip-vit-b32") or a card file.
  // Throws lookalike::Error: unknown card, missing model file, missing Node
  // or onnxruntime-node, a model the runtime cannot load, or a card that
  // does not match the model (names, input size, output dimension).
  static ModelEmbedder open(const std::string& card, const ModelEmbedderOptions& options = {});
  ModelEmbedder(LoadedCard card, const ModelEmbedderOptions& options);
  ModelEmbedder(ModelEmbedder&&) noexcept;
  ModelEmbedder& operator=(ModelEmbedder&&) noexcept;
  ~ModelEmbedder();

  const ModelCard& card() const { return card_.card; }
  const std::string& card_path() const { return card_.path; }
  const std::string& model_path() const { return model_path_; }
  std::string feature_spec() const { return card_.card.feature_spec(); }  // "model:<name>"
  std::size_t dim() const { return std::size_t(card_.card.output_dim); }
  std::size_t batch_size() const { return batch_size_; }  // effective, after the card's cap
  bool normalizes() const { return normalize_; }
  const WorkerMetadata& runtime_info() const;
  std::size_t tensor_floats() const;  // 3 · height · width: one preprocessed image

  // Embeds upright RGB images (decode_image output). Returns dim() floats per image.
  std::vector<float> embed(const Image& image);
  std::vector<std::vector<float>> embed(const std::vector<Image>& images);

  // Embeds already preprocessed tensors (count × tensor_floats(), NCHW per
  // image) in batches of batch_size(), the next batch sent while the worker
  // computes the current one; returns count × dim() floats.
  std::vector<float> embed_tensors(const float* tensors, std::size_t count);

  // Batches one at a time, pipelined (embed_image_files): send_batch hands
  // `count` ≤ batch_size() tensors to the worker (they are read before it
  // returns, so their buffer can be refilled at once); take_batch returns the
  // oldest sent batch's count × dim() floats. Up to max_batches_in_flight()
  // may be sent before their results are taken. On an error of its own, a
  // caller calls discard_batches() so the embedder is idle again.
  void send_batch(const float* tensors, std::size_t count);
  std::vector<float> take_batch();
  std::size_t batches_in_flight() const;
  static std::size_t max_batches_in_flight();
  void discard_batches() noexcept;

  // Seconds of inference reported by the worker so far (excludes transfer).
  double inference_seconds() const { return inference_seconds_; }
  pid_t worker_pid() const;

 private:
  LoadedCard card_;
  std::string model_path_;
  std::size_t batch_size_ = 1;
  bool normalize_ = true;
  std::unique_ptr<OnnxWorker> worker_;
  double inference_seconds_ = 0;
};

// Checks the worker's view of the model against the card; throws
// Error(Corrupt) naming the card, the model and the mismatch. Returns the
// batch size the model accepts (0 = any, else its fixed batch dimension).
std::size_t check_model_against_card(const WorkerMetadata& model, const LoadedCard& card,
                                     const std::string& model_path);

struct EmbedFilesOptions {
  unsigned decode_threads = 0;  // 0 = all hardware threads
  DecodeOptions decode;         // e.g. prep's pixel limit (the need is always the card's)
  // Called on a decode thread with each file's bytes and its decode for the
  // model (reduced to the card's need) before it is preprocessed: a sharded
  // job checks, hashes and thumbnails the image there, from this decode when
  // it is full size. An Error it throws is that image's failure.
  std::function<void(std::size_t index, const std::vector<std::uint8_t>& bytes, const DecodedImage& decoded)>
      on_decoded;
  std::function<void(std::size_t done)> on_progress;  // called after each batch with the items finished so far
  std::function<bool()> should_stop;                  // true: send no further batch (Ctrl-C)
};

struct EmbedFilesResult {
  std::vector<float> vectors;          // paths.size() × dim; rows of failed or skipped items are zero
  std::vector<std::string> errors;     // per item: empty when embedded, else why not
  std::vector<ErrorKind> error_kinds;  // per item: the kind of that error (an I/O error: unreadable)
  std::vector<bool> done;              // per item: embedded
  std::size_t embedded = 0;
  bool stopped = false;  // should_stop said so before every item was handled
  double seconds = 0;
};

// Reads, decodes (EXIF-upright), preprocesses on `decode_threads` threads
// while the worker embeds the previous batches, so the model is kept busy.
// A file that cannot be read or decoded is recorded in `errors` and the rest
// go on; a worker or model failure throws. When should_stop says so, no
// further batch is sent; those already sent (at most
// ModelEmbedder::max_batches_in_flight()) are finished and kept.
EmbedFilesResult embed_image_files(ModelEmbedder& embedder, const std::vector<std::string>& paths,
                                   const EmbedFilesOptions& options = {});

}  // namespace lookalike::cli
