// Model embedding benchmarks, measured in one run:
//   1. model latency per image (batch 1) with onnxruntime-node, for
//      MobileNetV2 int8 (the card's file in build/models, derived from
//      ../shared/models by models/fetch.sh) and the ViT-B/32-shaped model
//      (models/export_vit_b32_random.py output, when given or found in build/models);
//   2. offline embedding throughput against a bare onnxruntime-node loop over
//      the same preprocessed tensors, same model, batch, threads and session
//      options (idle threads sleep, as in lookalike's worker; the loop with
//      ONNX Runtime's default spinning is printed too):
//      a. lookalike's model path alone (ModelEmbedder::embed_tensors: the Node
//         worker, the pipe protocol, batching, normalisation) on those tensors —
//         the overhead of running inference out of process; target ≥ 0.9 ×;
//      b. the whole `lookalike embed` command from image files (decoding and
//         preprocessing included, on the same cores as the model);
//      c. decoding and preprocessing alone (the CLI's code, no model), and
//         the CPU time per image it and the bare loop's model take: on a
//         machine with few cores these add up, which bounds b (printed as
//         the ceiling for b).
//
//   bench_model_embedding [--images N] [--vit-images N] [--batch B] [--threads T] [--vit CARD.json]
//
// Images: the first N of ../shared/datasets/wang1k (else darknet's photos,
// repeated). Startup (Node + model load) is excluded from both throughputs and
// reported separately.
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/files.h"
#include "common/install_paths.h"
#include "embed/model_embedder.h"
#include "embed/model_files.h"
#include "embed/node_runtime.h"
#include "lookalike/common/error.h"
#include "lookalike/image/decode.h"
#include "lookalike/model/preprocess.h"

using namespace lookalike;
using namespace lookalike::cli;
namespace fs = std::filesystem;

