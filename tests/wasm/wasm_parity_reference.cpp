// Native reference outputs for the WASM parity tests (tests/wasm/*.test.mjs).
//
//   wasm_parity_reference OUT_DIR [PHOTO_DIR]
//
// Writes the test inputs (generated images of every format the core decodes,
// images the core must refuse, the photos of PHOTO_DIR, by default Debian
// darknet's /usr/share/darknet/data/*.jpg, and two 12-megapixel phone-like
// JPEGs made of them, baseline and progressive, tests/support/test_photos.h)
// and what the native build makes of them: decoded pixels (at full size, and
// at the size each feature's and card's decode need gives), model tensors
// for a few model cards and features, each from the decode for its own need
// as the CLI computes them, L2-normalised features, error messages, and index bundles with
// the native VectorIndex's answers: a flat bundle of the images' features for
// every feature × metric, bundles of every kind × element type × metric over
// synthetic vectors, and broken bundles with the loader's messages.
// OUT_DIR/manifest.json lists everything; the Node tests run the same inputs
// and bundles through the WASM module and compare.
// Binary outputs are raw little-endian arrays (both targets are little-endian).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <stb/stb_image_write.h>
#include <nlohmann/json.hpp>

#include "lookalike/common/error.h"
#include "lookalike/features/feature.h"
#include "lookalike/image/decode.h"
#include "lookalike/image/encode.h"
#include "lookalike/index/index_config.h"
#include "lookalike/index/partitioned_index.h"
#include "lookalike/index/vector_index.h"
#include "lookalike/metrics/kernels.h"
#include "lookalike/metrics/metric.h"
#include "lookalike/model/model_card.h"
#include "lookalike/model/preprocess.h"
#include "support/clustered_vectors.h"
#include "support/hits_json.h"
#include "support/partitioned_build.h"
#include "support/test_images.h"
#include "support/test_photos.h"

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
  if (!writer(append, &out, image.width, image.height, 3, image.rgb.data()))
    throw std::runtime_error("stb write failed");
  return out;
}

struct Input {
  std::string name;  // file name under inputs/
  Bytes bytes;
  std::string note;
  bool large = false;  // its full-size pixels are not written (36 MB), only its reduced decodes
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
  inputs.push_back(
      {"exif-6.jpg", with_exif_orientation(encode_jpeg(make_pattern(120, 80, 7), 92), 6), "JPEG, EXIF orientation 6"});
  inputs.push_back({"exif-3-be.jpg", with_exif_orientation(encode_jpeg(make_pattern(90, 70, 8), 92), 3, true),
                    "JPEG, EXIF orientation 3, big-endian TIFF header"});
  inputs.push_back(
      {"exif-8.jpg", with_exif_orientation(encode_jpeg(make_pattern(64, 100, 9), 92), 8), "JPEG, EXIF orientation 8"});
  inputs.push_back({"tiny-1x1.png", encode_png(solid(1, 1, 200, 30, 90)), "PNG 1×1"});
  inputs.push_back({"solid-grey.bmp", encode_with(stbi_write_bmp_to_func, solid(50, 50, 128, 128, 128)),
                    "BMP, one colour (no variance)"});
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
    inputs.push_back(
        {"alpha.png", encode_png_raw(rgba_width, rgba_height, 6, 8, rgba_samples), "PNG RGBA (alpha on white)"});
  }
  {
    const int w = 48, h = 36;
    Bytes palette;
    for (int i = 0; i < 256; ++i)
      palette.insert(palette.end(), {std::uint8_t(i), std::uint8_t(255 - i), std::uint8_t((i * 5) % 256)});
    Bytes indices(std::size_t(w) * h);
    for (std::size_t i = 0; i < indices.size(); ++i) indices[i] = std::uint8_t((i / 3 + i % 7) % 256);
    Bytes alpha(16);
    for (std::size_t i = 0; i < alpha.size(); ++i) alpha[i] = std::uint8_t(i * 16);
    inputs.push_back(
        {"palette.png", encode_png_raw(w, h, 3, 8, indices, palette, alpha), "PNG palette with transparency"});
    inputs.push_back({"frames.gif", encode_gif(w, h, palette, indices, 2), "GIF, two frames (first is used)"});
  }
  return inputs;
}

