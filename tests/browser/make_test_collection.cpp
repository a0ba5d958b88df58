// Builds the small collection the browser tests search, and the native
// build's answers for it.
//
//   make_test_collection OUT_DIR
//
// OUT_DIR/site/     index/collections.json, index/test.json (the sidecar),
//                   index/test.<feature-slug>.f32 (vectors), thumbs/<id>.jpg,
//                   and a second collection "test-model" with a learned
//                   feature: models/tiny-gap.{json,onnx} (a tiny ONNX model,
//                   the mean of each channel) and its vectors
// OUT_DIR/queries/  query files (PNG, JPEG with EXIF orientation, GIF, BMP,
//                   a truncated JPEG)
// OUT_DIR/expected.json  native top-k for every query file × feature × metric,
//                   with and without a label filter, and "more like this"
//
// Until `lookalike index` writes bundles, vectors are stored in the interim
// "raw-f32" format of the sidecar (rows of float32 in item order), which the
// page searches exactly, as the native exact search here does. Item titles,
// owners and one label carry HTML and script on purpose: the page must show
// them as text.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <stb/stb_image_write.h>

#include "features/feature.h"
#include "image/decode.h"
#include "image/encode.h"
#include "image/resize.h"
#include "metrics/kernels.h"
#include "metrics/metric.h"
#include "model/model_card.h"
#include "model/preprocess.h"
#include "search/exact_search.h"
#include "support/test_images.h"
#include "tiny_gap_model.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace lookalike;
using namespace lookalike::testing;

namespace {

const std::vector<std::string> kLabels = {"reds", "stripes", "checks", "gradients", "<i>odd</i> & \"quoted\""};
constexpr int kPerLabel = 6;

std::uint8_t clamp8(double v) { return std::uint8_t(std::clamp(v, 0.0, 255.0)); }

// A picture of label `label`, variant `j`: each label has its own look and
// every variant differs, so no two items tie.
Image make_item(int label, int j) {
  const int width = 120 + 16 * j, height = 90 + 10 * ((j * 7) % 5);
  Image image(width, height);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      std::uint8_t* p = image.at(x, y);
      const double u = double(x) / width, v = double(y) / height;
      switch (label) {
        case 0:  // reds with a soft vertical ramp
          p[0] = clamp8(170 + 60 * v + 5 * j);
          p[1] = clamp8(20 + 30 * u + 9 * j);
          p[2] = clamp8(30 + 12 * j);
          break;
        case 1: {  // blue/white stripes of varying period
          const bool on = ((x / (4 + j)) % 2) == 0;
          p[0] = on ? clamp8(40 + 10 * j) : 240;
          p[1] = on ? clamp8(70 + 8 * j) : 240;
          p[2] = on ? clamp8(200 - 6 * j) : 250;
          break;
        }
        case 2: {  // green/black checks
          const bool on = (((x / (6 + j)) + (y / (6 + j))) % 2) == 0;
          p[0] = on ? clamp8(20 + 7 * j) : 10;
          p[1] = on ? clamp8(180 + 10 * j) : 30;
          p[2] = on ? clamp8(40 + 5 * j) : 10;
          break;
        }
        case 3:  // diagonal rainbow gradients
          p[0] = clamp8(255 * u);
          p[1] = clamp8(255 * v);
          p[2] = clamp8(255 * (1 - u) * (0.5 + 0.08 * j));
          break;
        default:  // grey noise-like texture
          p[0] = p[1] = p[2] = std::uint8_t((x * 37 + y * 91 + j * 53 + (x * y) % (7 + j)) % 256);
          break;
      }
    }
  return image;
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

void write_bytes(const fs::path& path, const void* data, std::size_t size) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void write_text(const fs::path& path, const std::string& text) { write_bytes(path, text.data(), text.size()); }

// Native exact search with a chosen kernel set: exact_search's loop.
json ranked(Metric metric, const float* query, const std::vector<float>& rows, std::size_t dim,
            const std::vector<std::uint32_t>& ids, std::size_t k, const std::function<bool(std::size_t)>& accept,
            const Kernels& kernels) {
  std::vector<Hit> hits;
  for (std::size_t row = 0; row < ids.size(); ++row)
    if (!accept || accept(row)) hits.push_back({ids[row], metric_value(metric, query, rows.data() + row * dim, dim, kernels)});
  keep_top_k(hits, metric, k);
  json out = {{"ids", json::array()}, {"scores", json::array()}};
  for (const Hit& h : hits) {
    out["ids"].push_back(h.id);
    out["scores"].push_back(h.score);
  }
  return out;
}

const char* kTinyCard = R"json({"schema": 1, "name": "tiny-gap",
  "description": "Test fixture: the mean of each input channel (GlobalAveragePool)",
  "model": {"file": "tiny-gap.onnx"},
  "input": {"name": "pixels", "width": 32, "height": 32,
            "resize": {"mode": "shortest-side-crop", "shortest_side": 40, "filter": "bilinear"},
            "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]},
  "output": {"name": "embedding", "dim": 3, "l2_normalize": true}})json";

