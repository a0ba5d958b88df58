// Native reference outputs for the WASM parity tests (tests/wasm/*.test.mjs).
//
//   wasm_parity_reference OUT_DIR [PHOTO_DIR]
//
// Writes the test inputs (generated images of every format the core decodes,
// images the core must refuse, and the photos of PHOTO_DIR, by default
// Debian darknet's /usr/share/darknet/data/*.jpg) and what the native build
// makes of them: decoded pixels, model tensors for a few model cards,
// features, L2-normalised features, exact search results for every feature ×
// metric, and error messages. OUT_DIR/manifest.json lists everything; the
// Node tests run the same inputs through the WASM module and compare.
// Binary outputs are raw little-endian arrays (both targets are little-endian).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <stb/stb_image_write.h>

#include "common/error.h"
#include "features/feature.h"
#include "image/decode.h"
#include "image/encode.h"
#include "metrics/kernels.h"
#include "metrics/metric.h"
#include "model/model_card.h"
#include "model/preprocess.h"
#include "search/exact_search.h"
#include "support/test_images.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace lookalike;
using namespace lookalike::testing;

namespace {

const char* kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::InvalidArgument: return "invalid-argument";
    case ErrorKind::Unsupported: return "unsupported";
    case ErrorKind::Corrupt: return "corrupt";
    case ErrorKind::TooLarge: return "too-large";
    case ErrorKind::Io: return "io";
  }
  return "internal";
}

void write_bytes(const fs::path& path, const void* data, std::size_t size) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

template <class T>
void write_array(const fs::path& path, const std::vector<T>& values) {
  write_bytes(path, values.data(), values.size() * sizeof(T));
}

Bytes encode_with(int (*writer)(stbi_write_func*, void*, int, int, int, const void*), const Image& image) {
  Bytes out;
  auto append = [](void* ctx, void* data, int size) {
    auto* b = static_cast<Bytes*>(ctx);
    b->insert(b->end(), static_cast<std::uint8_t*>(data), static_cast<std::uint8_t*>(data) + size);
  };
  if (!writer(append, &out, image.width, image.height, 3, image.rgb.data())) throw std::runtime_error("stb write failed");
  return out;
}

struct Input {
  std::string name;  // file name under inputs/
  Bytes bytes;
  std::string note;
};

