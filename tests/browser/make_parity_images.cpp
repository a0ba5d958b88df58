// Writes the images of the model parity tests (tests/browser/model-parity.test.mjs):
// a small collection for `lookalike index --feature model:<card>` and query
// files the collection does not hold, in every format the core decodes.
//
//   make_parity_images OUT_DIR [DARKNET_DATA_DIR]
//
// OUT_DIR/collection/<label>/…  generated pictures of four looks (circles,
//     stripes, colour fields, checks; PNG and JPEG), and, when DARKNET_DATA_DIR
//     (/usr/share/darknet/data) holds its seven photos, those photos with a
//     mirrored and a recoloured, cropped copy of each
// OUT_DIR/queries/…             new pictures of each look as PNG (RGB, grey,
//     RGBA with transparency), BMP, GIF, JPEG; a large, a small and a tall
//     one (strong down- and up-scaling, a crop); with darknet's photos, two
//     12-megapixel phone-like JPEGs made of them (baseline; progressive with
//     EXIF orientation 6), which both sides decode reduced; JPEGs carrying an EXIF
//     orientation together with PNGs of the same pixels turned upright by
//     this program (not by the core) and the JPEGs without EXIF, so a test
//     can tell orientation applied from orientation ignored
// OUT_DIR/queries.json          {"queries": [{file, what}], "upright": [{rotated, upright, stored, orientation}],
//     "darknet": bool, "collection": count}
//
// Every picture is deterministic (a fixed LCG), so runs compare across builds.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <stb/stb_image_write.h>
#include <nlohmann/json.hpp>

#include "lookalike/common/error.h"
#include "lookalike/image/decode.h"
#include "lookalike/image/encode.h"
#include "support/test_images.h"
#include "support/test_photos.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace lookalike;
using namespace lookalike::testing;

namespace {

const std::vector<std::string> kDarknetPhotos = {"dog", "eagle", "giraffe", "horses", "kite", "person", "scream"};

struct Lcg {
  std::uint32_t state;
  explicit Lcg(std::uint32_t seed) : state(seed * 2654435761u + 1u) {}
  double next() {  // [0, 1)
    state = state * 1664525u + 1013904223u;
    return double(state >> 8) / double(1u << 24);
  }
  double range(double lo, double hi) { return lo + (hi - lo) * next(); }
};

std::uint8_t clamp8(double v) { return std::uint8_t(std::clamp(std::lround(v), 0L, 255L)); }

struct Rgb {
  double r, g, b;
};

Rgb random_colour(Lcg& rng) { return {rng.range(0, 255), rng.range(0, 255), rng.range(0, 255)}; }

// The four looks of the generated pictures; `seed` varies colours, sizes and positions.
Image make_look(int look, int seed, int width, int height) {
  Lcg rng(std::uint32_t(look * 1000 + seed));
  Image image(width, height);
  const Rgb a = random_colour(rng), b = random_colour(rng);
  struct Circle {
    double x, y, r;
    Rgb c;
  };
  std::vector<Circle> circles;
  for (int i = 0; i < 5; ++i)
    circles.push_back({rng.range(0, width), rng.range(0, height), rng.range(0.08, 0.3) * std::min(width, height),
                       random_colour(rng)});
  const double angle = rng.range(0, 3.14159), period = rng.range(8, 40);
  struct Bump {
    double x, y, s;
    Rgb c;
  };
  std::vector<Bump> bumps;
  for (int i = 0; i < 6; ++i)
    bumps.push_back({rng.range(0, 1), rng.range(0, 1), rng.range(0.1, 0.35), random_colour(rng)});
  const int cell = 6 + int(rng.range(0, 30));
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const double u = double(x) / width, v = double(y) / height;
      Rgb p{a.r + (b.r - a.r) * u, a.g + (b.g - a.g) * v, a.b + (b.b - a.b) * (u + v) / 2};
      switch (look) {
        case 0:  // circles on a gradient
          for (const Circle& c : circles)
            if ((x - c.x) * (x - c.x) + (y - c.y) * (y - c.y) < c.r * c.r) p = c.c;
          break;
        case 1: {  // stripes at an angle
          const double t = std::sin((x * std::cos(angle) + y * std::sin(angle)) * 6.2832 / period);
          p = t > 0 ? Rgb{a.r, a.g, a.b} : Rgb{b.r * 0.5 + 100, b.g * 0.5, b.b * 0.5 + 60};
          break;
        }
        case 2: {  // smooth colour fields
          Rgb sum{0, 0, 0};
          double weight = 0.2;
          sum = {p.r * 0.2, p.g * 0.2, p.b * 0.2};
          for (const Bump& k : bumps) {
            const double w = std::exp(-((u - k.x) * (u - k.x) + (v - k.y) * (v - k.y)) / (2 * k.s * k.s));
            sum.r += w * k.c.r, sum.g += w * k.c.g, sum.b += w * k.c.b;
            weight += w;
          }
          p = {sum.r / weight, sum.g / weight, sum.b / weight};
          break;
        }
        default:  // checks over the gradient, with some grain
          if (((x / cell) + (y / cell)) % 2) p = {255 - p.r, 255 - p.g * 0.7, 255 - p.b * 0.4};
          p.r += rng.range(-12, 12), p.g += rng.range(-12, 12), p.b += rng.range(-12, 12);
          break;
      }
      std::uint8_t* out = image.at(x, y);
      out[0] = clamp8(p.r), out[1] = clamp8(p.g), out[2] = clamp8(p.b);
    }
  return image;
}

