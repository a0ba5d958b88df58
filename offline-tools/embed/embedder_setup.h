// What the two embedders (images: model_embedder.h, texts: text_embedder.h)
// share: the options they are opened with, the worker those options start,
// and the check of the model's output against the card.
#pragma once

#include <cstddef>
#include <string>

#include "embed/onnx_worker.h"

namespace lookalike::cli {

struct EmbedderOptions {
  std::size_t batch_size = 16;           // inputs per inference call (capped by the card's model.max_batch)
  unsigned model_threads = 0;            // ONNX Runtime intra-op threads; 0 = all hardware threads
  std::string model_path;                // this ONNX file instead of the card's (e.g. ../shared/models/…)
  bool normalize = true;                 // false: the model's raw output even if the card asks for L2
  double startup_timeout_seconds = 300;  // start Node + load the model
  double batch_timeout_seconds = 600;    // one batch
};

// The worker's options for `model_path` read through `input_name` into `output_name`.
OnnxWorkerOptions worker_options_for(const EmbedderOptions& options, const std::string& model_path,
                                     const std::string& input_name, const std::string& output_name);

// The model's output the card names, which must be float32; otherwise
// Error(Corrupt), the message beginning with `who`.
const WorkerTensorInfo& float_output(const WorkerMetadata& model, const std::string& name, const std::string& who);

}  // namespace lookalike::cli
