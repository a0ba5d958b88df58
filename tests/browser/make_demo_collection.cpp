// A small, realistic collection for the README's screenshot of the page:
// the sample photos of Debian's darknet package and views of them (crops,
// mirror images, colour shifts), plus generated patterns, indexed as
// `lookalike index` would index them (every traditional feature × metric:
// colour-texture HNSW float32, colour flat float32, pixels HNSW int8).
//
//   make_demo_collection OUT_DIR [PHOTO_DIR]
//
// OUT_DIR/site/       index/ (collections.json, demo.json, bundles), thumbs/
// OUT_DIR/query.jpg   a view of the first photo that is not in the collection
//
// PHOTO_DIR defaults to /usr/share/darknet/data (package darknet); its *.jpg
// are read in name order. Exits 3 with a message when it holds none.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "lookalike/features/feature.h"
#include "lookalike/image/decode.h"
#include "lookalike/image/encode.h"
#include "lookalike/image/image.h"
#include "lookalike/image/resize.h"
#include "lookalike/index/collection.h"
#include "lookalike/index/vector_index.h"
#include "site_bundle.h"
#include "support/test_images.h"

namespace fs = std::filesystem;
using namespace lookalike;
using namespace lookalike::testing;

namespace {

struct View {
  const char* name;
  double x, y, size;  // crop: top-left corner and size, as fractions of the photo's width and height
  bool mirror;
  int red, green, blue;  // added to every pixel
};

// Views an indexer might meet of the same scene: other framings, a mirror
// image, other light.
const View kViews[] = {
    {"whole photo", 0, 0, 1, false, 0, 0, 0},
    {"top left", 0, 0, 0.7, false, 0, 0, 0},
    {"top right", 0.3, 0, 0.7, false, 0, 0, 0},
    {"bottom left", 0, 0.3, 0.7, false, 0, 0, 0},
    {"bottom right", 0.3, 0.3, 0.7, false, 0, 0, 0},
    {"centre", 0.15, 0.15, 0.7, false, 0, 0, 0},
    {"mirrored", 0, 0, 1, true, 0, 0, 0},
    {"mirrored close-up", 0.2, 0.2, 0.6, true, 0, 0, 0},
    {"brighter", 0.05, 0.05, 0.9, false, 28, 28, 28},
    {"warmer", 0.1, 0, 0.85, false, 22, 6, -20},
};

std::uint8_t clamp8(int v) { return static_cast<std::uint8_t>(std::clamp(v, 0, 255)); }

Image view_of(const Image& photo, const View& v) {
  // Crops keep the photo's aspect ratio (a fraction of each side).
  const int w = std::max(1, static_cast<int>(v.size * photo.width)),
            h = std::max(1, static_cast<int>(v.size * photo.height));
  const int x0 = static_cast<int>(v.x * photo.width), y0 = static_cast<int>(v.y * photo.height);
  Image out(w, h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const int sx = std::min(photo.width - 1, x0 + (v.mirror ? w - 1 - x : x)),
                sy = std::min(photo.height - 1, y0 + y);
      const std::uint8_t* p = photo.at(sx, sy);
      std::uint8_t* q = out.at(x, y);
      q[0] = clamp8(p[0] + v.red);
      q[1] = clamp8(p[1] + v.green);
      q[2] = clamp8(p[2] + v.blue);
    }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3 || std::string(argv[1]) == "--help") {
    std::cerr << "usage: make_demo_collection OUT_DIR [PHOTO_DIR]\n"
                 "Writes a demo site (darknet's sample photos, views of them and generated patterns) for the README "
                 "screenshot.\n";
    return argc >= 2 && std::string(argv[1]) == "--help" ? 0 : 2;
  }
  try {
    const fs::path out = argv[1];
    const fs::path photo_dir = argc == 3 ? fs::path(argv[2]) : fs::path("/usr/share/darknet/data");
    std::vector<fs::path> photos;
    if (fs::is_directory(photo_dir))
      for (const auto& entry : fs::directory_iterator(photo_dir))
        if (entry.path().extension() == ".jpg") photos.push_back(entry.path());
    std::sort(photos.begin(), photos.end());
    if (photos.empty()) {
      std::cerr << "make_demo_collection: no *.jpg in " << photo_dir << " (install the Debian package darknet)\n";
      return 3;
    }
    fs::remove_all(out);
    const fs::path site = out / "site";

    Collection c;
    c.name = "demo";
    c.title = "Sample photos and views of them";
    c.created = "2026-12-01T00:00:00Z";
    c.licence_note =
        "Photos: the sample images of the darknet package (/usr/share/darknet/data), with crops, mirror "
        "images and colour shifts of them, and generated patterns.";
    std::vector<std::string> specs;
    for (const auto& name : traditional_feature_names()) specs.push_back(make_feature(name)->spec());
    std::vector<std::vector<float>> rows(specs.size());
    std::vector<std::uint32_t> ids;
    const auto add = [&](const Image& image, const std::string& label, const std::string& title) {
      const std::uint32_t id = static_cast<std::uint32_t>(ids.size());
      // Features of the image as decoded from its stored file, as an indexer sees it.
      const std::vector<std::uint8_t> stored = encode_jpeg(image, 90);
      for (std::size_t f = 0; f < specs.size(); ++f) {
        const auto feature = make_feature(specs[f]);
        const std::vector<float> v = feature->compute(decode_for_need(stored, feature->decode_need()));
        rows[f].insert(rows[f].end(), v.begin(), v.end());
      }
      const std::vector<std::uint8_t> thumb = encode_jpeg(resize_shortest_side(image, 160, ResizeFilter::Bilinear), 82);
      const std::string thumb_path = "thumbs/" + std::to_string(id) + ".jpg";
      write_site_file(site / thumb_path, thumb.data(), thumb.size());
      CollectionItem item;
      item.id = id;
      item.label = label;
      item.thumbnail = thumb_path;
      item.width = static_cast<std::uint32_t>(image.width);
      item.height = static_cast<std::uint32_t>(image.height);
      item.source.title = title;
      c.items.push_back(item);
      ids.push_back(id);
    };
    Image first;
    for (const fs::path& path : photos) {
      const std::vector<std::uint8_t> bytes = read_file(path.string());
      const Image photo = decode_image(bytes.data(), bytes.size()).image;
      if (first.empty()) first = photo;
      const std::string label = path.stem().string();
      c.labels.push_back(label);
      for (const View& v : kViews) add(view_of(photo, v), label, label + ", " + v.name);
    }
    c.labels.push_back("patterns");
    for (int i = 0; i < 10; ++i)
      add(make_pattern(320 + 16 * i, 240 - 8 * i, 100 + i), "patterns", "pattern " + std::to_string(i + 1));

    for (std::size_t f = 0; f < specs.size(); ++f)
      for (Metric metric : kAllMetrics) {
        IndexConfig config;
        config.feature_spec = specs[f];
        config.feature_version = make_feature(specs[f])->version();
        config.metric = metric;
        config.dim = static_cast<std::uint32_t>(make_feature(specs[f])->dim());
        const std::string name = specs[f].substr(0, specs[f].find(':'));
        config.kind = name == "colour" ? IndexKind::Flat : IndexKind::Hnsw;
        config.element = name == "pixels" ? ElementType::Int8 : ElementType::Float32;
        const std::string file = "demo." + feature_slug(specs[f]) + "." + metric_name(metric) + ".lkx";
        c.bundles.push_back(write_site_bundle(site / "index", file, config, ids, rows[f]));
      }
    write_site_text(site / "index" / "demo.json", collection_to_json(c));
    CollectionList list;
    list.default_name = "demo";
    list.collections = {{"demo", c.title, "demo.json"}};
    write_site_text(site / "index" / "collections.json", collection_list_to_json(list));

    // The query: a framing of the first photo that no item has.
    const View query_view{"query", 0.12, 0.08, 0.78, true, 10, 4, -6};
    const std::vector<std::uint8_t> query = encode_jpeg(view_of(first, query_view), 90);
    write_site_file(out / "query.jpg", query.data(), query.size());
    std::cout << "demo collection: " << ids.size() << " items, " << c.bundles.size() << " bundles in " << site << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "make_demo_collection: " << e.what() << "\n";
    return 1;
  }
}
