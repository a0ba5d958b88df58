// Phone-size photos, natively: decoding + preprocessing with the decode
// need (a JPEG decoded at 1/2, 1/4 or 1/8 in the DCT domain, then the area
// filter) against a full-size decode followed by the same preprocessing,
// and how far the reduced result lies from the full one, in one run.
//
// Photos: 12 megapixels (4032×3024), 2 (1632×1224) and 1 (1152×864), each
// baseline and progressive, 4:2:0, quality 92, the progressive ones with
// EXIF orientation 6 as a phone writes a portrait photo. Made from a real
// large photo when --photo names one (its centre 4:3 window, scaled to
// 4032×3024 if needed), else from tests/support/test_photos.h's mosaic of
// darknet's photos at their own resolution. The smaller sizes are the 12-MP
// picture scaled down (bicubic), as a phone set to a lower resolution.
//
// Consumers: the MobileNetV2 and CLIP cards (models/), colour-texture,
// colour and pixels. For each photo and consumer: the median over --runs of
// decode and preprocess (or feature) time, full size and reduced, and their
// ratio; for the cards, the mean and largest difference of the reduced
// tensor from the full-decode tensor in pixel levels; for the features, the
// cosine of the two vectors.
//
//   decode_bench [--photo FILE] [--runs N] [--write DIR]
//
// --write DIR writes the photos there instead of measuring
// (bench/decode_latency_web.mjs measures the page with them).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bench_args.h"
#include "lookalike/features/feature.h"
#include "lookalike/image/decode.h"
#include "lookalike/image/resize.h"
#include "lookalike/model/model_card.h"
#include "lookalike/model/preprocess.h"
#include "support/test_images.h"
#include "support/test_photos.h"

using namespace lookalike;
using namespace lookalike::testing;
namespace fs = std::filesystem;

