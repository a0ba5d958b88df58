// Every way the model path can fail gives a precise error, never a hang:
// a missing model file, a card that does not match the model, a shape
// mismatch, missing Node or onnxruntime-node, a worker that dies, hangs or
// speaks something else.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <thread>

#include "embed/model_embedder.h"
#include "embed/node_runtime.h"
#include "lookalike/common/error.h"
#include "model_test_support.h"

using namespace lookalike;
using namespace lookalike::testing;
using cli::ModelEmbedder;
using cli::ModelEmbedderOptions;

namespace {

// A copy of the tiny card (and model) in a temporary folder, edited by `edit`.
template <class Edit>
std::string tiny_variant(const TempDir& dir, Edit edit, bool copy_model = true) {
  nlohmann::json card = read_json(tiny_card_path());
  edit(card);
  write_text(dir.path / "variant.json", card.dump());
  if (copy_model)
    fs::copy_file(source_dir() / "models/test/tiny-embed.onnx", dir.path / card["model"]["file"].get<std::string>());
  return (dir.path / "variant.json").string();
}

Error open_error(const std::string& card, ModelEmbedderOptions options = {}) {
  try {
    ModelEmbedder::open(card, options);
  } catch (const Error& e) {
    return e;
  }
  FAIL("expected ModelEmbedder::open(" << card << ") to fail");
  return Error(ErrorKind::Io, "");
}

}  // namespace

TEST_CASE("missing model file: names where it looked and how to fetch it") {
  TempDir dir;
  const std::string card = tiny_variant(
      dir, [](nlohmann::json&) {}, false);
  const Error e = open_error(card);
  CHECK(e.kind() == ErrorKind::Io);
  CHECK_THAT(e.what(), Catch::Contains("not found") && Catch::Contains("tiny-embed.onnx") &&
                           Catch::Contains("fetch.sh tiny-embed"));

  ModelEmbedderOptions options;
  options.model_path = (dir.path / "nowhere.onnx").string();
  CHECK_THAT(open_error("tiny-embed", options).what(),
             Catch::Contains("no such model file") && Catch::Contains("nowhere.onnx"));
}

TEST_CASE("a model file of the wrong size is refused before loading") {
  TempDir dir;
  const std::string card = tiny_variant(dir, [](nlohmann::json& c) { c["model"]["bytes"] = 1234; });
  const Error e = open_error(card);
  CHECK(e.kind() == ErrorKind::Corrupt);
  CHECK_THAT(e.what(), Catch::Contains("1234") && Catch::Contains("32161"));
}

TEST_CASE("a corrupt model file gives onnxruntime-node's reason and no crash") {
  TempDir dir;
  const std::string card = tiny_variant(
      dir,
      [](nlohmann::json& c) {
        c["model"].erase("bytes");
        c["model"]["file"] = "garbage.onnx";
      },
      false);
  write_text(dir.path / "garbage.onnx", std::string(5000, '\x07'));
  const Error e = open_error(card);
  CHECK(e.kind() == ErrorKind::Corrupt);
  CHECK_THAT(e.what(), Catch::Contains("cannot load") && Catch::Contains("garbage.onnx"));
}

TEST_CASE("card input or output names that the model does not have") {
  TempDir a, b;
  const Error in = open_error(tiny_variant(a, [](nlohmann::json& c) { c["input"]["name"] = "images"; }));
  CHECK(in.kind() == ErrorKind::Corrupt);
  CHECK_THAT(in.what(),
             Catch::Contains("input.name is \"images\"") && Catch::Contains("pixel_values [batch, 3, 224, 224]"));
  const Error out = open_error(tiny_variant(b, [](nlohmann::json& c) { c["output"]["name"] = "image_embeds"; }));
  CHECK(out.kind() == ErrorKind::Corrupt);
  CHECK_THAT(out.what(), Catch::Contains("output.name is \"image_embeds\"") &&
                             Catch::Contains("embedding [batch, 32]") && Catch::Contains("pooled [batch, 16]"));
}

TEST_CASE("card input size or output dimension that the model does not have") {
  TempDir a, b;
  const Error size = open_error(tiny_variant(a, [](nlohmann::json& c) {
    c["input"]["width"] = 112, c["input"]["height"] = 112, c["input"]["resize"]["shortest_side"] = 128;
  }));
  CHECK(size.kind() == ErrorKind::Corrupt);
  CHECK_THAT(size.what(), Catch::Contains("112 × 112") && Catch::Contains("[batch, 3, 224, 224]"));
  const Error dim = open_error(tiny_variant(b, [](nlohmann::json& c) { c["output"]["dim"] = 64; }));
  CHECK_THAT(dim.what(), Catch::Contains("output.dim = 64") && Catch::Contains("[batch, 32]"));
}

