// Images per second for decoding + feature extraction (every traditional
// feature at its default spec), on one thread and on all threads, and the
// ratio, measured in one run; then where the single-thread time goes
// (decode and each feature, in ms per image).
//
// Runs on ../shared/datasets/wang1k when present (1000 JPEGs, 384×256);
// otherwise on generated 384×256 JPEGs, and says so. File bytes are read
// into memory first: the figure is decoding and extraction, not the disk.
// Single- and multi-thread passes alternate for --rounds rounds and the
// best (fastest) pass of each is reported, so that load from other work on
// a shared machine disturbs the ratio as little as possible.
//
//   extract_bench [--threads N] [--rounds N] [--limit N] [--generated]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "bench_args.h"
#include "lookalike/common/parallel.h"
#include "lookalike/features/feature.h"
#include "lookalike/image/decode.h"
#include "lookalike/image/encode.h"

using namespace lookalike;
using Bytes = std::vector<std::uint8_t>;

namespace {

struct Options {
  unsigned threads = 0;  // 0: every hardware thread
  int rounds = 2;
  std::size_t limit = 0;  // 0: every image
  bool generated = false;
};

constexpr const char* kUsage =
    "usage: extract_bench [--threads N] [--rounds N] [--limit N] [--generated]\n"
    "Decodes images and computes every traditional feature (default specs), single-thread and\n"
    "multi-thread, and prints images per second and the ratio (markdown), then the single-thread\n"
    "cost of each step. Uses ../shared/datasets/wang1k when present, else generated JPEGs\n"
    "(--generated forces them). Defaults: all hardware threads, 2 rounds, every image.";

Options parse(int argc, char** argv) {
  Options o;
  BenchArgs args("extract_bench", argc, argv, kUsage);
  while (args.next()) {
    if (args.is("--threads"))
      o.threads = unsigned(args.positive_integer());
    else if (args.is("--rounds"))
      o.rounds = int(args.positive_integer());
    else if (args.is("--limit"))
      o.limit = std::size_t(args.positive_integer());
    else if (args.is("--generated"))
      o.generated = true;
    else
      args.unknown();
  }
  return o;
}

bool read_file(const std::string& path, Bytes& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

// The WANG JPEGs listed in labels.csv, or nothing when the set is absent.
std::vector<Bytes> load_wang(const std::string& dir) {
  std::vector<Bytes> files;
  std::ifstream csv(dir + "/labels.csv");
  if (!csv) return files;
  std::string line;
  std::getline(csv, line);  // header
  while (std::getline(csv, line)) {
    if (line.empty()) continue;
    Bytes bytes;
    const std::string path = dir + "/" + line.substr(0, line.find(','));
    if (!read_file(path, bytes)) {
      std::fprintf(stderr, "extract_bench: cannot read %s\n", path.c_str());
      std::exit(1);
    }
    files.push_back(std::move(bytes));
  }
  return files;
}

// Photo-sized stand-ins: smooth gradients, texture and noise, as JPEG.
std::vector<Bytes> generate_jpegs(std::size_t count) {
  std::vector<Bytes> files;
  std::uint32_t state = 12345;
  for (std::size_t n = 0; n < count; ++n) {
    Image image(384, 256);
    for (int y = 0; y < image.height; ++y)
      for (int x = 0; x < image.width; ++x) {
        state = state * 1664525u + 1013904223u;
        const int noise = int(state >> 27) - 16;
        std::uint8_t* p = image.at(x, y);
        p[0] = std::uint8_t(std::clamp(int((x + n * 7) % 256) + noise, 0, 255));
        p[1] = std::uint8_t(std::clamp(int((y * 3 + n * 13) % 256) + noise, 0, 255));
        p[2] = std::uint8_t(std::clamp(((x / 6 + y / 6) % 2) * 120 + 60 + noise, 0, 255));
      }
    files.push_back(encode_jpeg(image, 85));
  }
  return files;
}

double thread_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

double wall_seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int run(const Options& options) {
  const std::string wang = std::string(LOOKALIKE_SHARED_DIR) + "/datasets/wang1k";
  std::vector<Bytes> files;
  std::string source;
  if (!options.generated) files = load_wang(wang);
  if (files.empty()) {
    files = generate_jpegs(options.limit ? options.limit : 300);
    source = options.generated ? "generated 384×256 JPEGs (--generated)"
                               : "generated 384×256 JPEGs: WANG not found at " + wang;
  } else {
    source = "WANG, " + wang;
  }
  if (options.limit && files.size() > options.limit) files.resize(options.limit);

  std::vector<std::unique_ptr<Feature>> features;
  for (const auto& name : traditional_feature_names()) features.push_back(make_feature(name));
  const unsigned threads = thread_count(options.threads);

  std::vector<std::vector<float>> sink(files.size());  // keeps results alive, as a real run would
  auto process = [&](std::size_t i) {
    const Image image = decode_image(files[i].data(), files[i].size()).image;
    std::size_t total = 0;
    for (const auto& feature : features) total += feature->compute(image).size();
    sink[i].assign(1, float(total));
  };

  std::printf("%zu images (%s); features:", files.size(), source.c_str());
  for (const auto& f : features) std::printf(" %s", f->spec().c_str());
  std::printf("; %u threads; best of %d alternating rounds, wall time\n\n", threads, options.rounds);

  // Best wall time of each kind, with the CPU cores the process actually got
  // during that pass (process CPU time / wall time): well below the thread
  // count means other work was competing for the machine.
  struct Pass {
    double seconds = 1e300, cores = 0;
  };
  auto timed = [&](unsigned pass_threads, Pass& best) {
    const double cpu = process_cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    parallel_for(files.size(), pass_threads, process);
    const double seconds = wall_seconds(start);
    if (seconds < best.seconds) best = {seconds, (process_cpu_seconds() - cpu) / seconds};
  };
  Pass single, multi;
  for (int round = 0; round < options.rounds; ++round) {
    timed(1, single);
    timed(threads, multi);
  }
  const double n = double(files.size());
  std::printf("| threads | images/s | ms/image | CPU cores obtained |\n|---|---|---|---|\n");
  std::printf("| 1 | %.1f | %.2f | %.2f |\n", n / single.seconds, 1e3 * single.seconds / n, single.cores);
  std::printf("| %u | %.1f | %.2f | %.2f |\n", threads, n / multi.seconds, 1e3 * multi.seconds / n, multi.cores);
  std::printf("\nmulti-thread / single-thread: %.2f×\n\n", single.seconds / multi.seconds);

  // Where the time goes, single thread, in thread CPU time (insensitive to
  // other work on the machine).
  std::vector<double> step_ms(features.size() + 1, 0.0);
  for (const Bytes& file : files) {
    double t = thread_cpu_ms();
    const Image image = decode_image(file.data(), file.size()).image;
    double now = thread_cpu_ms();
    step_ms[0] += now - t;
    for (std::size_t f = 0; f < features.size(); ++f) {
      t = now;
      const std::vector<float> v = features[f]->compute(image);
      now = thread_cpu_ms();
      step_ms[f + 1] += now - t;
      if (v.empty()) std::puts("");  // never: keeps the work observable
    }
  }
  std::printf("| step (1 thread, CPU time) | ms/image |\n|---|---|\n| decode | %.2f |\n", step_ms[0] / n);
  for (std::size_t f = 0; f < features.size(); ++f)
    std::printf("| %s | %.2f |\n", features[f]->spec().c_str(), step_ms[f + 1] / n);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  try {
    return run(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "extract_bench: %s\n", e.what());
    return 1;
  }
}
