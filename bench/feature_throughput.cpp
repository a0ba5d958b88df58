// Decoding + feature extraction throughput of the CLI's feature pass (the
// step eval and index run over every image), single-threaded and on every
// core, and their ratio, in one run.
//
//   feature_throughput [IMAGE_FOLDER] [MAX_IMAGES]
//
// Default folder: ../shared/datasets/wang1k. Without it, 200 generated
// 384×256 JPEGs (in a temporary folder) are used instead and the output says so.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/files.h"
#include "common/parallel.h"
#include "eval/feature_matrix.h"
#include "features/feature.h"
#include "image/encode.h"

namespace fs = std::filesystem;
using namespace lookalike;
using namespace lookalike::cli;

namespace {

constexpr int kRounds = 3;

std::vector<fs::path> generated_images(const fs::path& folder, int count) {
  std::vector<fs::path> files;
  for (int i = 0; i < count; ++i) {
    Image image(384, 256);
    for (int y = 0; y < image.height; ++y)
      for (int x = 0; x < image.width; ++x) {
        std::uint8_t* p = image.at(x, y);
        p[0] = std::uint8_t((x * 7 + i * 13) & 255);
        p[1] = std::uint8_t((y * 5 + i * 29) & 255);
        p[2] = std::uint8_t(((x ^ y) + i) & 255);
      }
    const auto jpeg = encode_jpeg(image, 85);
    files.push_back(folder / (std::to_string(i) + ".jpg"));
    write_file_atomic(files.back(), jpeg.data(), jpeg.size());
  }
  return files;
}

double images_per_second(const std::vector<fs::path>& files, const std::vector<std::unique_ptr<Feature>>& features,
                         unsigned threads) {
  const auto start = std::chrono::steady_clock::now();
  const FeatureExtraction result = extract_features(files, features, threads, false);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::size_t failed = 0;
  for (bool ok : result.ok) failed += ok ? 0 : 1;
  if (failed) std::fprintf(stderr, "warning: %zu image(s) failed to decode\n", failed);
  return double(files.size()) / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const fs::path folder = argc > 1 ? fs::path(argv[1]) : fs::path(LOOKALIKE_SHARED_DIR) / "datasets" / "wang1k";
    const std::size_t limit = argc > 2 ? std::stoul(argv[2]) : 0;
    std::vector<fs::path> files;
    fs::path temporary;
    std::string source;
    std::error_code ec;
    if (fs::is_directory(folder, ec)) {
      files = list_image_files(folder);
      source = folder.string();
    } else {
      temporary = fs::temp_directory_path() / ("lookalike-bench-" + std::to_string(::getpid()));
      files = generated_images(temporary, 200);
      source = "200 generated 384x256 JPEGs (" + folder.string() + " not found)";
    }
    if (limit > 0 && files.size() > limit) files.resize(limit);
    if (files.empty()) {
      std::fprintf(stderr, "no images in %s\n", source.c_str());
      return 1;
    }
    std::vector<std::unique_ptr<Feature>> features;
    std::string names;
    for (const auto& name : traditional_feature_names()) {
      features.push_back(make_feature(name));
      names += (names.empty() ? "" : ", ") + features.back()->spec();
    }
    // Read every file once first, so neither timed pass pays for the disk.
    std::size_t bytes = 0;
    for (const auto& f : files) bytes += read_file(f).size();
    const unsigned all = thread_count();
    std::printf("decode + features (%s) over %zu images (%.1f MB) of %s\n", names.c_str(), files.size(), double(bytes) / 1e6,
                source.c_str());
    // Interleaved rounds, best of each: other load on a shared machine only
    // ever slows a round down.
    double single = 0, multi = 0;
    for (int round = 0; round < kRounds; ++round) {
      single = std::max(single, images_per_second(files, features, 1));
      multi = std::max(multi, images_per_second(files, features, all));
    }
    std::printf("1 thread:   %8.1f images/s (best of %d)\n", single, kRounds);
    std::printf("%u threads:  %8.1f images/s (best of %d)\n", all, multi, kRounds);
    std::printf("ratio %u threads / 1 thread: %.2f\n", all, multi / single);
    if (!temporary.empty()) fs::remove_all(temporary, ec);
    return 0;
  } catch (const Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
