// The pipelined worker protocol (two batches in flight): results come back
// in order and land in the right rows, the worker really holds two batches
// at once, and every failure with batches in flight — a worker that dies, one
// that answers out of order, a model error for one batch, a stuck worker, a
// Ctrl-C — ends precisely and leaves nothing half done. Runs the CLI against
// tests/models/fake_workers/pipelined_worker.mjs, a worker without
// onnxruntime whose "embedding" of an image says where it came from:
// [0] the sum of its floats, [1] its index in the batch, [2] the RUN's id,
// [3] the batch size.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "common/files.h"
#include "embed/model_embedder.h"
#include "embed/npy_file.h"
#include "lookalike/common/error.h"
#include "lookalike/image/decode.h"
#include "lookalike/image/encode.h"
#include "lookalike/model/preprocess.h"
#include "model_test_support.h"
#include "support/test_images.h"

using namespace lookalike;
using namespace lookalike::testing;
using cli::ModelEmbedder;
using cli::ModelEmbedderOptions;

namespace {

constexpr std::size_t kDim = 32, kTensor = 3 * 224 * 224;

std::string fake_worker() { return (source_dir() / "tests/models/fake_workers/pipelined_worker.mjs").string(); }

// The tiny card (its names and shapes are what the fake reports), raw output.
ModelEmbedder fake_embedder(std::size_t batch, double batch_timeout = 600) {
  ModelEmbedderOptions options;
  options.batch_size = batch;
  options.normalize = false;
  options.model_threads = 1;
  options.batch_timeout_seconds = batch_timeout;
  return ModelEmbedder::open("tiny-embed", options);
}

// `count` images, image j filled with (j + 1) / 1024: its floats sum to
// exactly 147 · (j + 1), in float and double alike.
std::vector<float> numbered_tensors(std::size_t count) {
  std::vector<float> tensors(count * kTensor);
  for (std::size_t j = 0; j < count; ++j)
    std::fill_n(tensors.begin() + long(j * kTensor), kTensor, float(j + 1) / 1024.0f);
  return tensors;
}

double tensor_sum(const std::vector<float>& tensor) {
  double sum = 0;
  for (float x : tensor) sum += x;
  return sum;
}

Error error_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& e) {
    return e;
  }
  FAIL("expected an error");
  return Error(ErrorKind::Io, "");
}

std::vector<std::string> write_pattern_files(const fs::path& dir, int count) {
  std::vector<std::string> paths;
  for (int i = 0; i < count; ++i) {
    const auto png = encode_png(make_pattern(90 + 11 * i, 70 + 5 * i, i));
    const fs::path p = dir / ("img" + std::to_string(100 + i) + ".png");
    std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(png.data()), std::streamsize(png.size()));
    paths.push_back(p.string());
  }
  return paths;
}

}  // namespace

TEST_CASE("pipelined batches come back in order into the right rows, two in flight at the worker") {
  TempDir dir;
  const std::string log = (dir.path / "held.txt").string();
  EnvOverride worker("LOOKALIKE_EMBED_WORKER", fake_worker().c_str());
  EnvOverride held("FAKE_WORKER_LOG", log.c_str());
  ModelEmbedder embedder = fake_embedder(3);
  const std::size_t count = 25;  // 9 batches, the last one of 1
  const std::vector<float> tensors = numbered_tensors(count);
  const std::vector<float> out = embedder.embed_tensors(tensors.data(), count);
  REQUIRE(out.size() == count * kDim);
  for (std::size_t j = 0; j < count; ++j) {
    INFO("image " << j);
    CHECK(out[j * kDim + 0] == float(147 * (j + 1)));
    CHECK(out[j * kDim + 1] == float(j % 3));
    CHECK(out[j * kDim + 2] == float(j / 3 + 1));  // RUN ids count from 1
    CHECK(out[j * kDim + 3] == float(j < 24 ? 3 : 1));
  }
  CHECK(embedder.batches_in_flight() == 0);
  // The next batch was sent before the previous result came: the worker held two at once.
  CHECK(cli::read_text_file(log) == "2");
}