const char* kLookNames[] = {"circles", "stripes", "fields", "checks"};

// Turns an image as an EXIF orientation asks a viewer to (2–8), written here
// independently of the core's exif_orientation.cpp.
Image turn_upright(const Image& in, int orientation) {
  const bool swap = orientation >= 5;
  Image out(swap ? in.height : in.width, swap ? in.width : in.height);
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x) {
      int sx = x, sy = y;
      switch (orientation) {
        case 2: sx = in.width - 1 - x; break;  // mirrored
        case 3:
          sx = in.width - 1 - x;
          sy = in.height - 1 - y;
          break;                                // upside down
        case 4: sy = in.height - 1 - y; break;  // mirrored vertically
        case 5:
          sx = y;
          sy = x;
          break;  // transposed
        case 6:
          sx = y;
          sy = in.height - 1 - x;
          break;  // stored turned left: turn right
        case 7:
          sx = in.width - 1 - y;
          sy = in.height - 1 - x;
          break;  // transversed
        case 8:
          sx = in.width - 1 - y;
          sy = x;
          break;  // stored turned right: turn left
        default: break;
      }
      const std::uint8_t* s = in.at(sx, sy);
      std::copy(s, s + 3, out.at(x, y));
    }
  return out;
}

Image mirrored(const Image& in) { return turn_upright(in, 2); }

// A central crop (80 %) with the colours shifted: a near copy, not a duplicate.
Image recoloured_crop(const Image& in) {
  const int w = in.width * 4 / 5, h = in.height * 4 / 5, x0 = (in.width - w) / 2, y0 = (in.height - h) / 2;
  Image out(w, h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const std::uint8_t* s = in.at(x0 + x, y0 + y);
      std::uint8_t* d = out.at(x, y);
      d[0] = clamp8(s[0] * 0.85 + 30), d[1] = clamp8(s[1] * 0.95), d[2] = clamp8(s[2] * 1.1 + 10);
    }
  return out;
}

void write_bytes(const fs::path& path, const Bytes& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

Bytes encode_bmp(const Image& image) {
  Bytes out;
  stbi_write_bmp_to_func(
      [](void* context, void* data, int size) {
        auto* bytes = static_cast<Bytes*>(context);
        bytes->insert(bytes->end(), static_cast<std::uint8_t*>(data), static_cast<std::uint8_t*>(data) + size);
      },
      &out, image.width, image.height, 3, image.rgb.data());
  return out;
}

Bytes encode_grey_png(const Image& image) {
  Bytes samples(image.pixel_count());
  for (std::size_t i = 0; i < samples.size(); ++i)
    samples[i] = clamp8(0.299 * image.rgb[i * 3] + 0.587 * image.rgb[i * 3 + 1] + 0.114 * image.rgb[i * 3 + 2]);
  return encode_png_raw(image.width, image.height, 0, 8, samples);
}

// RGBA with a transparent frame and a half-transparent band: the core composites onto white.
Bytes encode_rgba_png(const Image& image) {
  Bytes samples;
  samples.reserve(image.pixel_count() * 4);
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x) {
      const std::uint8_t* p = image.at(x, y);
      const bool frame =
          x < image.width / 10 || x >= image.width * 9 / 10 || y < image.height / 10 || y >= image.height * 9 / 10;
      const std::uint8_t alpha = frame ? 0 : (y > image.height / 2 && y < image.height * 2 / 3) ? 128 : 255;
      samples.insert(samples.end(), {p[0], p[1], p[2], alpha});
    }
  return encode_png_raw(image.width, image.height, 6, 8, samples);
}

// A GIF of the picture reduced to a 6×6×6 colour cube.
Bytes encode_cube_gif(const Image& image) {
  Bytes palette;
  for (int r = 0; r < 6; ++r)
    for (int g = 0; g < 6; ++g)
      for (int b = 0; b < 6; ++b)
        palette.insert(palette.end(), {std::uint8_t(r * 51), std::uint8_t(g * 51), std::uint8_t(b * 51)});
  while (palette.size() < 256 * 3) palette.push_back(0);
  Bytes indices(image.pixel_count());
  for (std::size_t i = 0; i < indices.size(); ++i) {
    const auto level = [&](int c) { return (image.rgb[i * 3 + c] * 5 + 127) / 255; };
    indices[i] = std::uint8_t(level(0) * 36 + level(1) * 6 + level(2));
  }
  return encode_gif(image.width, image.height, palette, indices);
}