// Every format and variant the core decodes, in sizes that exercise the
// resize paths (odd, tall, wide, tiny, larger than a model input).
std::vector<Input> generated_inputs(Bytes& rgba_samples, int& rgba_width, int& rgba_height) {
  std::vector<Input> inputs;
  inputs.push_back({"pattern-rgb.png", encode_png(make_pattern(97, 61, 1)), "PNG RGB 8-bit"});
  inputs.push_back({"pattern-large.png", encode_png(make_pattern(640, 480, 2)), "PNG larger than the model inputs"});
  inputs.push_back({"pattern-tall.bmp", encode_with(stbi_write_bmp_to_func, make_pattern(33, 257, 3)), "BMP, tall"});
  inputs.push_back({"pattern-wide.tga", encode_with(stbi_write_tga_to_func, make_pattern(301, 40, 4)), "TGA, wide"});
  inputs.push_back({"pattern.jpg", encode_jpeg(make_pattern(320, 240, 5), 90), "JPEG baseline"});
  inputs.push_back({"pattern-q50.jpg", encode_jpeg(make_pattern(255, 129, 6), 50), "JPEG quality 50"});
  inputs.push_back({"exif-6.jpg", with_exif_orientation(encode_jpeg(make_pattern(120, 80, 7), 92), 6), "JPEG, EXIF orientation 6"});
  inputs.push_back({"exif-3-be.jpg", with_exif_orientation(encode_jpeg(make_pattern(90, 70, 8), 92), 3, true),
                    "JPEG, EXIF orientation 3, big-endian TIFF header"});
  inputs.push_back({"exif-8.jpg", with_exif_orientation(encode_jpeg(make_pattern(64, 100, 9), 92), 8), "JPEG, EXIF orientation 8"});
  inputs.push_back({"tiny-1x1.png", encode_png(solid(1, 1, 200, 30, 90)), "PNG 1×1"});
  inputs.push_back({"solid-grey.bmp", encode_with(stbi_write_bmp_to_func, solid(50, 50, 128, 128, 128)), "BMP, one colour (no variance)"});
  {
    const int w = 40, h = 30;
    Bytes grey(std::size_t(w) * h);
    for (std::size_t i = 0; i < grey.size(); ++i) grey[i] = std::uint8_t((i * 7) % 256);
    inputs.push_back({"grey.png", encode_png_raw(w, h, 0, 8, grey), "PNG grey 8-bit"});
    Bytes grey16(std::size_t(w) * h * 2);
    for (std::size_t i = 0; i < grey16.size(); ++i) grey16[i] = std::uint8_t((i * 13) % 256);
    inputs.push_back({"grey16.png", encode_png_raw(w, h, 0, 16, grey16), "PNG grey 16-bit"});
  }
  {
    rgba_width = 45;
    rgba_height = 35;
    rgba_samples.assign(std::size_t(rgba_width) * rgba_height * 4, 0);
    const Image base = make_pattern(rgba_width, rgba_height, 10);
    for (std::size_t i = 0; i < base.pixel_count(); ++i) {
      for (int c = 0; c < 3; ++c) rgba_samples[i * 4 + c] = base.rgb[i * 3 + c];
      rgba_samples[i * 4 + 3] = std::uint8_t((i * 37) % 256);
    }
    inputs.push_back({"alpha.png", encode_png_raw(rgba_width, rgba_height, 6, 8, rgba_samples), "PNG RGBA (alpha on white)"});
  }
  {
    const int w = 48, h = 36;
    Bytes palette;
    for (int i = 0; i < 256; ++i) palette.insert(palette.end(), {std::uint8_t(i), std::uint8_t(255 - i), std::uint8_t((i * 5) % 256)});
    Bytes indices(std::size_t(w) * h);
    for (std::size_t i = 0; i < indices.size(); ++i) indices[i] = std::uint8_t((i / 3 + i % 7) % 256);
    Bytes alpha(16);
    for (std::size_t i = 0; i < alpha.size(); ++i) alpha[i] = std::uint8_t(i * 16);
    inputs.push_back({"palette.png", encode_png_raw(w, h, 3, 8, indices, palette, alpha), "PNG palette with transparency"});
    inputs.push_back({"frames.gif", encode_gif(w, h, palette, indices, 2), "GIF, two frames (first is used)"});
  }
  return inputs;
}