TEST_CASE("the file pipeline through the pipelined worker: every row is its own image's") {
  TempDir dir;
  const std::string log = (dir.path / "held.txt").string();
  EnvOverride worker("LOOKALIKE_EMBED_WORKER", fake_worker().c_str());
  EnvOverride held("FAKE_WORKER_LOG", log.c_str());
  std::vector<std::string> paths = write_pattern_files(dir.path, 17);
  write_text(dir.path / "broken.png", "\x89PNG\r\n\x1a\n not really");
  paths.insert(paths.begin() + 6, (dir.path / "broken.png").string());
  paths.insert(paths.begin() + 7, (dir.path / "missing.png").string());  // batch 3 (items 6, 7) has nothing to send

  for (const std::size_t batch : {1u, 2u, 5u}) {
    ModelEmbedder embedder = fake_embedder(batch);
    std::vector<std::size_t> progress;
    cli::EmbedFilesOptions options;
    options.decode_threads = 3;
    options.on_progress = [&](std::size_t done) { progress.push_back(done); };
    const cli::EmbedFilesResult result = cli::embed_image_files(embedder, paths, options);
    INFO("batch " << batch);
    CHECK(result.embedded == 17);
    CHECK_FALSE(result.done[6]);
    CHECK_FALSE(result.done[7]);
    CHECK_THAT(result.errors[7], Catch::Contains("missing.png"));
    for (std::size_t i = 0; i < paths.size(); ++i) {
      if (!result.done[i]) continue;
      INFO("item " << i);
      const auto bytes = read_file(paths[i]);
      const double sum =
          tensor_sum(preprocess_for_model(decode_image(bytes.data(), bytes.size()).image, embedder.card()));
      CHECK(result.vectors[i * kDim] == Approx(float(sum)).epsilon(1e-6));
    }
    // Progress in input order, one call per batch, to the end.
    REQUIRE(progress.size() == (paths.size() + batch - 1) / batch);
    for (std::size_t k = 0; k < progress.size(); ++k) CHECK(progress[k] == std::min((k + 1) * batch, paths.size()));
  }
  CHECK(cli::read_text_file(log) == "2");
}

TEST_CASE("a worker that dies with a batch in flight is reported with its exit status and last words") {
  EnvOverride worker("LOOKALIKE_EMBED_WORKER", fake_worker().c_str());
  EnvOverride mode("FAKE_WORKER_MODE", "die");
  const std::vector<float> tensors = numbered_tensors(4);
  {
    ModelEmbedder embedder = fake_embedder(1);
    const Error e = error_of([&] { embedder.embed_tensors(tensors.data(), 4); });
    CHECK(e.kind() == ErrorKind::Io);
    CHECK_THAT(e.what(), Catch::Contains("embedding worker") && Catch::Contains("exited with status 7") &&
                             Catch::Contains("exiting with batch 2 unanswered"));
    CHECK(embedder.batches_in_flight() == 0);
    // Later calls fail the same way at once.
    CHECK_THROWS_WITH(embedder.embed_tensors(tensors.data(), 1), Catch::Contains("exited with status 7"));
  }
  {
    TempDir dir;
    ModelEmbedder embedder = fake_embedder(1);
    const std::vector<std::string> paths = write_pattern_files(dir.path, 6);
    const Error e = error_of([&] { cli::embed_image_files(embedder, paths, {}); });
    CHECK(e.kind() == ErrorKind::Io);
    CHECK_THAT(e.what(), Catch::Contains("exited with status 7"));
  }
}

TEST_CASE("answers out of order are an error, never swapped rows") {
  EnvOverride worker("LOOKALIKE_EMBED_WORKER", fake_worker().c_str());
  EnvOverride mode("FAKE_WORKER_MODE", "swap");
  ModelEmbedder embedder =
      fake_embedder(2, 20);  // the fake answers batch 1 only after batch 2: bounded if that never comes
  const std::vector<float> tensors = numbered_tensors(6);
  const Error e = error_of([&] { embedder.embed_tensors(tensors.data(), 6); });
  CHECK(e.kind() == ErrorKind::Io);
  CHECK_THAT(e.what(), Catch::Contains("answered batch 2 when batch 1 was due"));
}

