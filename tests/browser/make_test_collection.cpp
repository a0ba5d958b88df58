// Builds the small collection the browser tests search, and the native
// build's answers for it.
//
//   make_test_collection OUT_DIR
//
// OUT_DIR/site/     index/collections.json, index/test.json (the sidecar,
//                   written with core/include/lookalike/index/collection.h), one index bundle
//                   per feature × metric (index/test.<slug>.<metric>.lkx,
//                   written with VectorIndex::save: colour flat float32,
//                   colour-texture HNSW float32, pixels HNSW int8),
//                   thumbs/<id>.jpg, and a second collection "test-model"
//                   with a learned feature: models/tiny-gap.{json,onnx} (a
//                   tiny ONNX model, the mean of each channel) and its bundles
// OUT_DIR/queries/  query files (PNG, JPEG with EXIF orientation, GIF, BMP,
//                   TGA, a truncated JPEG)
// OUT_DIR/variants/ files the hosting tests swap in: a colour bundle made
//                   with another feature version
// OUT_DIR/partitioned-images/l<label>/<j>.png  200 more pictures of the same
//                   labels (none of them a query), which the partitioned
//                   index test indexes with the real `lookalike index`
// OUT_DIR/expected.json  the native answers: VectorIndex search on the same
//                   bundles (as loaded back from their bytes) for every query
//                   file × feature × metric, with k 5, 10, 20 and every label
//                   filter, and "more like this" (search_by_id) for every item
//
// Item titles, owners and one label carry HTML and script on purpose: the
// page must show them as text. Two items get javascript: links, which the
// core's sidecar writer refuses to write: they are put into the JSON
// afterwards, as a hostile or hand-edited sidecar would carry them.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <stb/stb_image_write.h>
#include <nlohmann/json.hpp>

#include "lookalike/features/feature.h"
#include "lookalike/image/decode.h"
#include "lookalike/image/encode.h"
#include "lookalike/image/resize.h"
#include "lookalike/index/collection.h"
#include "lookalike/index/vector_index.h"
#include "lookalike/metrics/metric.h"
#include "lookalike/model/model_card.h"
#include "lookalike/model/preprocess.h"
#include "site_bundle.h"
#include "support/hits_json.h"
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
  if (!writer(append, &out, image.width, image.height, 3, image.rgb.data()))
    throw std::runtime_error("stb write failed");
  return out;
}

void write_bytes(const fs::path& path, const void* data, std::size_t size) { write_site_file(path, data, size); }
void write_text(const fs::path& path, const std::string& text) { write_site_text(path, text); }

// How each traditional feature is indexed: every kind and element type the
// page must read appears at least once.
IndexConfig config_for(const std::string& spec, Metric metric) {
  IndexConfig config;
  config.feature_spec = spec;
  config.feature_version = make_feature(spec)->version();
  config.metric = metric;
  config.dim = make_feature(spec)->dim();
  const std::string name = spec.substr(0, spec.find(':'));
  config.kind = name == "colour" ? IndexKind::Flat : IndexKind::Hnsw;
  config.element = name == "pixels" ? ElementType::Int8 : ElementType::Float32;
  // A small graph for 30 items, so searches really walk it.
  config.hnsw.m = 4;
  config.hnsw.ef_construction = 16;
  config.hnsw.ef_search = 8;
  return config;
}