// Inputs the core must refuse; the WASM module must refuse them with the same message.
std::vector<Input> bad_inputs() {
  std::vector<Input> inputs;
  const Bytes jpeg = encode_jpeg(make_pattern(64, 48), 90);
  inputs.push_back({"truncated.jpg", Bytes(jpeg.begin(), jpeg.begin() + std::ptrdiff_t(jpeg.size() / 2)), "JPEG cut in half"});
  const Bytes png = encode_png(make_pattern(30, 20));
  inputs.push_back({"truncated.png", Bytes(png.begin(), png.end() - 20), "PNG without its end"});
  Bytes noise(3000);
  for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = std::uint8_t((i * 2654435761u) >> 13);
  inputs.push_back({"noise.bin", noise, "random bytes"});
  inputs.push_back({"text.txt", Bytes{'n', 'o', 't', ' ', 'a', 'n', ' ', 'i', 'm', 'a', 'g', 'e'}, "text"});
  inputs.push_back({"header.webp", Bytes{'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' '}, "WebP header"});
  inputs.push_back({"header.heic", Bytes{0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c'}, "HEIC header"});
  Bytes huge = encode_png(solid(1, 1, 1, 2, 3));
  for (int i = 0; i < 4; ++i) huge[16 + i] = huge[20 + i] = std::uint8_t(100000u >> (24 - 8 * i));
  inputs.push_back({"huge-header.png", huge, "PNG claiming 100000×100000"});
  return inputs;
}

// Model cards covering both resize modes, every filter and both channel orders.
std::vector<std::pair<std::string, std::string>> model_cards() {
  return {
      {"imagenet-crop", R"({"schema":1,"name":"imagenet-crop","model":{"file":"m.onnx"},
         "input":{"name":"input","width":224,"height":224,
                  "resize":{"mode":"shortest-side-crop","shortest_side":256,"filter":"bilinear"},
                  "mean":[0.485,0.456,0.406],"std":[0.229,0.224,0.225]},
         "output":{"name":"embedding","dim":1280}})"},
      {"bicubic-bgr", R"({"schema":1,"name":"bicubic-bgr","model":{"file":"m.onnx"},
         "input":{"name":"pixels","width":64,"height":48,"channel_order":"BGR","scale":1,
                  "resize":{"mode":"exact","filter":"bicubic"},
                  "mean":[127.5,127.5,127.5],"std":[64,64,64]},
         "output":{"name":"out","dim":8,"l2_normalize":false}})"},
      {"box-square", R"({"schema":1,"name":"box-square","model":{"file":"m.onnx"},
         "input":{"name":"x","width":32,"height":32,
                  "resize":{"mode":"shortest-side-crop","shortest_side":40,"filter":"box"},
                  "mean":[0.5,0.5,0.5],"std":[0.5,0.5,0.5]},
         "output":{"name":"y","dim":16}})"},
  };
}

std::vector<std::string> feature_specs() {
  std::vector<std::string> specs;
  for (const auto& name : traditional_feature_names()) specs.push_back(make_feature(name)->spec());
  specs.push_back(make_feature("pixels:size=16")->spec());
  specs.push_back(make_feature("colour:bins=4x4x4")->spec());
  return specs;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3 || std::string(argv[1]) == "--help") {
    std::cerr << "usage: wasm_parity_reference OUT_DIR [PHOTO_DIR]\n"
                 "Writes inputs and native reference outputs for the WASM parity tests.\n";
    return argc >= 2 && std::string(argv[1]) == "--help" ? 0 : 2;
  }
  try {
    const fs::path out_dir = argv[1];
    const fs::path photo_dir = argc == 3 ? fs::path(argv[2]) : fs::path("/usr/share/darknet/data");
    fs::remove_all(out_dir);
    fs::create_directories(out_dir / "inputs");

    json manifest;
    manifest["skipped"] = json::array();
    Bytes rgba_samples;
    int rgba_width = 0, rgba_height = 0;
    std::vector<Input> inputs = generated_inputs(rgba_samples, rgba_width, rgba_height);
    write_array(out_dir / "inputs" / "alpha.rgba", rgba_samples);
    manifest["rgba"] = {{"file", "inputs/alpha.rgba"}, {"width", rgba_width}, {"height", rgba_height}, {"decoded", "alpha.png"}};

    std::vector<fs::path> photos;
    if (fs::is_directory(photo_dir))
      for (const auto& entry : fs::directory_iterator(photo_dir))
        if (entry.path().extension() == ".jpg") photos.push_back(entry.path());
    std::sort(photos.begin(), photos.end());
    if (photos.empty()) manifest["skipped"].push_back("photos: no *.jpg in " + photo_dir.string() + " (Debian package darknet)");
    for (const auto& photo : photos) inputs.push_back({"photo-" + photo.filename().string(), read_file(photo.string()), "photo"});
    for (auto& bad : bad_inputs()) inputs.push_back(std::move(bad));

    const auto cards = model_cards();
    for (const auto& [name, text] : cards) manifest["cards"][name] = text;
    const std::vector<std::string> specs = feature_specs();
    manifest["features"] = specs;

    // features[spec] holds the rows of every decodable image, in input order.
    std::map<std::string, std::vector<float>> rows;
    std::map<std::string, std::size_t> dims;
    std::vector<std::string> decodable;
    manifest["images"] = json::array();
    for (const Input& input : inputs) {
      write_array(out_dir / "inputs" / input.name, input.bytes);
      json entry = {{"name", input.name}, {"file", "inputs/" + input.name}, {"note", input.note}};
      try {
        const DecodedImage d = decode_image(input.bytes.data(), input.bytes.size());
        entry["ok"] = true;
        entry["width"] = d.image.width;
        entry["height"] = d.image.height;
        entry["format"] = format_name(d.format);
        entry["orientation"] = d.exif_orientation;
        entry["storedWidth"] = d.stored_width;
        entry["storedHeight"] = d.stored_height;
        entry["hadAlpha"] = d.had_alpha;
        entry["rgb"] = "decoded/" + input.name + ".rgb";
        write_array(out_dir / "decoded" / (input.name + ".rgb"), d.image.rgb);
        for (const auto& [card_name, card_text] : cards) {
          const std::vector<float> tensor = preprocess_for_model(d.image, parse_model_card(card_text));
          const std::string file = "tensors/" + input.name + "." + card_name + ".f32";
          write_array(out_dir / file, tensor);
          entry["tensors"][card_name] = file;
        }
        for (const std::string& spec : specs) {
          const auto feature = make_feature(spec);
          std::vector<float> vector = feature->compute(d.image);
          const std::string slug = feature_slug(spec);
          const std::string file = "features/" + input.name + "." + slug + ".f32";
          write_array(out_dir / file, vector);
          entry["features"][spec] = file;
          rows[spec].insert(rows[spec].end(), vector.begin(), vector.end());
          dims[spec] = vector.size();
          l2_normalize(vector);
          const std::string normalised = "features/" + input.name + "." + slug + ".l2.f32";
          write_array(out_dir / normalised, vector);
          entry["normalised"][spec] = normalised;
        }
        decodable.push_back(input.name);
      } catch (const Error& e) {
        entry["ok"] = false;
        entry["kind"] = kind_name(e.kind());
        entry["error"] = e.what();
      }
      manifest["images"].push_back(entry);
    }

    // Exact search: the collection is every decodable image (id = position),
    // each image is a query, for every feature × metric; plus a label filter
    // (label = id % 3, restricted to label 1) and k larger than the collection.
    // Ranked once per native kernel set: the SSE2 set pairs its sums exactly
    // as WASM SIMD128 does, the best set (AVX2 here) is what the tools use.
    manifest["collection"] = decodable;
    manifest["searches"] = json::array();
    const std::size_t n = decodable.size();
    for (const Kernels* kernels : available_kernels()) manifest["kernels"].push_back(kernels->name);
    manifest["bestKernels"] = best_kernels().name;
    for (const std::string& spec : specs) {
      const std::size_t dim = dims[spec];
      for (Metric metric : kAllMetrics) {
        for (std::size_t q = 0; q < n; ++q) {
          const float* query = rows[spec].data() + q * dim;
          struct Case {
            const char* name;
            std::size_t k;
            int label;
          };
          for (const Case c : {Case{"top10", 10, -1}, Case{"label1", 5, 1}, Case{"all", n + 5, -1}}) {
            json result = {{"feature", spec}, {"metric", metric_name(metric)}, {"query", q}, {"case", c.name},
                           {"k", c.k}, {"label", c.label}};
            for (const Kernels* kernels : available_kernels()) {
              // exact_search's own loop, with the kernel set chosen.
              std::vector<Hit> hits;
              for (std::size_t row = 0; row < n; ++row)
                if (c.label < 0 || int(row % 3) == c.label)
                  hits.push_back({std::uint32_t(row), metric_value(metric, query, rows[spec].data() + row * dim, dim, *kernels)});
              keep_top_k(hits, metric, c.k);
              json ranked = {{"ids", json::array()}, {"scores", json::array()}};
              for (const Hit& h : hits) {
                ranked["ids"].push_back(h.id);
                ranked["scores"].push_back(h.score);
              }
              result["by"][kernels->name] = ranked;
            }
            // The tools' own search path must agree with the best set.
            ExactSearchOptions options;
            if (c.label >= 0) options.accept = [&](std::size_t row) { return int(row % 3) == c.label; };
            const auto hits = exact_search(metric, query, rows[spec].data(), n, dim, c.k, options);
            for (std::size_t i = 0; i < hits.size(); ++i)
              if (hits[i].id != result["by"][best_kernels().name]["ids"][i].get<std::uint32_t>())
                throw std::runtime_error("exact_search disagrees with its own kernels");
            manifest["searches"].push_back(result);
          }
        }
      }
    }

    std::ofstream(out_dir / "manifest.json") << manifest.dump(1);
    std::cout << "wrote " << inputs.size() << " inputs, " << manifest["searches"].size() << " searches to " << out_dir
              << "\n";
    for (const auto& s : manifest["skipped"]) std::cout << "skipped " << s.get<std::string>() << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "wasm_parity_reference: " << e.what() << "\n";
    return 1;
  }
}