TEST_CASE("a tensor of the wrong shape at run time gives the model's error and the worker stays usable") {
  ModelEmbedderOptions options;
  options.model_threads = 1;
  const auto card = cli::load_model_card("tiny-embed");
  cli::OnnxWorkerOptions worker_options;
  worker_options.model_path = cli::locate_model_file(card);
  worker_options.input_name = "pixel_values";
  worker_options.output_name = "embedding";
  cli::OnnxWorker worker(cli::find_node_runtime(), worker_options);
  const std::vector<float> small(3 * 112 * 112, 0.5f);
  try {
    worker.run(small.data(), 1, 3, 112, 112);
    FAIL("expected a shape error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Unsupported);
    CHECK_THAT(e.what(), Catch::Contains("3×112×112"));
  }
  CHECK(worker.alive());
  const std::vector<float> right = tiny_reference_input(2);
  const cli::WorkerOutput out = worker.run(right.data(), 2, 3, 224, 224);
  CHECK(out.batch == 2);
  CHECK(out.dim == 32);
}

TEST_CASE("Node.js missing") {
  {
    EnvOverride node("LOOKALIKE_NODE", "/nonexistent/node");
    const Error e = open_error("tiny-embed");
    CHECK(e.kind() == ErrorKind::Io);
    CHECK_THAT(e.what(), Catch::Contains("LOOKALIKE_NODE=/nonexistent/node"));
  }
  {
    EnvOverride node("LOOKALIKE_NODE", nullptr);
    EnvOverride path("PATH", "/nonexistent-bin");
    CHECK_THAT(open_error("tiny-embed").what(), Catch::Contains("Node.js not found"));
  }
}

TEST_CASE("onnxruntime-node missing or broken") {
  TempDir empty;
  {
    EnvOverride modules("LOOKALIKE_NODE_MODULES", empty.path.c_str());
    const Error e = open_error("tiny-embed");
    CHECK(e.kind() == ErrorKind::Io);
    CHECK_THAT(e.what(), Catch::Contains("has no onnxruntime-node") && Catch::Contains(empty.path.string()));
  }
  {
    const std::string broken = (source_dir() / "tests/models/fake_workers/broken_onnxruntime").string();
    EnvOverride modules("LOOKALIKE_NODE_MODULES", broken.c_str());
    const Error e = open_error("tiny-embed");
    CHECK(e.kind() == ErrorKind::Io);
    CHECK_THAT(e.what(), Catch::Contains("cannot load onnxruntime-node") && Catch::Contains("native binding"));
  }
}

TEST_CASE("a worker killed mid-run is reported with its signal") {
  ModelEmbedder embedder = ModelEmbedder::open("tiny-embed");
  const std::vector<float> input = tiny_reference_input(1);
  CHECK(embedder.embed_tensors(input.data(), 1).size() == 32);
  REQUIRE(embedder.worker_pid() > 0);
  REQUIRE(::kill(embedder.worker_pid(), SIGKILL) == 0);
  try {
    embedder.embed_tensors(input.data(), 1);
    FAIL("expected the dead worker to be reported");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Io);
    CHECK_THAT(e.what(), Catch::Contains("embedding worker") && Catch::Contains("killed by signal 9"));
  }
  // Later calls fail the same way at once instead of talking to nothing.
  CHECK_THROWS_WITH(embedder.embed_tensors(input.data(), 1), Catch::Contains("killed by signal 9"));
}

TEST_CASE("a silent worker times out instead of hanging") {
  const std::string silent = (source_dir() / "tests/models/fake_workers/silent_worker.mjs").string();
  EnvOverride worker("LOOKALIKE_EMBED_WORKER", silent.c_str());
  ModelEmbedderOptions options;
  options.startup_timeout_seconds = 1.5;
  const auto started = std::chrono::steady_clock::now();
  const Error e = open_error("tiny-embed", options);
  CHECK(e.kind() == ErrorKind::Io);
  CHECK_THAT(e.what(), Catch::Contains("did not answer within 1.5 s"));
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(30));  // bounded, not a timing claim
}

TEST_CASE("a worker that writes text instead of frames is stopped with a clear message") {
  const std::string chatty = (source_dir() / "tests/models/fake_workers/chatty_worker.mjs").string();
  EnvOverride worker("LOOKALIKE_EMBED_WORKER", chatty.c_str());
  const Error e = open_error("tiny-embed");
  CHECK(e.kind() == ErrorKind::Io);
  CHECK_THAT(e.what(), Catch::Contains("not a protocol frame"));
}