json search_json(const VectorIndex& index, const float* query, std::size_t k,
                 std::function<bool(std::uint32_t)> accept = {}) {
  SearchOptions options;
  options.k = k;
  options.accept = std::move(accept);
  return hits_json(index.search(query, options));
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
    Collection test;
    test.name = "test";
    test.title = "Test shapes <b>& colours</b>";
    test.created = "2026-11-27T10:00:00Z";
    test.licence_note = "Generated test images; <script>alert('note')</script> is text.";
    test.labels = kLabels;
    const ModelCard tiny_card = parse_model_card(kTinyCard);
    const std::string model_spec = tiny_card.feature_spec();
    std::vector<float> model_rows;
    std::vector<std::uint32_t> ids;
    std::map<std::uint32_t, int> label_of;
    std::map<std::string, std::vector<float>> rows;
    for (int label = 0; label < int(kLabels.size()); ++label)
      for (int j = 0; j < kPerLabel; ++j) {
        const std::uint32_t id = std::uint32_t(10 * ids.size() + 3);
        const Image image = make_item(label, j);
        // Features come from the image as decoded from its stored file, as an indexer would see it.
        const Bytes stored = encode_png(image);
        for (const auto& spec : specs) {
          const auto feature = make_feature(spec);
          const auto vector = feature->compute(decode_for_need(stored, feature->decode_need()));
          rows[spec].insert(rows[spec].end(), vector.begin(), vector.end());
        }
        const auto embedding = tiny_gap_embedding(decode_for_need(stored, decode_need(tiny_card)), tiny_card);
        model_rows.insert(model_rows.end(), embedding.begin(), embedding.end());
        const Image thumb = resize_shortest_side(image, 96, ResizeFilter::Bilinear);
        const Bytes jpeg = encode_jpeg(thumb, 85);
        write_bytes(site / "thumbs" / (std::to_string(id) + ".jpg"), jpeg.data(), jpeg.size());
        CollectionItem item;
        item.id = id;
        item.label = kLabels[label];
        item.thumbnail = "thumbs/" + std::to_string(id) + ".jpg";
        item.width = std::uint32_t(image.width);
        item.height = std::uint32_t(image.height);
        item.source.path = kLabels[label] + "/" + std::to_string(j) + ".png";
        item.source.page = "https://example.org/photos/" + std::to_string(id);
        item.source.owner = "owner " + std::to_string(j);
        item.source.title = "Picture " + std::to_string(id);
        item.source.licence = "CC BY 2.0";
        item.source.licence_url = "https://creativecommons.org/licenses/by/2.0/";
        if (ids.size() == 0) item.source.title = "<img src=x onerror=\"document.body.dataset.xss='title'\">Picture";
        if (ids.size() == 1) {
          item.source.owner = "<script>document.body.dataset.xss='owner'</script>";
          item.source.licence = "<b>CC</b> BY";
        }
        test.items.push_back(item);
        ids.push_back(id);
        label_of[id] = label;
      }

    const fs::path index_dir = site / "index";
    std::map<std::string, VectorIndex> indexes;  // "<spec> <metric>" -> as loaded from its bundle
    for (const auto& spec : specs)
      for (Metric metric : kAllMetrics) {
        const std::string file = "test." + feature_slug(spec) + "." + metric_name(metric) + ".lkx";
        VectorIndex loaded(config_for(spec, metric));
        test.bundles.push_back(write_site_bundle(index_dir, file, config_for(spec, metric), ids, rows[spec], &loaded));
        indexes.emplace(spec + " " + metric_name(metric), std::move(loaded));
      }
    // The core writer refuses javascript: links; a sidecar from elsewhere may carry them.
    json test_json = json::parse(collection_to_json(test));
    test_json["items"][1]["source"]["licence_url"] = "javascript:document.body.dataset.xss='link'";
    test_json["items"][1]["source"]["page"] = "javascript:document.body.dataset.xss='page'";
    write_text(index_dir / "test.json", test_json.dump(1));

    // The same items with the tiny model's embeddings (a flat index: the
    // page embeds with ONNX Runtime, whose float sums differ slightly from
    // the native ones, and an exact search ranks such near-equal queries
    // alike) and the colour bundles, and the model.
    Collection with_model = test;
    with_model.name = "test-model";
    with_model.title = "Test shapes with a model";
    with_model.models = {{"models/tiny-gap.json"}};
    with_model.bundles.clear();
    for (Metric metric : kAllMetrics) {
      IndexConfig config;
      config.feature_spec = model_spec;
      config.metric = metric;
      config.dim = 3;
      config.kind = IndexKind::Flat;
      const std::string file = "test-model." + feature_slug(model_spec) + "." + metric_name(metric) + ".lkx";
      VectorIndex loaded(config);
      with_model.bundles.push_back(write_site_bundle(index_dir, file, config, ids, model_rows, &loaded));
      indexes.emplace(model_spec + " " + metric_name(metric), std::move(loaded));
    }
    for (const auto& b : test.bundles)
      if (b.feature.rfind("colour:", 0) == 0) with_model.bundles.push_back(b);
    json model_json = json::parse(collection_to_json(with_model));
    model_json["items"] = test_json["items"];
    write_text(index_dir / "test-model.json", model_json.dump(1));
    write_text(site / "models" / "tiny-gap.json", kTinyCard);
    const Bytes onnx =
        tiny_gap_onnx_model(tiny_card.input_name, tiny_card.output_name, tiny_card.height, tiny_card.width);
    write_bytes(site / "models" / "tiny-gap.onnx", onnx.data(), onnx.size());

    CollectionList list;
    list.default_name = "test";
    list.collections = {{"test", "Test shapes", "test.json"},
                        {"test-model", "Test shapes with a model", "test-model.json"}};
    write_text(index_dir / "collections.json", collection_list_to_json(list));

    // A colour bundle as an indexer with another version of the feature
    // would write it (same size as the one it replaces).
    const std::string colour = make_feature("colour")->spec();
    {
      IndexConfig config = config_for(colour, Metric::Cosine);
      config.feature_version = 7;
      write_site_bundle(out / "variants", "test.colour.cosine.v7.lkx", config, ids, rows[colour]);
    }

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
      for (int i = 0; i < 256; ++i)
        palette.insert(palette.end(), {std::uint8_t(i), std::uint8_t(i / 2), std::uint8_t(255 - i)});
      Bytes indices(std::size_t(w) * h);
      for (std::size_t i = 0; i < indices.size(); ++i) indices[i] = std::uint8_t((i % w) * 4);
      queries.push_back({"palette.gif", encode_gif(w, h, palette, indices)});
    }
    const Bytes good_jpeg = encode_jpeg(make_item(2, 11), 90);
    write_bytes(out / "queries" / "truncated.jpg", good_jpeg.data(), good_jpeg.size() / 2);

    json expected = {{"labels", kLabels},
                     {"ids", ids},
                     {"features", specs},
                     {"modelFeature", model_spec},
                     {"colour", colour},
                     {"queries", json::object()},
                     {"moreLikeThis", json::object()},
                     {"bundles", json::object()}};
    for (const auto& [key, index] : indexes) {
      const IndexConfig& c = index.config();
      expected["bundles"][key] = {{"kind", index_kind_name(c.kind)},
                                  {"element", element_type_name(c.element)},
                                  {"dim", c.dim},
                                  {"m", c.hnsw.m},
                                  {"efSearch", c.hnsw.ef_search}};
    }
    for (const Query& q : queries) {
      write_bytes(out / "queries" / q.name, q.bytes.data(), q.bytes.size());
      const DecodedImage d = decode_image(q.bytes.data(), q.bytes.size());
      json& entry = expected["queries"][q.name];
      entry["width"] = d.image.width;
      entry["height"] = d.image.height;
      entry["orientation"] = d.exif_orientation;
      {
        const auto embedding = tiny_gap_embedding(decode_for_need(q.bytes, decode_need(tiny_card)), tiny_card);
        for (Metric metric : kAllMetrics) {
          const std::string key = model_spec + " " + metric_name(metric);
          entry[key]["k10"] = search_json(indexes.at(key), embedding.data(), 10);
        }
      }
      for (const auto& spec : specs) {
        const auto feature = make_feature(spec);
        const auto vector = feature->compute(decode_for_need(q.bytes, feature->decode_need()));
        for (Metric metric : kAllMetrics) {
          const std::string key = spec + " " + metric_name(metric);
          const VectorIndex& index = indexes.at(key);
          for (std::size_t k : {std::size_t(5), std::size_t(10), std::size_t(20)})
            entry[key]["k" + std::to_string(k)] = search_json(index, vector.data(), k);
          for (int label = 0; label < int(kLabels.size()); ++label)
            entry[key]["label" + std::to_string(label)] = search_json(
                index, vector.data(), 10, [&, label](std::uint32_t id) { return label_of.at(id) == label; });
        }
      }
    }
    // "More like this": each item's stored vector, top 10, the item itself left out.
    for (const std::uint32_t id : ids)
      for (const auto& [key, index] : indexes) {
        SearchOptions options;
        options.k = 10;
        expected["moreLikeThis"][std::to_string(id)][key] = hits_json(index.search_by_id(id, options));
      }
    write_text(out / "expected.json", expected.dump(1));
    // Variants 12 … 51 of every label: distinct from the items and the queries.
    for (int label = 0; label < int(kLabels.size()); ++label)
      for (int j = 12; j < 52; ++j) {
        const Bytes png = encode_png(make_item(label, j));
        write_bytes(out / "partitioned-images" / ("l" + std::to_string(label)) / (std::to_string(j) + ".png"),
                    png.data(), png.size());
      }
    std::cout << "test collection: " << ids.size() << " items, " << indexes.size() << " bundles, " << queries.size()
              << " queries in " << out << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "make_test_collection: " << e.what() << "\n";
    return 1;
  }
}
