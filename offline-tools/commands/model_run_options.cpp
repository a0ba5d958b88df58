#include "commands/model_run_options.h"

#include <CLI/CLI.hpp>

namespace lookalike::cli {

void add_model_run_options(CLI::App& command, ModelRunOptions& options, bool batch) {
  command.add_option(
      "--model", options.model_path,
      "model:<card> feature: use this ONNX file instead of the card's (names and shapes are still checked)");
  if (batch)
    command.add_option("-b,--batch", options.batch_size, "model:<card> feature: images per inference call")
        ->capture_default_str()
        ->check(CLI::Range(1, 256));
  command
      .add_option("--model-threads", options.model_threads,
                  "model:<card> feature: ONNX Runtime threads (default: all cores)")
      ->check(CLI::Range(1, 256));
}

}  // namespace lookalike::cli
