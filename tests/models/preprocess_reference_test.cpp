// Every model card's preprocessing against an independent implementation:
// tests/models/pillow_preprocess.py makes the tensors with Debian's
// python3-pil the way torchvision and Hugging Face do (Pillow decodes with
// libjpeg-turbo, resizes with its own filters, crops with the card's
// rounding). Skipped, saying so, when /usr/bin/python3 cannot import PIL.
//
// Photos decoded at full scale: within 0.3 pixel levels on average and 8 at
// most, on real photos cropped so that every card meets odd margins of both
// kinds (the two libraries round 30.5 alike and 31.5 apart), even ones,
// portrait and landscape. A 12-megapixel phone-like photo, which the core
// decodes at a reduced scale for each card: within 1.5 levels on average of
// Pillow's full decode followed by the card's resize.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "lookalike/image/decode.h"
#include "lookalike/image/exif_orientation.h"
#include "lookalike/model/model_card.h"
#include "lookalike/model/preprocess.h"
#include "model_test_support.h"
#include "support/skip.h"
#include "support/test_images.h"
#include "support/test_photos.h"

using namespace lookalike;
using namespace lookalike::testing;

namespace {

const char* const kPython = "/usr/bin/python3";

void require_pillow() {
  const std::string probe = std::string(kPython) + " -c 'import PIL' >/dev/null 2>&1";
  if (std::system(probe.c_str()) != 0)
    skip_test(
        "Debian's python3-pil is not installed (/usr/bin/python3 cannot import PIL; scripts/setup.sh installs it)");
  if (darknet_photos().empty()) skip_test(std::string("darknet's photos are not in ") + kDarknetPhotoDir);
}

struct Photo {
  std::string name;
  fs::path file;
};

// The image cards of models/ and models/test/, one per distinct input section
// (the CLIP cards and the tiny test model preprocess alike; text towers' cards
// have no image input).
std::vector<std::pair<fs::path, ModelCard>> distinct_cards() {
  std::vector<std::pair<fs::path, ModelCard>> out;
  std::set<std::string> inputs;
  for (const fs::path& dir : {source_dir() / "models", source_dir() / "models" / "test"})
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() != ".json" ||
          entry.path().filename().string().find("reference") != std::string::npos)
        continue;
      const nlohmann::json card = read_json(entry.path());
      if (card.value("tower", "image") == "text") continue;
      if (inputs.insert(card["input"].dump()).second) out.emplace_back(entry.path(), parse_model_card(card.dump()));
    }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

std::vector<float> read_floats(const fs::path& path, std::size_t count) {
  std::ifstream in(path, std::ios::binary);
  std::vector<float> values(count);
  in.read(reinterpret_cast<char*>(values.data()), std::streamsize(count * sizeof(float)));
  if (!in) throw std::runtime_error("cannot read " + std::to_string(count) + " floats from " + path.string());
  return values;
}

// Pillow's tensors of `photos` for the card at `card_path`, in order.
std::vector<std::vector<float>> pillow_tensors(const fs::path& card_path, const ModelCard& card,
                                               const std::vector<Photo>& photos, const fs::path& out) {
  fs::create_directories(out);
  std::string command = std::string(kPython) + " '" + (source_dir() / "tests/models/pillow_preprocess.py").string() +
                        "' '" + card_path.string() + "' '" + out.string() + "'";
  for (const Photo& p : photos) command += " '" + p.file.string() + "'";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("pillow_preprocess.py failed: " + command);
  std::vector<std::vector<float>> tensors;
  for (std::size_t i = 0; i < photos.size(); ++i)
    tensors.push_back(read_floats(out / (std::to_string(i) + ".f32"), 3 * std::size_t(card.width) * card.height));
  return tensors;
}

struct Difference {
  double mean = 0, max = 0;  // in pixel levels (0–255)
};

// Tensor differences turned back into pixel levels: Δ · std · scale per channel plane.
Difference levels(const std::vector<float>& ours, const std::vector<float>& reference, const ModelCard& card) {
  const std::size_t plane = std::size_t(card.width) * card.height;
  Difference d;
  for (std::size_t i = 0; i < ours.size(); ++i) {
    const double level = std::abs(double(ours[i]) - reference[i]) * card.stddev[i / plane] * card.scale;
    d.mean += level;
    d.max = std::max(d.max, level);
  }
  d.mean /= double(ours.size());
  return d;
}

// The resized side along which a card's window is cut, and its margin.
int long_margin(const ModelCard& card, int width, int height) {
  const int shorter = std::min(width, height), longer = std::max(width, height);
  const int scaled = int(static_cast<long long>(card.shortest_side) * longer / shorter);
  return scaled - (width >= height ? card.width : card.height);
}