TEST_CASE("a model error for one pipelined batch reaches the caller and the worker stays usable") {
  EnvOverride worker("LOOKALIKE_EMBED_WORKER", fake_worker().c_str());
  EnvOverride mode("FAKE_WORKER_MODE", "run-error");
  ModelEmbedder embedder = fake_embedder(1);
  const std::vector<float> tensors = numbered_tensors(5);
  const Error e = error_of([&] { embedder.embed_tensors(tensors.data(), 5); });
  CHECK(e.kind() == ErrorKind::Unsupported);
  CHECK_THAT(e.what(), Catch::Contains("the fake model refuses batch 3") && Catch::Contains("batch of 1 (3×224×224)"));
  // Batch 4 was in flight when batch 3 failed: its answer was taken and
  // dropped, so the next call's rows are its own.
  CHECK(embedder.batches_in_flight() == 0);
  const std::vector<float> again = embedder.embed_tensors(tensors.data(), 5);
  for (std::size_t j = 0; j < 5; ++j) {
    CHECK(again[j * kDim + 0] == float(147 * (j + 1)));
    CHECK(again[j * kDim + 2] == float(5 + j));  // ids 5… follow the 4 sent before
  }
}

TEST_CASE("a worker stuck with batches in flight times out instead of hanging") {
  EnvOverride worker("LOOKALIKE_EMBED_WORKER", fake_worker().c_str());
  EnvOverride mode("FAKE_WORKER_MODE", "stuck");
  ModelEmbedder embedder = fake_embedder(2, 1.5);
  const std::vector<float> tensors = numbered_tensors(6);
  const auto started = std::chrono::steady_clock::now();
  const Error e = error_of([&] { embedder.embed_tensors(tensors.data(), 6); });
  CHECK(e.kind() == ErrorKind::Io);
  CHECK_THAT(e.what(), Catch::Contains("did not answer within 1.5 s"));
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(30));  // bounded, not a timing claim
}

TEST_CASE("Ctrl-C during lookalike embed finishes the batches in flight and writes what was embedded") {
  TempDir dir;
  const std::vector<std::string> paths = write_pattern_files(dir.path, 40);
  const fs::path log = dir.path / "held.txt", out = dir.path / "out" / "emb.npy";
  // 40 batches of 1 at 100 ms each: the CLI is mid-way when the worker has seen its first batch.
  const std::vector<std::string> args = {
      LOOKALIKE_CLI_PATH, "-q", "embed", "--card", "tiny-embed", "--raw", "-b", "1", "-o", out.string(),
      dir.path.string()};
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::setenv("LOOKALIKE_EMBED_WORKER", fake_worker().c_str(), 1);
    ::setenv("FAKE_WORKER_LOG", log.c_str(), 1);
    ::setenv("FAKE_WORKER_DELAY_MS", "100", 1);
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1), ::dup2(null, 2);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  for (int i = 0; i < 3000 && !fs::exists(log); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const bool started = fs::exists(log);
  ::kill(pid, SIGINT);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(started);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  const nlohmann::json meta = read_json(dir.path / "out" / "emb.json");
  CHECK(meta["interrupted"] == true);
  const std::size_t rows = meta["count"];
  CHECK(rows < paths.size());
  CHECK(meta["items"].size() + meta["failed"].size() == paths.size());
  const auto bytes = read_file(out.string());
  const std::string header = cli::npy_header_float32(rows, kDim);
  REQUIRE(bytes.size() == header.size() + rows * kDim * sizeof(float));
  const float* matrix = reinterpret_cast<const float*>(bytes.data() + header.size());
  const cli::LoadedCard card = cli::load_model_card("tiny-embed");
  for (std::size_t r = 0; r < rows; ++r) {
    const std::string path = meta["items"][r]["path"];
    const auto image = read_file(path);
    const double sum = tensor_sum(preprocess_for_model(decode_image(image.data(), image.size()).image, card.card));
    CHECK(matrix[r * kDim] == Approx(float(sum)).epsilon(1e-6));
  }
}