Image decode_stored(const Bytes& bytes) {
  DecodeOptions options;
  options.apply_exif_orientation = false;
  return decode_image(bytes.data(), bytes.size(), options).image;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: make_parity_images OUT_DIR [DARKNET_DATA_DIR]\n";
    return 2;
  }
  try {
    const fs::path out = argv[1];
    fs::remove_all(out / "collection");
    fs::remove_all(out / "queries");
    const fs::path collection = out / "collection", queries = out / "queries";
    int count = 0;

    // The collection: eight pictures of each look, sizes and formats varied.
    for (int look = 0; look < 4; ++look)
      for (int j = 0; j < 8; ++j) {
        const int width = 200 + 37 * j, height = 150 + 23 * ((j * 5) % 7);
        const Image image = make_look(look, j, width, height);
        const fs::path dir = collection / kLookNames[look];
        if (j % 2)
          write_bytes(dir / (std::to_string(j) + ".jpg"), encode_jpeg(image, 92));
        else
          write_bytes(dir / (std::to_string(j) + ".png"), encode_png(image));
        ++count;
      }

    json listed = json::array(), upright = json::array();
    const auto query = [&](const std::string& file, const Bytes& bytes, const std::string& what) {
      write_bytes(queries / file, bytes);
      listed.push_back({{"file", file}, {"what", what}});
    };
    query("circles.png", encode_png(make_look(0, 20, 320, 240)), "RGB PNG");
    query("stripes.bmp", encode_bmp(make_look(1, 21, 300, 260)), "BMP");
    query("fields.gif", encode_cube_gif(make_look(2, 22, 280, 210)), "palette GIF");
    query("checks.jpg", encode_jpeg(make_look(3, 23, 360, 270), 90), "JPEG");
    query("fields-grey.png", encode_grey_png(make_look(2, 24, 256, 256)), "grey PNG");
    query("circles-alpha.png", encode_rgba_png(make_look(0, 25, 300, 300)), "RGBA PNG with transparency");
    query("stripes-large.jpg", encode_jpeg(make_look(1, 26, 2400, 1600), 85), "2400×1600 JPEG (strong downscaling)");
    query("checks-small.png", encode_png(make_look(3, 27, 72, 60)), "72×60 PNG (upscaling)");
    query("circles-tall.png", encode_png(make_look(0, 28, 90, 640)), "90×640 PNG (a narrow crop)");

    // An EXIF-rotated JPEG, the same pixels upright as PNG, and the JPEG without its EXIF segment.
    const auto rotated_pair = [&](const std::string& stem, const Bytes& jpeg, int orientation,
                                  const std::string& what) {
      const std::string name = stem + "-exif" + std::to_string(orientation);
      query(name + ".jpg", with_exif_orientation(jpeg, orientation),
            what + " carrying EXIF orientation " + std::to_string(orientation));
      query(name + "-upright.png", encode_png(turn_upright(decode_stored(jpeg), orientation)),
            "its pixels turned upright, as PNG");
      query(name + "-stored.jpg", jpeg, "the same JPEG without EXIF (as stored, sideways)");
      upright.push_back({{"rotated", name + ".jpg"},
                         {"upright", name + "-upright.png"},
                         {"stored", name + "-stored.jpg"},
                         {"orientation", orientation}});
    };
    rotated_pair("fields", encode_jpeg(make_look(2, 29, 320, 200), 90), 6, "a JPEG");

    bool darknet = false;
    if (argc == 3) {
      const fs::path dir = argv[2];
      darknet = std::all_of(kDarknetPhotos.begin(), kDarknetPhotos.end(), [&](const std::string& name) {
        std::error_code ec;
        return fs::is_regular_file(dir / (name + ".jpg"), ec);
      });
      if (darknet) {
        for (const std::string& name : kDarknetPhotos) {
          const Bytes jpeg = read_file((dir / (name + ".jpg")).string());
          write_bytes(collection / "darknet" / (name + ".jpg"), jpeg);
          const Image image = decode_stored(jpeg);
          write_bytes(collection / "darknet-mirrored" / (name + ".png"), encode_png(mirrored(image)));
          write_bytes(collection / "darknet-recoloured" / (name + ".jpg"), encode_jpeg(recoloured_crop(image), 90));
          count += 3;
        }
        rotated_pair("dog", read_file((dir / "dog.jpg").string()), 8, "darknet's dog.jpg");
        // Phone-sized photos, which both sides decode reduced for the card (tests/support/test_photos.h).
        const Image phone = photo_mosaic(4032, 3024);
        query("phone-12mp.jpg", encode_camera_jpeg(phone, {92, false}),
              "4032×3024 phone-like JPEG of darknet's photos, baseline 4:2:0 (decoded reduced)");
        query("phone-12mp-progressive-exif6.jpg", with_exif_orientation(encode_camera_jpeg(phone, {92, true}), 6),
              "the same, progressive, EXIF orientation 6 (portrait)");
      }
    }

    const json manifest = {{"queries", listed}, {"upright", upright}, {"darknet", darknet}, {"collection", count}};
    std::ofstream(out / "queries.json") << manifest.dump(1) << "\n";
    std::cout << "wrote " << count << " collection images and " << listed.size() << " queries to " << out.string()
              << (darknet ? "" : " (without darknet's photos)") << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "make_parity_images: " << e.what() << "\n";
    return 1;
  }
}