// Inputs the core must refuse; the WASM module must refuse them with the same message.
std::vector<Input> bad_inputs() {
  std::vector<Input> inputs;
  const Bytes jpeg = encode_jpeg(make_pattern(64, 48), 90);
  inputs.push_back(
      {"truncated.jpg", Bytes(jpeg.begin(), jpeg.begin() + std::ptrdiff_t(jpeg.size() / 2)), "JPEG cut in half"});
  const Bytes png = encode_png(make_pattern(30, 20));
  inputs.push_back({"truncated.png", Bytes(png.begin(), png.end() - 20), "PNG without its end"});
  Bytes noise(3000);
  for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = std::uint8_t((i * 2654435761u) >> 13);
  inputs.push_back({"noise.bin", noise, "random bytes"});
  inputs.push_back({"text.txt", Bytes{'n', 'o', 't', ' ', 'a', 'n', ' ', 'i', 'm', 'a', 'g', 'e'}, "text"});
  inputs.push_back(
      {"header.webp", Bytes{'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' '}, "WebP header"});
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
                  "resize":{"mode":"shortest-side-crop","shortest_side":256,"filter":"bilinear",
                            "crop_rounding":"half-even"},
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

DecodedImage decode_for(const Input& input, const DecodeNeed& need) {
  DecodeOptions options;
  options.need = need;
  return decode_image(input.bytes.data(), input.bytes.size(), options);
}

json need_json(const DecodeNeed& need) {
  return {{"shorterSide", need.shorter_side}, {"longerSide", need.longer_side}};
}

// One decodable input: its full decode's facts and pixels, its decode for
// every need, the cards' tensors and the features, each from the decode for
// its own need (as the CLI and the page compute them).
void write_image_entry(const fs::path& out_dir, const Input& input,
                       const std::vector<std::pair<std::string, std::string>>& cards,
                       const std::vector<std::string>& specs, const std::vector<DecodeNeed>& needs, json& entry,
                       std::map<std::string, std::vector<float>>& rows, std::map<std::string, std::size_t>& dims) {
  {
    const DecodedImage d = decode_for(input, {});
    entry["ok"] = true;
    entry["width"] = d.image.width;
    entry["height"] = d.image.height;
    entry["format"] = format_name(d.format);
    entry["orientation"] = d.exif_orientation;
    entry["storedWidth"] = d.stored_width;
    entry["storedHeight"] = d.stored_height;
    entry["hadAlpha"] = d.had_alpha;
    entry["large"] = input.large;
    if (!input.large) {
      entry["rgb"] = "decoded/" + input.name + ".rgb";
      write_array(out_dir / "decoded" / (input.name + ".rgb"), d.image.rgb);
    }
  }
  entry["decodes"] = json::array();
  for (std::size_t n = 0; n < needs.size(); ++n) {
    const DecodedImage d = decode_for(input, needs[n]);
    const std::string file = "decoded/" + input.name + ".need" + std::to_string(n) + ".rgb";
    write_array(out_dir / file, d.image.rgb);
    entry["decodes"].push_back({{"need", need_json(needs[n])},
                                {"reduction", d.reduction},
                                {"jpegScale", d.jpeg_scale},
                                {"width", d.image.width},
                                {"height", d.image.height},
                                {"rgb", file}});
  }
  for (const auto& [card_name, card_text] : cards) {
    const ModelCard card = parse_model_card(card_text);
    const std::vector<float> tensor = preprocess_for_model(decode_for(input, decode_need(card)).image, card);
    const std::string file = "tensors/" + input.name + "." + card_name + ".f32";
    write_array(out_dir / file, tensor);
    entry["tensors"][card_name] = file;
  }
  for (const std::string& spec : specs) {
    const auto feature = make_feature(spec);
    std::vector<float> vector = feature->compute(decode_for(input, feature->decode_need()).image);
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
}

// Saves `index`, writes the bytes, and returns the index as loaded back from
// them: the answers recorded are those of the very bytes the WASM side reads.
VectorIndex write_bundle(const fs::path& out_dir, const std::string& file, const VectorIndex& index) {
  const std::vector<std::uint8_t> bytes = index.save();
  write_array(out_dir / file, bytes);
  return VectorIndex::load(bytes.data(), bytes.size());
}

void write_collection_bundles(const fs::path& out_dir, const std::vector<std::string>& specs,
                              std::map<std::string, std::vector<float>>& rows, std::map<std::string, std::size_t>& dims,
                              std::size_t n, json& manifest) {
  manifest["searches"] = json::array();
  manifest["collectionBundles"] = json::array();
  std::vector<std::uint32_t> ids(n);
  for (std::size_t i = 0; i < n; ++i) ids[i] = std::uint32_t(i);
  for (const std::string& spec : specs) {
    const std::size_t dim = dims[spec];
    for (Metric metric : kAllMetrics) {
      IndexConfig config;
      config.feature_spec = spec;
      config.feature_version = make_feature(spec)->version();
      config.metric = metric;
      config.dim = std::uint32_t(dim);
      config.kind = IndexKind::Flat;
      VectorIndex built(config);
      built.add_many(ids.data(), rows[spec].data(), n);
      const std::string file = "bundles/collection." + feature_slug(spec) + "." + metric_name(metric) + ".lkx";
      const VectorIndex index = write_bundle(out_dir, file, built);
      manifest["collectionBundles"].push_back({{"feature", spec}, {"metric", metric_name(metric)}, {"file", file}});
      for (std::size_t q = 0; q < n; ++q) {
        const float* query = rows[spec].data() + q * dim;
        struct Case {
          const char* name;
          std::size_t k;
          int label;
        };
        for (const Case c : {Case{"top10", 10, -1}, Case{"label1", 5, 1}, Case{"all", n + 5, -1}}) {
          SearchOptions options;
          options.k = c.k;
          if (c.label >= 0) options.accept = [&c](std::uint32_t id) { return int(id % 3) == c.label; };
          json result = {{"feature", spec}, {"metric", metric_name(metric)},
                         {"file", file},    {"query", q},
                         {"case", c.name},  {"k", c.k},
                         {"label", c.label}};
          result["hits"] = hits_json(index.search(query, options));
          result["byId"] = hits_json(index.search_by_id(std::uint32_t(q), options));
          manifest["searches"].push_back(result);
        }
      }
    }
  }
}

// Bundles of every kind × element type × metric over clustered synthetic
// vectors (tests/support/clustered_vectors.h): a graph big enough to have
// several layers, ids that are not positions, removed items, label filters
// selective enough for an exact scan and broad enough for a filtered graph
// walk (index/vector_index.cpp), and the ef option. Then broken bundles and
// the native loader's message for each.
void write_synthetic_bundles(const fs::path& out_dir, json& manifest) {
  const std::size_t count = 2000, query_count = 12, dim = 40;
  const ClusteredVectors data = make_clustered_vectors(count, query_count, dim, 20261127);
  std::vector<std::uint32_t> ids(count);
  for (std::size_t i = 0; i < count; ++i) ids[i] = std::uint32_t(5 * i + 2);
  // Label 0 holds three items in four (a broad filter), label 1 the rest.
  const auto label_of = [](std::uint32_t id) { return (id / 5) % 4 == 0 ? 1 : 0; };
  write_array(out_dir / "bundles/synthetic-queries.f32", data.queries);
  json& synthetic = manifest["synthetic"];
  synthetic = {{"dim", dim},
               {"queries", "bundles/synthetic-queries.f32"},
               {"queryCount", query_count},
               {"ids", ids},
               {"labels", json::array()}};
  for (const std::uint32_t id : ids) synthetic["labels"].push_back(label_of(id));

  struct Variant {
    const char* name;
    IndexKind kind;
    ElementType element;
    bool keep_floats;
  };
  const Variant variants[] = {
      {"flat-float32", IndexKind::Flat, ElementType::Float32, false},
      {"flat-int8", IndexKind::Flat, ElementType::Int8, false},
      {"flat-int8-floats", IndexKind::Flat, ElementType::Int8, true},
      {"hnsw-float32", IndexKind::Hnsw, ElementType::Float32, false},
      {"hnsw-int8", IndexKind::Hnsw, ElementType::Int8, false},
      {"hnsw-int8-floats", IndexKind::Hnsw, ElementType::Int8, true},
  };
  manifest["bundles"] = json::array();
  std::vector<std::uint8_t> hnsw_bytes;
  for (const Variant& v : variants) {
    for (Metric metric : kAllMetrics) {
      IndexConfig config;
      config.feature_spec = "synthetic:clusters=400";
      config.feature_version = 3;
      config.metric = metric;
      config.dim = std::uint32_t(dim);
      config.kind = v.kind;
      config.element = v.element;
      config.keep_float_vectors = v.keep_floats;
      config.hnsw.m = 6;
      config.hnsw.ef_construction = 32;
      config.hnsw.ef_search = 10;
      config.hnsw.seed = 7;
      VectorIndex built(config);
      built.add_many(ids.data(), data.points.data(), count, 1);
      std::vector<std::uint32_t> removed;
      for (std::size_t i = 13; i < count; i += 97) {
        built.remove(ids[i]);
        removed.push_back(ids[i]);
      }
      const std::string file = std::string("bundles/synthetic.") + v.name + "." + metric_name(metric) + ".lkx";
      const VectorIndex index = write_bundle(out_dir, file, built);
      if (v.kind == IndexKind::Hnsw && v.element == ElementType::Float32 && metric == Metric::Cosine)
        hnsw_bytes = index.save();
      json entry = {{"name", std::string(v.name) + " " + metric_name(metric)},
                    {"file", file},
                    {"metric", metric_name(metric)},
                    {"kind", index_kind_name(v.kind)},
                    {"element", element_type_name(v.element)},
                    {"floatVectors", v.element == ElementType::Float32 || v.keep_floats},
                    {"count", index.size()},
                    {"removed", removed},
                    {"searches", json::array()},
                    {"byId", json::array()}};
      struct Case {
        const char* name;
        std::size_t k;
        std::uint32_t ef;
        int label;
      };
      const Case cases[] = {
          {"k10", 10, 0, -1}, {"k10-ef80", 10, 80, -1}, {"k30", 30, 0, -1}, {"label0", 10, 0, 0}, {"label1", 10, 0, 1}};
      for (std::size_t q = 0; q < query_count; ++q)
        for (const Case& c : cases) {
          SearchOptions options;
          options.k = c.k;
          options.ef = c.ef;
          if (c.label >= 0) options.accept = [&](std::uint32_t id) { return label_of(id) == c.label; };
          json result = {{"query", q}, {"case", c.name}, {"k", c.k}, {"ef", c.ef}, {"label", c.label}};
          result["hits"] = hits_json(index.search(data.queries.data() + q * dim, options));
          entry["searches"].push_back(result);
        }
      for (const std::size_t i : {std::size_t(0), std::size_t(7), std::size_t(500), count - 1})
        for (const int label : {-1, 0}) {
          SearchOptions options;
          options.k = 10;
          if (label >= 0) options.accept = [&](std::uint32_t id) { return label_of(id) == label; };
          entry["byId"].push_back(
              {{"id", ids[i]}, {"label", label}, {"hits", hits_json(index.search_by_id(ids[i], options))}});
        }
      manifest["bundles"].push_back(entry);
    }
  }

  // Broken bundles, made from the HNSW float32 cosine bundle, with the
  // native loader's kind and message (the WASM module runs the same code).
  std::vector<std::pair<std::string, std::vector<std::uint8_t>>> broken;
  broken.push_back(
      {"truncated to half", {hnsw_bytes.begin(), hnsw_bytes.begin() + std::ptrdiff_t(hnsw_bytes.size() / 2)}});
  broken.push_back({"last byte missing", {hnsw_bytes.begin(), hnsw_bytes.end() - 1}});
  broken.push_back({"header only", {hnsw_bytes.begin(), hnsw_bytes.begin() + 100}});
  {
    std::vector<std::uint8_t> b = hnsw_bytes;
    b[b.size() / 2] ^= 0x10;  // inside the float vectors: a section checksum mismatch
    broken.push_back({"one bit flipped in the vectors", b});
  }
  {
    std::vector<std::uint8_t> b = hnsw_bytes;
    b[8] = 2;  // format_version
    broken.push_back({"a newer format version", b});
  }
  {
    std::vector<std::uint8_t> b = hnsw_bytes;
    b.push_back(0);
    broken.push_back({"a trailing byte", b});
  }
  broken.push_back({"not a bundle", {'n', 'o', 't', ' ', 'a', ' ', 'b', 'u', 'n', 'd', 'l', 'e'}});
  broken.push_back({"empty", {}});
  manifest["brokenBundles"] = json::array();
  for (std::size_t i = 0; i < broken.size(); ++i) {
    const std::string file = "bundles/broken-" + std::to_string(i) + ".lkx";
    write_array(out_dir / file, broken[i].second);
    try {
      VectorIndex::load(broken[i].second.data(), broken[i].second.size());
      throw std::runtime_error("the native loader accepted the broken bundle \"" + broken[i].first + "\"");
    } catch (const Error& e) {
      manifest["brokenBundles"].push_back(
          {{"name", broken[i].first}, {"file", file}, {"kind", kind_name(e.kind())}, {"error", e.what()}});
    }
  }
}

}  // namespace

// Partitioned indexes of every metric over the same clustered vectors (16
// lists, nprobe 3): the header and data file the WASM side fetches lists
// from, and the native answers for plain searches, a wider probe, a
// selective label filter (which probes on) and "more like this" through an
// item's list.
void write_partitioned_indexes(const fs::path& out_dir, json& manifest) {
  const std::size_t count = 2000, query_count = 12, dim = 40;
  const ClusteredVectors data = make_clustered_vectors(count, query_count, dim, 20261127);
  std::vector<std::uint32_t> ids(count);
  for (std::size_t i = 0; i < count; ++i) ids[i] = std::uint32_t(5 * i + 2);
  const auto label_of = [](std::uint32_t id) { return (id / 5) % 50 == 0 ? 1 : 0; };  // label 1: 40 items
  manifest["partitioned"] = json::array();
  for (const Metric metric : kAllMetrics) {
    IndexConfig config;
    config.feature_spec = "synthetic:clusters=400";
    config.metric = metric;
    config.dim = std::uint32_t(dim);
    config.kind = IndexKind::Partitioned;
    config.element = ElementType::Int8;
    const BuiltPartitioned built = build_partitioned(config, data.points.data(), ids.data(), count, 16, 3, 40, 40000);
    const std::string stem = std::string("partitioned/synthetic.") + metric_name(metric);
    write_array(out_dir / (stem + ".lkp"), built.header);
    json files = json::array();
    for (std::size_t f = 0; f < built.files.size(); ++f) {
      const std::string file = PartitionedIndex::data_file_name(stem + ".lkp", std::uint32_t(f));
      write_array(out_dir / file, built.files[f]);
      files.push_back(file);
    }
    const PartitionedIndex index = PartitionedIndex::load_header(built.header.data(), built.header.size());
    json entry = {{"metric", metric_name(metric)},
                  {"header", stem + ".lkp"},
                  {"files", files},
                  {"lists", index.list_count()},
                  {"searches", json::array()}};
    struct Case {
      const char* name;
      std::uint32_t nprobe;
      int label;
      bool by_id;
    };
    for (std::size_t q = 0; q < query_count; ++q)
      for (const Case c : {Case{"k10", 0, -1, false}, Case{"nprobe6", 6, -1, false}, Case{"label1", 0, 1, false},
                           Case{"byId", 0, -1, true}}) {
        PartitionedSearchOptions options;
        options.nprobe = c.nprobe;
        if (c.label >= 0) options.accept = [&](std::uint32_t id) { return label_of(id) == c.label; };
        std::vector<float> query(data.queries.begin() + q * dim, data.queries.begin() + (q + 1) * dim);
        json result = {{"query", q}, {"case", c.name}, {"nprobe", c.nprobe}, {"label", c.label}};
        if (c.by_id) {
          const PartitionedSearch first = search_partitioned(index, built, query.data(), {});
          const std::uint32_t id = first.hits().front().id, list = first.hit_lists().front();
          const PartitionedList l = list_of(index, built, list);
          query = l.vector(*l.find(id));
          options.exclude = id;
          result["id"] = id;
          result["list"] = list;
        }
        const PartitionedSearch search = search_partitioned(index, built, query.data(), options);
        result["hits"] = hits_json(search.hits());
        result["lists"] = search.hit_lists();
        result["listsScored"] = search.lists_scored();
        entry["searches"].push_back(result);
      }
    manifest["partitioned"].push_back(entry);
  }
  manifest["partitionedLabels"] = json::array();
  for (const std::uint32_t id : ids) manifest["partitionedLabels"].push_back(label_of(id));
}

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
    manifest["rgba"] = {
        {"file", "inputs/alpha.rgba"}, {"width", rgba_width}, {"height", rgba_height}, {"decoded", "alpha.png"}};

    std::vector<fs::path> photos;
    if (fs::is_directory(photo_dir))
      for (const auto& entry : fs::directory_iterator(photo_dir))
        if (entry.path().extension() == ".jpg") photos.push_back(entry.path());
    std::sort(photos.begin(), photos.end());
    if (photos.empty())
      manifest["skipped"].push_back("photos: no *.jpg in " + photo_dir.string() + " (Debian package darknet)");
    for (const auto& photo : photos)
      inputs.push_back({"photo-" + photo.filename().string(), read_file(photo.string()), "photo"});
    if (!photos.empty()) {
      // A phone's 4032×3024: landscape baseline, and portrait (EXIF 6) progressive.
      const Image wide = photo_mosaic(4032, 3024);
      inputs.push_back({"phone-12mp-baseline.jpg", encode_camera_jpeg(wide, {92, false}),
                        "12-megapixel phone-like photo, baseline 4:2:0", true});
      inputs.push_back({"phone-12mp-progressive-exif6.jpg",
                        with_exif_orientation(encode_camera_jpeg(wide, {92, true}), 6),
                        "12-megapixel phone-like photo, progressive 4:2:0, EXIF orientation 6", true});
    }
    for (auto& bad : bad_inputs()) inputs.push_back(std::move(bad));

    const auto cards = model_cards();
    for (const auto& [name, text] : cards) manifest["cards"][name] = text;
    const std::vector<std::string> specs = feature_specs();
    manifest["features"] = specs;

    // features[spec] holds the rows of every decodable image, in input order.
    std::map<std::string, std::vector<float>> rows;
    std::map<std::string, std::size_t> dims;
    std::vector<std::string> decodable;
    // Every need a feature or card of this reference asks for, once.
    std::vector<DecodeNeed> needs;
    auto add_need = [&](const DecodeNeed& need) {
      if (std::find(needs.begin(), needs.end(), need) == needs.end()) needs.push_back(need);
    };
    for (const auto& [name, text] : cards) add_need(decode_need(parse_model_card(text)));
    for (const std::string& spec : specs) add_need(make_feature(spec)->decode_need());
    manifest["images"] = json::array();
    for (const Input& input : inputs) {
      write_array(out_dir / "inputs" / input.name, input.bytes);
      json entry = {{"name", input.name}, {"file", "inputs/" + input.name}, {"note", input.note}};
      try {
        write_image_entry(out_dir, input, cards, specs, needs, entry, rows, dims);
        decodable.push_back(input.name);
      } catch (const Error& e) {
        entry["ok"] = false;
        entry["kind"] = kind_name(e.kind());
        entry["error"] = e.what();
      }
      manifest["images"].push_back(entry);
    }

    // Search: the collection is every decodable image (id = position,
    // label = id % 3), one flat float32 bundle per feature × metric; each
    // image is a query, plus a label filter (label 1) and k larger than the
    // collection, and "more like this" from each image's stored vector.
    // Answers are the native VectorIndex's, on the bundle as loaded back.
    manifest["collection"] = decodable;
    manifest["kernels"] = best_kernels().name;
    write_collection_bundles(out_dir, specs, rows, dims, decodable.size(), manifest);
    write_synthetic_bundles(out_dir, manifest);
    write_partitioned_indexes(out_dir, manifest);

    std::ofstream(out_dir / "manifest.json") << manifest.dump(1);
    std::cout << "wrote " << inputs.size() << " inputs, " << manifest["searches"].size() << " collection searches, "
              << manifest["bundles"].size() << " synthetic bundles to " << out_dir << "\n";
    for (const auto& s : manifest["skipped"]) std::cout << "skipped " << s.get<std::string>() << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "wasm_parity_reference: " << e.what() << "\n";
    return 1;
  }
}