namespace {

struct Config {
  std::size_t images = 400, vit_images = 32, batch = 16;
  unsigned threads = 2;
  std::string vit_card;
};

std::string run_capture(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run " + command);
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
  const int status = ::pclose(pipe);
  if (status != 0) throw std::runtime_error("failed (" + std::to_string(status) + "): " + command + "\n" + out);
  return out;
}

std::string quote(const std::string& s) { return "'" + s + "'"; }

std::vector<std::string> image_files(std::size_t count) {
  std::vector<std::string> files;
  const fs::path wang = fs::path(LOOKALIKE_SHARED_DIR) / "datasets" / "wang1k";
  std::vector<fs::path> found;
  if (fs::is_directory(wang)) {
    found = list_image_files(wang);
    // Interleave the classes so any prefix mixes them.
    std::vector<fs::path> mixed;
    for (std::size_t i = 0; i < 100 && mixed.size() < found.size(); ++i)
      for (std::size_t c = 0; c * 100 + i < found.size(); ++c) mixed.push_back(found[c * 100 + i]);
    found = mixed;
  } else {
    std::cerr << "note: " << wang << " not found; using darknet's photos, repeated\n";
    for (const char* n : {"dog", "eagle", "giraffe", "horses", "kite", "person", "scream"})
      found.push_back(std::string("/usr/share/darknet/data/") + n + ".jpg");
  }
  for (std::size_t i = 0; files.size() < count && !found.empty(); ++i)
    files.push_back(found[i % found.size()].string());
  return files;
}

struct BareResult {
  double seconds = 0, load_seconds = 0, ms_per_image = 0, cpu_seconds = 0;
};

BareResult bare_loop(const NodeRuntime& runtime, const std::string& model, const ModelCard& card,
                     const std::string& tensors, std::size_t count, std::size_t batch, unsigned threads,
                     bool spin = false) {
  const std::string script = (fs::path(LOOKALIKE_SOURCE_DIR) / "bench" / "ort_bare_loop.mjs").string();
  const std::string command = quote(runtime.node) + " " + quote(script) + " " + quote(runtime.node_modules) + " " +
                              quote(model) + " " + card.input_name + " " + card.output_name + " " + quote(tensors) +
                              " " + std::to_string(count) + " " + std::to_string(card.height) + " " +
                              std::to_string(card.width) + " " + std::to_string(batch) + " " + std::to_string(threads) +
                              (spin ? " 1" : " 0");
  const auto j = nlohmann::json::parse(run_capture(command));
  return {j["seconds"], j["load_seconds"], j["ms_per_image"], j["cpu_seconds"]};
}

struct EmbedResult {
  double seconds = 0, wall_seconds = 0, inference_seconds = 0;
  std::size_t embedded = 0;
};

EmbedResult lookalike_embed(const std::string& card_path, const std::string& model, const std::string& list_file,
                            std::size_t batch, unsigned threads, const std::string& out_dir) {
  const std::string cli =
      (fs::path(executable_directory()) / ".." / "offline-tools" / "lookalike").lexically_normal().string();
  const std::string command = quote(cli) + " --json -q embed --card " + quote(card_path) + " --model " + quote(model) +
                              " -b " + std::to_string(batch) + " --model-threads " + std::to_string(threads) + " -o " +
                              quote(out_dir + "/bench.npy") + " " + quote(list_file);
  const auto started = std::chrono::steady_clock::now();
  const auto j = nlohmann::json::parse(run_capture(command));
  EmbedResult r;
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  r.seconds = j["seconds"];
  r.inference_seconds = j["inference_seconds"];
  r.embedded = j["embedded"];
  return r;
}

double cpu_clock(clockid_t clock) {
  timespec t{};
  ::clock_gettime(clock, &t);
  return double(t.tv_sec) + t.tv_nsec * 1e-9;
}

struct DecodeResult {
  double seconds = 0, cpu_seconds = 0;
  double read_seconds = 0, decode_seconds = 0, preprocess_seconds = 0;  // CPU time per step, summed over the threads
};

// What embed_image_files does per image besides the model: read the file,
// decode it, preprocess it into a batch buffer, on `threads` threads.
DecodeResult decode_alone(const std::vector<std::string>& files, const ModelCard& card, unsigned threads) {
  const std::size_t per = 3 * std::size_t(card.width) * card.height;
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  DecodeResult result;
  const double cpu = cpu_clock(CLOCK_PROCESS_CPUTIME_ID);
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      std::vector<float> batch(per);
      double steps[3] = {0, 0, 0};
      for (std::size_t i; (i = next.fetch_add(1)) < files.size();) {
        const double t0 = cpu_clock(CLOCK_THREAD_CPUTIME_ID);
        const auto bytes = read_file(files[i]);
        const double t1 = cpu_clock(CLOCK_THREAD_CPUTIME_ID);
        const DecodedImage decoded = decode_image(bytes.data(), bytes.size());
        const double t2 = cpu_clock(CLOCK_THREAD_CPUTIME_ID);
        preprocess_for_model_into(decoded.image, card, batch.data());
        const double t3 = cpu_clock(CLOCK_THREAD_CPUTIME_ID);
        steps[0] += t1 - t0, steps[1] += t2 - t1, steps[2] += t3 - t2;
      }
      std::lock_guard<std::mutex> lock(mutex);
      result.read_seconds += steps[0], result.decode_seconds += steps[1], result.preprocess_seconds += steps[2];
    });
  for (auto& t : pool) t.join();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  result.cpu_seconds = cpu_clock(CLOCK_PROCESS_CPUTIME_ID) - cpu;
  return result;
}

