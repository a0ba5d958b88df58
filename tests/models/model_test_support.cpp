#include "model_test_support.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

#include "embed/node_runtime.h"

namespace lookalike::testing {

fs::path source_dir() { return LOOKALIKE_SOURCE_DIR; }
fs::path tiny_card_path() { return source_dir() / "models" / "test" / "tiny-embed.json"; }

nlohmann::json read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return nlohmann::json::parse(in);
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

TempDir::TempDir() {
  static int counter = 0;
  path = fs::temp_directory_path() /
         ("lookalike-models-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::create_directories(path);
}
TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path, ec);
}

EnvOverride::EnvOverride(const char* n, const char* value) : name(n) {
  if (const char* v = std::getenv(n)) had = true, old = v;
  if (value)
    ::setenv(n, value, 1);
  else
    ::unsetenv(n);
}
EnvOverride::~EnvOverride() {
  if (had)
    ::setenv(name.c_str(), old.c_str(), 1);
  else
    ::unsetenv(name.c_str());
}

std::vector<float> tiny_reference_input(int batch, int size) {
  std::vector<float> x(std::size_t(batch) * 3 * size * size);
  std::size_t i = 0;
  for (int n = 0; n < batch; ++n)
    for (int c = 0; c < 3; ++c)
      for (int h = 0; h < size; ++h)
        for (int w = 0; w < size; ++w) x[i++] = float(((7 * h + 13 * w + 29 * c + 31 * n) % 97) - 48) / 32.0f;
  return x;
}

std::vector<float> reference_run(const std::string& model, const std::string& input_name,
                                 const std::string& output_name, const std::vector<float>& tensors, int batch,
                                 int height, int width) {
  const auto runtime = cli::find_node_runtime();
  TempDir dir;
  const fs::path in = dir.path / "in.f32", out = dir.path / "out.f32";
  {
    std::ofstream f(in, std::ios::binary);
    f.write(reinterpret_cast<const char*>(tensors.data()), std::streamsize(tensors.size() * sizeof(float)));
  }
  const std::string command = "'" + runtime.node + "' '" + (source_dir() / "tests/models/ort_reference.mjs").string() +
                              "' '" + runtime.node_modules + "' '" + model + "' " + input_name + " " + output_name +
                              " '" + in.string() + "' " + std::to_string(batch) + " 3 " + std::to_string(height) + " " +
                              std::to_string(width) + " '" + out.string() + "'";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("reference run failed: " + command);
  std::ifstream f(out, std::ios::binary | std::ios::ate);
  const auto size = f.tellg();
  f.seekg(0);
  std::vector<float> values(std::size_t(size) / sizeof(float));
  f.read(reinterpret_cast<char*>(values.data()), size);
  return values;
}

cli::EmbedderOptions test_embedder_options(std::size_t batch, bool normalize) {
  cli::EmbedderOptions options;
  options.batch_size = batch;
  options.normalize = normalize;
  options.model_threads = 1;
  return options;
}

}  // namespace lookalike::testing