namespace {

struct Options {
  std::string photo;
  int runs = 7;
  std::string write;
};

constexpr const char* kUsage =
    "usage: decode_bench [--photo FILE] [--runs N] [--write DIR]\n"
    "Decode + preprocess of 1, 2 and 12 megapixel JPEGs (baseline, progressive + EXIF 6) for the\n"
    "MobileNetV2 and CLIP cards and the traditional features: full-size decode against the decode\n"
    "need (reduced decode), median of N runs (default 7), and the difference of the results.\n"
    "--photo: a real large photo to make them from (default: a mosaic of darknet's photos).\n"
    "--write DIR: write the photos to DIR and stop.";

Options parse(int argc, char** argv) {
  Options o;
  BenchArgs args("decode_bench", argc, argv, kUsage);
  while (args.next()) {
    if (args.is("--photo"))
      o.photo = args.value();
    else if (args.is("--runs"))
      o.runs = int(args.positive_integer());
    else if (args.is("--write"))
      o.write = args.value();
    else
      args.unknown();
  }
  return o;
}

struct Photo {
  std::string name;
  Bytes jpeg;
};

// The 12-MP picture: a real photo's centre 4:3 window, or the darknet mosaic.
Image twelve_megapixels(const std::string& photo, std::string& source) {
  if (photo.empty()) {
    source = "a mosaic of darknet's photos at their own resolution (tests/support/test_photos.h)";
    return photo_mosaic(4032, 3024);
  }
  const Bytes bytes = read_file(photo);
  const Image image = decode_image(bytes.data(), bytes.size()).image;
  const int width = std::min(image.width, image.height * 4 / 3), height = width * 3 / 4;
  const Image window = centre_crop(image, width, height, CropRounding::Floor);
  source = photo + " (" + std::to_string(image.width) + "×" + std::to_string(image.height) + "), its centre " +
           std::to_string(width) + "×" + std::to_string(height) +
           (width == 4032 ? "" : " scaled to 4032×3024 (bicubic)");
  return width == 4032 ? window : resize(window, 4032, 3024, ResizeFilter::Bicubic);
}

std::vector<Photo> make_photos(const Image& twelve) {
  std::vector<Photo> photos;
  struct Size {
    const char* name;
    int width, height;
  };
  for (const Size& s : {Size{"12mp", 4032, 3024}, Size{"2mp", 1632, 1224}, Size{"1mp", 1152, 864}}) {
    const Image image = s.width == 4032 ? twelve : resize(twelve, s.width, s.height, ResizeFilter::Bicubic);
    photos.push_back({std::string(s.name) + "-baseline", encode_camera_jpeg(image, {92, false})});
    photos.push_back(
        {std::string(s.name) + "-progressive-exif6", with_exif_orientation(encode_camera_jpeg(image, {92, true}), 6)});
  }
  return photos;
}

double thread_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

// Median wall and CPU milliseconds of `work` over `runs` runs: on a shared
// machine the CPU time is the steadier figure (wall time includes waiting
// for a core); on a quiet one they agree.
struct Time {
  double wall = 0, cpu = 0;
  Time operator+(const Time& o) const { return {wall + o.wall, cpu + o.cpu}; }
};

Time median_ms(int runs, const std::function<void()>& work) {
  std::vector<double> walls, cpus;
  for (int r = 0; r < runs; ++r) {
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = thread_cpu_ms();
    work();
    cpus.push_back(thread_cpu_ms() - cpu_start);
    walls.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(walls.begin(), walls.end());
  std::sort(cpus.begin(), cpus.end());
  return {walls[walls.size() / 2], cpus[cpus.size() / 2]};
}

DecodedImage decode(const Bytes& jpeg, const DecodeNeed& need) {
  DecodeOptions options;
  options.need = need;
  return decode_image(jpeg.data(), jpeg.size(), options);
}

// A consumer: what it needs of the image, and what it makes of it.
struct Consumer {
  std::string name;
  DecodeNeed need;
  std::function<std::vector<float>(const Image&)> compute;
  const ModelCard* card = nullptr;  // set for a model card: compare in pixel levels
};

void compare(const std::vector<float>& reduced, const std::vector<float>& full, const Consumer& c, char* out,
             std::size_t size) {
  if (c.card) {
    const std::size_t plane = reduced.size() / 3;
    double sum = 0, largest = 0;
    for (std::size_t i = 0; i < reduced.size(); ++i) {
      const double level = std::abs(double(reduced[i]) - full[i]) * c.card->stddev[i / plane] * c.card->scale;
      sum += level;
      largest = std::max(largest, level);
    }
    std::snprintf(out, size, "%.2f / %.1f levels", sum / double(reduced.size()), largest);
    return;
  }
  double dot = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < reduced.size(); ++i) {
    dot += double(reduced[i]) * full[i];
    aa += double(reduced[i]) * reduced[i];
    bb += double(full[i]) * full[i];
  }
  std::snprintf(out, size, "cosine %.5f", dot / std::sqrt(aa * bb));
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  try {
    std::string source;
    const std::vector<Photo> photos = make_photos(twelve_megapixels(options.photo, source));
    if (!options.write.empty()) {
      fs::create_directories(options.write);
      for (const Photo& p : photos)
        std::ofstream(fs::path(options.write) / (p.name + ".jpg"), std::ios::binary)
            .write(reinterpret_cast<const char*>(p.jpeg.data()), std::streamsize(p.jpeg.size()));
      std::printf("wrote %zu photos to %s (from %s)\n", photos.size(), options.write.c_str(), source.c_str());
      return 0;
    }
    const fs::path models = fs::path(LOOKALIKE_SOURCE_DIR) / "models";
    const ModelCard mobilenet = parse_model_card(read_text_file((models / "mobilenetv2-int8.json").string()));
    const ModelCard clip = parse_model_card(read_text_file((models / "clip-vit-b32.json").string()));
    std::vector<Consumer> consumers = {
        {"MobileNetV2 card", decode_need(mobilenet), [&](const Image& i) { return preprocess_for_model(i, mobilenet); },
         &mobilenet},
        {"CLIP card", decode_need(clip), [&](const Image& i) { return preprocess_for_model(i, clip); }, &clip},
    };
    for (const std::string& spec : traditional_feature_names()) {
      std::shared_ptr<Feature> feature = make_feature(spec);
      consumers.push_back({spec, feature->decode_need(), [feature](const Image& i) { return feature->compute(i); }});
    }

    std::printf(
        "Photos: %s; JPEG quality 92, 4:2:0. Median of %d runs, one thread; wall time, and in\n"
        "parentheses the thread's CPU time.\n\n",
        source.c_str(), options.runs);
    std::printf(
        "| photo | bytes | consumer | decoded at | full: decode + preprocess ms (CPU) | reduced: decode + "
        "preprocess ms (CPU) | speedup (CPU) | reduced vs full |\n|---|---:|---|---|---:|---:|---:|---|\n");
    for (const Photo& photo : photos) {
      for (const Consumer& c : consumers) {
        std::vector<float> full_result, reduced_result;
        Image full_image, reduced_image;
        const DecodedImage probe = decode(photo.jpeg, c.need);
        const Time full_decode = median_ms(options.runs, [&] { full_image = decode(photo.jpeg, {}).image; });
        const Time full_pre = median_ms(options.runs, [&] { full_result = c.compute(full_image); });
        const Time reduced_decode = median_ms(options.runs, [&] { reduced_image = decode(photo.jpeg, c.need).image; });
        const Time reduced_pre = median_ms(options.runs, [&] { reduced_result = c.compute(reduced_image); });
        const Time full = full_decode + full_pre, reduced = reduced_decode + reduced_pre;
        char difference[64];
        compare(reduced_result, full_result, c, difference, sizeof difference);
        std::printf(
            "| %s | %zu | %s | %d×%d (1/%d: DCT 1/%d) | %.1f + %.1f = %.1f (%.1f) | %.1f + %.1f = %.1f (%.1f) | "
            "%.1f× (%.1f×) | %s |\n",
            photo.name.c_str(), photo.jpeg.size(), c.name.c_str(), probe.image.width, probe.image.height,
            probe.reduction, probe.jpeg_scale, full_decode.wall, full_pre.wall, full.wall, full.cpu,
            reduced_decode.wall, reduced_pre.wall, reduced.wall, reduced.cpu, full.wall / reduced.wall,
            full.cpu / reduced.cpu, difference);
      }
    }
    std::printf(
        "\n\"reduced vs full\": for the cards, the mean / largest difference of the tensor from the\n"
        "full-decode tensor in pixel levels (Pillow's reference: tests/models/preprocess_reference_test);\n"
        "for the features, the cosine of the two vectors.\n");
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "decode_bench: %s\n", e.what());
    return 1;
  }
}