void bench_model(const std::string& label, const std::string& card_path, const std::string& model, std::size_t count,
                 const Config& config, const NodeRuntime& runtime, const fs::path& work) {
  const LoadedCard loaded = load_model_card(card_path);
  const ModelCard& card = loaded.card;
  const std::vector<std::string> files = image_files(count);
  // The same preprocessed tensors lookalike computes, for the bare loop.
  std::vector<float> tensors;
  tensors.reserve(files.size() * 3 * std::size_t(card.width) * card.height);
  for (const auto& f : files) {
    const auto bytes = read_file(f);
    const auto t = preprocess_for_model(decode_image(bytes.data(), bytes.size()).image, card);
    tensors.insert(tensors.end(), t.begin(), t.end());
  }
  const std::string tensor_file = (work / "tensors.f32").string();
  {
    std::ofstream out(tensor_file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(tensors.data()), std::streamsize(tensors.size() * sizeof(float)));
  }
  nlohmann::json manifest = {{"items", nlohmann::json::array()}};
  for (const auto& f : files) manifest["items"].push_back({{"path", f}});
  const std::string list_file = (work / "images.json").string();
  std::ofstream(list_file) << manifest.dump();

  std::printf("\n%s (%s), %zu images of %s\n", label.c_str(), model.c_str(), files.size(),
              files.front().find("wang1k") != std::string::npos ? "wang1k" : "darknet");
  std::printf("  latency, batch 1, onnxruntime-node:");
  for (unsigned t : {1u, 2u}) {
    const std::size_t n = std::min<std::size_t>(files.size(), label.find("ViT") != std::string::npos ? 8 : 100);
    const BareResult one = bare_loop(runtime, model, card, tensor_file, n, 1, t);
    std::printf("  %u thread%s %.1f ms/image", t, t > 1 ? "s" : "", one.ms_per_image);
  }
  std::printf("\n");
  const BareResult bare = bare_loop(runtime, model, card, tensor_file, files.size(), config.batch, config.threads);
  const BareResult spinning =
      bare_loop(runtime, model, card, tensor_file, files.size(), config.batch, config.threads, true);
  double worker_seconds = 0, worker_inference_seconds = 0;
  {
    ModelEmbedderOptions options;
    options.batch_size = config.batch;
    options.model_threads = config.threads;
    options.model_path = model;
    ModelEmbedder embedder = ModelEmbedder::open(card_path, options);
    embedder.embed_tensors(tensors.data(), std::min(config.batch, files.size()));  // warm-up, as the bare loop does
    const double warm_up_inference = embedder.inference_seconds();
    const auto started = std::chrono::steady_clock::now();
    const std::vector<float> vectors = embedder.embed_tensors(tensors.data(), files.size());
    worker_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    worker_inference_seconds = embedder.inference_seconds() - warm_up_inference;
    if (vectors.size() != files.size() * embedder.dim())
      throw std::runtime_error("embed_tensors returned the wrong size");
  }
  const EmbedResult ours = lookalike_embed(card_path, model, list_file, config.batch, config.threads, work.string());
  if (ours.embedded != files.size())
    std::printf("  warning: lookalike embedded %zu of %zu\n", ours.embedded, files.size());
  const double bare_rate = double(files.size()) / bare.seconds, our_rate = double(files.size()) / ours.seconds;
  const double worker_rate = double(files.size()) / worker_seconds;
  std::printf("  throughput, batch %zu, %u ORT thread%s:\n", config.batch, config.threads,
              config.threads > 1 ? "s" : "");
  std::printf(
      "    bare onnxruntime-node loop on preprocessed tensors             %8.1f images/s  (%.2f s; model load %.2f "
      "s)\n",
      bare_rate, bare.seconds, bare.load_seconds);
  std::printf("    (the same loop with ONNX Runtime's default spinning threads    %8.1f images/s)\n",
              double(files.size()) / spinning.seconds);
  std::printf(
      "    a. lookalike model path (worker + protocol) on the same tensors %8.1f images/s  (%.2f s, the model's own "
      "%.2f s)\n",
      worker_rate, worker_seconds, worker_inference_seconds);
  std::printf(
      "    b. lookalike embed command (decode + preprocess + model)       %8.1f images/s  (%.2f s, the model's own "
      "%.2f s; "
      "with startup %.2f s)\n",
      our_rate, ours.seconds, ours.inference_seconds, ours.wall_seconds);
  std::printf("    ratio a / bare = %.3f  (target >= 0.9)    ratio b / bare = %.3f\n", worker_rate / bare_rate,
              our_rate / bare_rate);

  const double images = double(files.size());
  std::printf("  c. decoding + preprocessing alone (read, decode, preprocess into a batch; no model):");
  double decode_cpu_ms = 0;
  DecodeResult one;
  for (unsigned t : {1u, 2u}) {
    const DecodeResult d = decode_alone(files, card, t);
    if (t == 1) one = d, decode_cpu_ms = 1000 * d.cpu_seconds / images;
    std::printf("  %u thread%s %.1f images/s", t, t > 1 ? "s" : "", images / d.seconds);
  }
  std::printf(
      "\n    CPU per image on 1 thread: read %.2f ms, decode %.2f ms, preprocess (resize, crop, normalise) %.2f ms",
      1000 * one.read_seconds / images, 1000 * one.decode_seconds / images, 1000 * one.preprocess_seconds / images);
  const double model_cpu_ms = 1000 * bare.cpu_seconds / images;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const double ceiling = std::min(bare_rate, 1000.0 * cores / (model_cpu_ms + decode_cpu_ms));
  std::printf(
      "\n  CPU per image: the model %.2f ms (the bare loop keeps %.2f cores busy), decoding + preprocessing %.2f ms;\n"
      "    sharing %u cores, b can reach at most %.1f images/s = %.3f of the bare loop (b measured %.3f)\n",
      model_cpu_ms, bare.cpu_seconds / bare.seconds, decode_cpu_ms, cores, ceiling, ceiling / bare_rate,
      our_rate / bare_rate);
}

}  // namespace