// What the tiny model computes, from the core's own tensor: channel means, then L2 normalisation.
std::vector<float> tiny_gap_embedding(const Image& image, const ModelCard& card) {
  const std::vector<float> tensor = preprocess_for_model(image, card);
  const std::size_t plane = std::size_t(card.width) * card.height;
  std::vector<float> out(3);
  for (int c = 0; c < 3; ++c) {
    double sum = 0;
    for (std::size_t i = 0; i < plane; ++i) sum += tensor[c * plane + i];
    out[c] = float(sum / double(plane));
  }
  l2_normalize(out);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 || std::string(argv[1]) == "--help") {
    std::cerr << "usage: make_test_collection OUT_DIR\n"
                 "Writes a small test site (collection, vectors, thumbnails), query files and the native results.\n";
    return argc == 2 ? 0 : 2;
  }
  try {
    const fs::path out = argv[1];
    fs::remove_all(out);
    const fs::path site = out / "site";

    std::vector<std::string> specs;
    for (const auto& name : traditional_feature_names()) specs.push_back(make_feature(name)->spec());

    // Items: ids are not positions (10·i + 3), to check that the page maps them.
    json sidecar = {{"schema", 1}, {"name", "test"}, {"title", "Test shapes <b>& colours</b>"},
                    {"created", "2026-11-27T10:00:00Z"},
                    {"licence_note", "Generated test images; <script>alert('note')</script> is text."},
                    {"labels", kLabels}, {"items", json::array()}, {"bundles", json::array()}, {"models", json::array()}};
    const ModelCard tiny_card = parse_model_card(kTinyCard);
    const std::string model_spec = tiny_card.feature_spec();
    std::vector<float> model_rows;
    std::vector<std::uint32_t> ids;
    std::vector<int> item_labels;
    std::map<std::string, std::vector<float>> rows;
    std::map<std::string, std::size_t> dims;
    for (int label = 0; label < int(kLabels.size()); ++label)
      for (int j = 0; j < kPerLabel; ++j) {
        const std::uint32_t id = std::uint32_t(10 * ids.size() + 3);
        const Image image = make_item(label, j);
        // Features come from the image as decoded from its stored file, as an indexer would see it.
        const Bytes stored = encode_png(image);
        const DecodedImage decoded = decode_image(stored.data(), stored.size());
        for (const auto& spec : specs) {
          const auto vector = make_feature(spec)->compute(decoded.image);
          rows[spec].insert(rows[spec].end(), vector.begin(), vector.end());
          dims[spec] = vector.size();
        }
        const auto embedding = tiny_gap_embedding(decoded.image, tiny_card);
        model_rows.insert(model_rows.end(), embedding.begin(), embedding.end());
        const Image thumb = resize_shortest_side(image, 96, ResizeFilter::Bilinear);
        const Bytes jpeg = encode_jpeg(thumb, 85);
        write_bytes(site / "thumbs" / (std::to_string(id) + ".jpg"), jpeg.data(), jpeg.size());
        json item = {{"id", id}, {"label", kLabels[label]}, {"thumbnail", "thumbs/" + std::to_string(id) + ".jpg"},
                     {"width", image.width}, {"height", image.height},
                     {"source", {{"path", kLabels[label] + "/" + std::to_string(j) + ".png"},
                                 {"page", "https://example.org/photos/" + std::to_string(id)},
                                 {"owner", "owner " + std::to_string(j)},
                                 {"title", "Picture " + std::to_string(id)},
                                 {"licence", "CC BY 2.0"},
                                 {"licence_url", "https://creativecommons.org/licenses/by/2.0/"}}}};
        if (ids.size() == 0) item["source"]["title"] = "<img src=x onerror=\"document.body.dataset.xss='title'\">Picture";
        if (ids.size() == 1) {
          item["source"]["owner"] = "<script>document.body.dataset.xss='owner'</script>";
          item["source"]["licence"] = "<b>CC</b> BY";
          item["source"]["licence_url"] = "javascript:document.body.dataset.xss='link'";
          item["source"]["page"] = "javascript:document.body.dataset.xss='page'";
        }
        sidecar["items"].push_back(item);
        ids.push_back(id);
        item_labels.push_back(label);
      }
    for (const auto& spec : specs) {
      const std::string slug = feature_slug(spec);
      const std::string file = "test." + slug + ".f32";
      write_bytes(site / "index" / file, rows[spec].data(), rows[spec].size() * sizeof(float));
      for (Metric metric : kAllMetrics)
        sidecar["bundles"].push_back({{"feature", spec}, {"feature_version", make_feature(spec)->version()}, {"slug", slug},
                                      {"metric", metric_name(metric)}, {"file", file},
                                      {"kind", "flat"}, {"element", "float32"}, {"dim", dims[spec]},
                                      {"count", ids.size()}, {"bytes", rows[spec].size() * sizeof(float)},
                                      {"format", "raw-f32"}});
    }
    write_text(site / "index" / "test.json", sidecar.dump(1));

    // The same items with the tiny model's embeddings (and colour), and the model.
    json with_model = sidecar;
    with_model["name"] = "test-model";
    with_model["title"] = "Test shapes with a model";
    with_model["models"] = json::array({{{"card", "models/tiny-gap.json"}}});
    json bundles = json::array();
    const std::string model_file = "test-model." + feature_slug(model_spec) + ".f32";
    write_bytes(site / "index" / model_file, model_rows.data(), model_rows.size() * sizeof(float));
    for (Metric metric : kAllMetrics)
      bundles.push_back({{"feature", model_spec}, {"slug", feature_slug(model_spec)}, {"metric", metric_name(metric)},
                         {"file", model_file}, {"kind", "flat"}, {"element", "float32"}, {"dim", 3}, {"count", ids.size()},
                         {"bytes", model_rows.size() * sizeof(float)}, {"format", "raw-f32"}});
    for (const auto& b : sidecar["bundles"])
      if (b["feature"].get<std::string>().rfind("colour", 0) == 0) bundles.push_back(b);
    with_model["bundles"] = bundles;
    write_text(site / "index" / "test-model.json", with_model.dump(1));
    write_text(site / "models" / "tiny-gap.json", kTinyCard);
    const Bytes onnx = tiny_gap_onnx_model(tiny_card.input_name, tiny_card.output_name, tiny_card.height, tiny_card.width);
    write_bytes(site / "models" / "tiny-gap.onnx", onnx.data(), onnx.size());

    write_text(site / "index" / "collections.json",
               json({{"schema", 1}, {"default", "test"},
                     {"collections", {{{"name", "test"}, {"title", "Test shapes"}, {"file", "test.json"}},
                                      {{"name", "test-model"}, {"title", "Test shapes with a model"}, {"file", "test-model.json"}}}}})
                   .dump(1));

    // Query files: new pictures of each look, in several formats.
    struct Query {
      std::string name;
      Bytes bytes;
    };
    std::vector<Query> queries = {
        {"stripes.png", encode_png(make_item(1, 9))},
        {"reds-exif6.jpg", with_exif_orientation(encode_jpeg(make_item(0, 8), 92), 6)},
        {"checks.bmp", encode_with(stbi_write_bmp_to_func, make_item(2, 10))},
        {"gradient.tga", encode_with(stbi_write_tga_to_func, make_item(3, 7))},
    };
    {
      const int w = 64, h = 48;
      Bytes palette;
      for (int i = 0; i < 256; ++i) palette.insert(palette.end(), {std::uint8_t(i), std::uint8_t(i / 2), std::uint8_t(255 - i)});
      Bytes indices(std::size_t(w) * h);
      for (std::size_t i = 0; i < indices.size(); ++i) indices[i] = std::uint8_t((i % w) * 4);
      queries.push_back({"palette.gif", encode_gif(w, h, palette, indices)});
    }
    const Bytes good_jpeg = encode_jpeg(make_item(2, 11), 90);
    write_bytes(out / "queries" / "truncated.jpg", good_jpeg.data(), good_jpeg.size() / 2);

    json expected = {{"kernels", json::array()}, {"best", best_kernels().name}, {"labels", kLabels}, {"ids", ids},
                     {"features", specs}, {"modelFeature", model_spec}, {"queries", json::object()}, {"moreLikeThis", json::object()}};
    for (const Kernels* kernels : available_kernels()) expected["kernels"].push_back(kernels->name);
    auto all_kernels = [&](const std::function<json(const Kernels&)>& f) {
      json by;
      for (const Kernels* kernels : available_kernels()) by[kernels->name] = f(*kernels);
      return by;
    };
    for (const Query& q : queries) {
      write_bytes(out / "queries" / q.name, q.bytes.data(), q.bytes.size());
      const DecodedImage d = decode_image(q.bytes.data(), q.bytes.size());
      json& entry = expected["queries"][q.name];
      entry["width"] = d.image.width;
      entry["height"] = d.image.height;
      entry["orientation"] = d.exif_orientation;
      {
        const auto embedding = tiny_gap_embedding(d.image, tiny_card);
        for (Metric metric : kAllMetrics)
          entry[model_spec + " " + metric_name(metric)]["k10"] = all_kernels([&](const Kernels& kernels) {
            return ranked(metric, embedding.data(), model_rows, 3, ids, 10, {}, kernels);
          });
      }
      for (const auto& spec : specs) {
        const auto vector = make_feature(spec)->compute(d.image);
        for (Metric metric : kAllMetrics) {
          const std::string key = spec + " " + metric_name(metric);
          for (std::size_t k : {std::size_t(5), std::size_t(10), std::size_t(20)})
            entry[key]["k" + std::to_string(k)] = all_kernels([&](const Kernels& kernels) {
              return ranked(metric, vector.data(), rows[spec], dims[spec], ids, k, {}, kernels);
            });
          for (int label = 0; label < int(kLabels.size()); ++label)
            entry[key]["label" + std::to_string(label)] = all_kernels([&](const Kernels& kernels) {
              return ranked(metric, vector.data(), rows[spec], dims[spec], ids, 10,
                            [&](std::size_t row) { return item_labels[row] == label; }, kernels);
            });
        }
      }
    }
    // "More like this": the stored vector of each item, top 11, the item itself dropped.
    for (std::size_t row = 0; row < ids.size(); ++row)
      for (const auto& spec : specs)
        for (Metric metric : kAllMetrics) {
          const float* stored = rows[spec].data() + row * dims[spec];
          expected["moreLikeThis"][std::to_string(ids[row])][spec + " " + metric_name(metric)] =
              all_kernels([&](const Kernels& kernels) {
                json r = ranked(metric, stored, rows[spec], dims[spec], ids, 11, {}, kernels);
                json kept = {{"ids", json::array()}, {"scores", json::array()}};
                for (std::size_t i = 0; i < r["ids"].size() && kept["ids"].size() < 10; ++i)
                  if (r["ids"][i] != ids[row]) {
                    kept["ids"].push_back(r["ids"][i]);
                    kept["scores"].push_back(r["scores"][i]);
                  }
                return kept;
              });
        }
    write_text(out / "expected.json", expected.dump(1));
    std::cout << "test collection: " << ids.size() << " items, " << specs.size() << " features, " << queries.size()
              << " queries in " << out << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "make_test_collection: " << e.what() << "\n";
    return 1;
  }
}
