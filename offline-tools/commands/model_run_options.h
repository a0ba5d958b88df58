// The options every command with model:<card> features shares (eval, index,
// query): which ONNX file, how many images per call, how many threads.
#pragma once

#include "vectors/feature_set.h"

namespace CLI {
class App;
}

namespace lookalike::cli {

// --model, --model-threads and, when `batch`, -b/--batch.
void add_model_run_options(CLI::App& command, ModelRunOptions& options, bool batch = true);

}  // namespace lookalike::cli
