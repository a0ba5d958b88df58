// Helpers shared by the model tests: paths, the Node runtime, temporary
// folders, environment overrides and the tiny model's reference tensor.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "embed/embedder_setup.h"

namespace lookalike::testing {

namespace fs = std::filesystem;

fs::path source_dir();
fs::path tiny_card_path();
nlohmann::json read_json(const fs::path& path);
void write_text(const fs::path& path, const std::string& text);

// A fresh folder under the build's temporary area, removed at destruction.
struct TempDir {
  fs::path path;
  TempDir();
  ~TempDir();
};

// Sets (or, with nullptr, unsets) an environment variable for one scope.
struct EnvOverride {
  std::string name, old;
  bool had = false;
  EnvOverride(const char* name, const char* value);
  ~EnvOverride();
};

// The embedders' options in these tests: one model thread (the machine is
// shared), `batch` inputs per call, normalised as the card says unless not.
cli::EmbedderOptions test_embedder_options(std::size_t batch = 16, bool normalize = true);

// x[n,c,h,w] = (((7h + 13w + 29c + 31n) mod 97) − 48) / 32, as make_tiny_model.py builds it.
std::vector<float> tiny_reference_input(int batch, int size = 224);

// Runs tests/models/ort_reference.mjs: the model on raw tensors with
// onnxruntime-node directly. Returns the output floats.
std::vector<float> reference_run(const std::string& model, const std::string& input_name,
                                 const std::string& output_name, const std::vector<float>& tensors, int batch,
                                 int height, int width);

}  // namespace lookalike::testing