// Crops of darknet's photos whose margin along the longer side falls in each
// residue modulo 4 (even, and odd of both kinds), landscape and portrait.
std::vector<Photo> margin_crops(const ModelCard& card, const fs::path& dir) {
  std::vector<Photo> out;
  const std::vector<std::string> files = darknet_photos();
  for (const bool portrait : {false, true})
    for (int residue = 0; residue < 4; ++residue) {
      bool found = false;
      for (const std::string& file : files) {
        if (found) break;
        const Bytes bytes = read_file(file);
        const Image photo = decode_image(bytes.data(), bytes.size()).image;
        const int fixed = std::min(photo.width, photo.height) * 3 / 4;  // the crop's shorter side
        for (int longer = fixed + 1; longer <= std::max(photo.width, photo.height) && !found; ++longer) {
          const int w = portrait ? fixed : longer, h = portrait ? longer : fixed;
          if (w > photo.width || h > photo.height || long_margin(card, w, h) % 4 != residue) continue;
          Image crop(w, h);
          for (int y = 0; y < h; ++y) std::copy_n(photo.at(0, y), std::size_t(w) * 3, crop.at(0, y));
          const std::string name = fs::path(file).stem().string() + "-" + std::to_string(w) + "x" + std::to_string(h);
          const fs::path path = dir / (name + ".jpg");
          const Bytes jpeg = encode_camera_jpeg(crop, {95, false});
          std::ofstream(path, std::ios::binary)
              .write(reinterpret_cast<const char*>(jpeg.data()), std::streamsize(jpeg.size()));
          out.push_back({name, path});
          found = true;
        }
      }
      INFO((portrait ? "portrait" : "landscape") << " crop with margin ≡ " << residue << " (mod 4)");
      REQUIRE(found);
    }
  return out;
}

// The core's tensor of a photo for a card, decoded with the card's need as
// the CLI and the page decode it; `reduction` tells how it was decoded.
std::vector<float> our_tensor(const fs::path& file, const ModelCard& card, int& reduction) {
  const Bytes bytes = read_file(file.string());
  DecodeOptions options;
  options.need = decode_need(card);
  const DecodedImage decoded = decode_image(bytes.data(), bytes.size(), options);
  reduction = decoded.reduction;
  return preprocess_for_model(decoded.image, card);
}

}  // namespace

TEST_CASE("every card's preprocessing matches Pillow's within 0.3 levels on photos decoded at full scale") {
  require_pillow();
  TempDir dir;
  for (const auto& [card_path, card] : distinct_cards()) {
    std::vector<Photo> photos;
    for (const std::string& file : darknet_photos()) photos.push_back({fs::path(file).filename().string(), file});
    if (card.resize_mode == ResizeMode::ShortestSideCrop) {
      const auto crops = margin_crops(card, dir.path);
      photos.insert(photos.end(), crops.begin(), crops.end());
    }
    const auto reference = pillow_tensors(card_path, card, photos, dir.path / card.name);
    std::size_t compared = 0;
    for (std::size_t i = 0; i < photos.size(); ++i) {
      int reduction = 0;
      const std::vector<float> ours = our_tensor(photos[i].file, card, reduction);
      if (reduction != 1) continue;  // decoded at a reduced scale: the next test's bound
      const Difference d = levels(ours, reference[i], card);
      std::cout << card.name << " " << photos[i].name << ": mean " << d.mean << ", max " << d.max << " levels\n";
      INFO(card.name << " on " << photos[i].name << ": mean " << d.mean << " levels, max " << d.max);
      CHECK(d.mean <= 0.3);
      CHECK(d.max <= 8.0);
      ++compared;
    }
    INFO(card.name);
    CHECK(compared >= 10);  // the eight margin crops and most of darknet's photos
  }
}

TEST_CASE("a 12-megapixel photo decoded at a reduced scale stays within 1.5 levels of Pillow's full decode") {
  require_pillow();
  TempDir dir;
  // 4032×3024 as a phone stores a portrait photo: landscape pixels, EXIF
  // orientation 6, progressive (baseline decodes to the same pixels).
  const Image upright = photo_mosaic(3024, 4032);
  const Bytes jpeg = with_exif_orientation(encode_camera_jpeg(stored_for_orientation(upright, 6), {92, true}), 6);
  const fs::path file = dir.path / "phone-4032x3024-exif6.jpg";
  std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(jpeg.data()), std::streamsize(jpeg.size()));
  for (const auto& [card_path, card] : distinct_cards()) {
    const auto reference = pillow_tensors(card_path, card, {{"phone", file}}, dir.path / card.name);
    int reduction = 0;
    const std::vector<float> ours = our_tensor(file, card, reduction);
    const Difference d = levels(ours, reference[0], card);
    std::cout << card.name << " 4032x3024 decoded at 1/" << reduction << ": mean " << d.mean << ", max " << d.max
              << " levels\n";
    INFO(card.name << ": reduced by " << reduction << ", mean " << d.mean << " levels, max " << d.max);
    CHECK(reduction > 1);
    CHECK(d.mean <= 1.5);
  }
}