int main(int argc, char** argv) {
  Config config;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--images")
      config.images = std::stoul(v);
    else if (a == "--vit-images")
      config.vit_images = std::stoul(v);
    else if (a == "--batch")
      config.batch = std::stoul(v);
    else if (a == "--threads")
      config.threads = unsigned(std::stoul(v));
    else if (a == "--vit")
      config.vit_card = v;
    else {
      std::cerr << "unknown option " << a << "\n";
      return 2;
    }
  }
  try {
    const NodeRuntime runtime = find_node_runtime();
    const fs::path work = fs::temp_directory_path() / ("lookalike-bench-embed-" + std::to_string(::getpid()));
    fs::create_directories(work);
    std::printf("bench_model_embedding: onnxruntime-node from %s, %u hardware threads\n", runtime.node_modules.c_str(),
                std::thread::hardware_concurrency());
    // The card's file, derived from the zoo's (models/mobilenetv2_derive.py) by
    // models/fetch.sh --from ../shared/models --dest build/models mobilenetv2-int8.
    const std::string mobilenet_card = (fs::path(LOOKALIKE_SOURCE_DIR) / "models" / "mobilenetv2-int8.json").string();
    const fs::path mobilenet =
        fs::path(LOOKALIKE_SOURCE_DIR) / "build/models" / load_model_card(mobilenet_card).card.file;
    if (fs::exists(mobilenet))
      bench_model("MobileNetV2 int8", mobilenet_card, mobilenet.string(), config.images, config, runtime, work);
    else
      std::printf(
          "\nMobileNetV2: skipped, %s not found; make it with models/fetch.sh --from %s/models --dest build/models "
          "mobilenetv2-int8\n",
          mobilenet.c_str(), LOOKALIKE_SHARED_DIR);
    std::string vit = config.vit_card;
    if (vit.empty() && fs::exists(fs::path(LOOKALIKE_SOURCE_DIR) / "build/models/vit-b32-random.json"))
      vit = (fs::path(LOOKALIKE_SOURCE_DIR) / "build/models/vit-b32-random.json").string();
    if (!vit.empty()) {
      const LoadedCard card = load_model_card(vit);
      bench_model("ViT-B/32-shaped (random weights)", vit, locate_model_file(card), config.vit_images, config, runtime,
                  work);
    } else {
      std::printf(
          "\nViT-B/32: skipped; export it with /usr/bin/python3 models/export_vit_b32_random.py (writes "
          "build/models/)\n");
    }
    fs::remove_all(work);
  } catch (const std::exception& e) {
    std::cerr << "bench_model_embedding: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
