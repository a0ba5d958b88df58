// The tiny model end to end through the Node worker: the protocol, batching,
// normalisation, the parallel file pipeline and `lookalike embed`, checked
// against references computed without the worker.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <cmath>
#include <cstdlib>
#include <fstream>

#include "dataset/manifest.h"
#include "embed/embed_inputs.h"
#include "embed/model_embedder.h"
#include "embed/npy_file.h"
#include "lookalike/common/error.h"
#include "lookalike/image/decode.h"
#include "lookalike/image/encode.h"
#include "lookalike/model/preprocess.h"
#include "model_test_support.h"
#include "support/test_images.h"

using namespace lookalike;
using namespace lookalike::testing;
using cli::ModelEmbedder;
using cli::ModelEmbedderOptions;

namespace {

double cosine(const float* a, const float* b, std::size_t n) {
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < n; ++i) ab += double(a[i]) * b[i], aa += double(a[i]) * a[i], bb += double(b[i]) * b[i];
  return ab / std::sqrt(aa * bb);
}

ModelEmbedder tiny(std::size_t batch = 16, bool normalize = true) {
  return ModelEmbedder::open("tiny-embed", test_embedder_options(batch, normalize));
}

std::vector<Image> test_images() {
  std::vector<Image> images;
  for (const char* name : {"dog", "eagle", "giraffe"}) {
    const auto bytes = read_file(std::string("/usr/share/darknet/data/") + name + ".jpg");
    if (!bytes.empty()) images.push_back(decode_image(bytes.data(), bytes.size()).image);
  }
  images.push_back(make_pattern(300, 200, 1));
  images.push_back(make_pattern(150, 260, 2));
  images.push_back(solid(224, 224, 200, 30, 60));
  return images;
}

}  // namespace

TEST_CASE("tiny model through the worker equals the generator's own numpy forward pass") {
  const nlohmann::json reference = read_json(source_dir() / "models/test/tiny-embed.reference.json");
  const int batch = reference["batch"];
  const std::vector<float> input = tiny_reference_input(batch);
  ModelEmbedder raw = tiny(16, false);
  CHECK(raw.dim() == 32);
  CHECK(raw.runtime_info().onnxruntime_version.size() > 0);
  const std::vector<float> out = raw.embed_tensors(input.data(), std::size_t(batch));
  REQUIRE(out.size() == std::size_t(batch) * 32);
  for (int n = 0; n < batch; ++n)
    for (int d = 0; d < 32; ++d)
      CHECK(out[n * 32 + d] == Approx(reference["embedding"][n][d].get<double>()).margin(1e-5));

  ModelEmbedder normalised = tiny(16, true);
  const std::vector<float> unit = normalised.embed_tensors(input.data(), std::size_t(batch));
  for (int n = 0; n < batch; ++n) {
    double norm = 0;
    for (int d = 0; d < 32; ++d) norm += double(unit[n * 32 + d]) * unit[n * 32 + d];
    CHECK(std::sqrt(norm) == Approx(1.0).epsilon(1e-6));
    CHECK(cosine(&unit[n * 32], &out[n * 32], 32) == Approx(1.0).epsilon(1e-6));
  }
}

TEST_CASE("images through preprocess + worker equal onnxruntime-node run directly on the same tensors") {
  const std::vector<Image> images = test_images();
  ModelEmbedder embedder = tiny(4, false);
  const auto vectors = embedder.embed(images);
  REQUIRE(vectors.size() == images.size());
  std::vector<float> tensors;
  for (const auto& image : images) {
    const auto t = preprocess_for_model(image, embedder.card());
    tensors.insert(tensors.end(), t.begin(), t.end());
  }
  const std::vector<float> reference =
      reference_run((source_dir() / "models/test/tiny-embed.onnx").string(), "pixel_values", "embedding", tensors,
                    int(images.size()), 224, 224);
  REQUIRE(reference.size() == images.size() * 32);
  for (std::size_t i = 0; i < images.size(); ++i)
    for (std::size_t d = 0; d < 32; ++d) CHECK(vectors[i][d] == Approx(reference[i * 32 + d]).margin(1e-5));
}

TEST_CASE("batch size does not change embeddings and the card's max_batch caps it") {
  const std::vector<Image> images = test_images();
  ModelEmbedder one = tiny(1), many = tiny(5);
  CHECK(one.batch_size() == 1);
  CHECK(many.batch_size() == 5);
  const auto a = one.embed(images), b = many.embed(images);
  for (std::size_t i = 0; i < images.size(); ++i)
    for (std::size_t d = 0; d < 32; ++d) CHECK(a[i][d] == Approx(b[i][d]).margin(1e-6));

  TempDir dir;
  nlohmann::json card = read_json(tiny_card_path());
  card["model"]["max_batch"] = 2;
  write_text(dir.path / "capped.json", card.dump());
  fs::copy_file(source_dir() / "models/test/tiny-embed.onnx", dir.path / "tiny-embed.onnx");
  ModelEmbedderOptions options;
  options.batch_size = 64;
  CHECK(ModelEmbedder::open((dir.path / "capped.json").string(), options).batch_size() == 2);
}

TEST_CASE("the file pipeline embeds what decodes and records what does not in input order") {
  TempDir dir;
  std::vector<std::string> paths;
  std::vector<Image> expected_images;
  for (int i = 0; i < 11; ++i) {
    const Image image = make_pattern(120 + 13 * i, 90 + 7 * i, i);
    const auto png = encode_png(image);
    const fs::path p = dir.path / ("img" + std::to_string(i) + ".png");
    std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(png.data()), std::streamsize(png.size()));
    paths.push_back(p.string());
    expected_images.push_back(image);
    if (i == 4) {
      write_text(dir.path / "broken.jpg", "\xff\xd8\xff\xe0 this is not a JPEG");
      paths.push_back((dir.path / "broken.jpg").string());
    }
  }
  paths.push_back((dir.path / "missing.png").string());

  ModelEmbedder embedder = tiny(4);
  std::vector<std::size_t> progress;
  cli::EmbedFilesOptions options;
  options.decode_threads = 3;
  options.on_progress = [&](std::size_t done) { progress.push_back(done); };
  const cli::EmbedFilesResult result = cli::embed_image_files(embedder, paths, options);
  CHECK(result.embedded == 11);
  CHECK_FALSE(result.stopped);
  REQUIRE(result.errors.size() == paths.size());
  CHECK_FALSE(result.errors[5].empty());  // broken.jpg
  CHECK_THAT(result.errors.back(), Catch::Contains("missing.png"));
  CHECK_FALSE(result.done[5]);
  REQUIRE_FALSE(progress.empty());
  CHECK(progress.back() == paths.size());

  const auto direct = embedder.embed(expected_images);
  std::size_t k = 0;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (!result.done[i]) continue;
    for (std::size_t d = 0; d < 32; ++d) CHECK(result.vectors[i * 32 + d] == Approx(direct[k][d]).margin(1e-6));
    ++k;
  }
  CHECK(k == expected_images.size());
}

TEST_CASE("the file pipeline sends no further batch once asked to stop and keeps the batches already sent") {
  TempDir dir;
  std::vector<std::string> paths;
  for (int i = 0; i < 20; ++i) {
    const auto png = encode_png(make_pattern(64, 64, i));
    const fs::path p = dir.path / ("p" + std::to_string(i) + ".png");
    std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(png.data()), std::streamsize(png.size()));
    paths.push_back(p.string());
  }
  ModelEmbedder embedder = tiny(4);
  std::size_t batches = 0, finished = 0, finished_when_asked = 0;
  cli::EmbedFilesOptions options;
  options.on_progress = [&](std::size_t done) { ++batches, finished = done; };
  options.should_stop = [&] {
    if (batches >= 2 && finished_when_asked == 0) finished_when_asked = finished;
    return batches >= 2;
  };
  const auto result = cli::embed_image_files(embedder, paths, options);
  CHECK(result.stopped);
  REQUIRE(finished_when_asked == 8);
  // The batches in flight when asked (as many as the worker may hold) were finished, nothing after them.
  const std::size_t expected = finished_when_asked + ModelEmbedder::max_batches_in_flight() * 4;
  CHECK(result.embedded == expected);
  for (std::size_t i = 0; i < paths.size(); ++i) {
    CHECK(result.done[i] == (i < expected));
    if (i >= expected) CHECK_THAT(result.errors[i], Catch::Contains("stopped"));
  }
  CHECK(finished == expected);
  CHECK(embedder.batches_in_flight() == 0);
}

TEST_CASE("npy header is what numpy writes") {
  const std::string h = cli::npy_header_float32(3, 32);
  CHECK(h.size() % 64 == 0);
  CHECK(h.substr(0, 8) == std::string("\x93NUMPY\x01\x00", 8));
  CHECK(h.find("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 32), }") == 10);
  CHECK(h.back() == '\n');
}

TEST_CASE("lookalike embed writes OUT.npy and OUT.json and exits 6 when some images fail") {
  TempDir dir;
  fs::create_directories(dir.path / "images" / "red");
  fs::create_directories(dir.path / "images" / "blue");
  const auto red = encode_jpeg(solid(80, 60, 220, 20, 20)), blue = encode_png(solid(70, 90, 20, 20, 220));
  std::ofstream(dir.path / "images/red/a.jpg", std::ios::binary)
      .write(reinterpret_cast<const char*>(red.data()), std::streamsize(red.size()));
  std::ofstream(dir.path / "images/blue/b.png", std::ios::binary)
      .write(reinterpret_cast<const char*>(blue.data()), std::streamsize(blue.size()));
  write_text(dir.path / "images/blue/c.jpg", "not an image");
  const fs::path out = dir.path / "out" / "emb.npy";
  const std::string command = std::string(LOOKALIKE_CLI_PATH) + " --json -q embed --card tiny-embed -b 2 -o '" +
                              out.string() + "' '" + (dir.path / "images").string() + "' > '" +
                              (dir.path / "summary.json").string() + "'";
  const int status = std::system(command.c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 6);
  const nlohmann::json summary = read_json(dir.path / "summary.json");
  CHECK(summary["embedded"] == 2);
  CHECK(summary["failed"] == 1);
  const nlohmann::json meta = read_json(dir.path / "out" / "emb.json");
  CHECK(meta["feature"] == "model:tiny-embed");
  CHECK(meta["dim"] == 32);
  CHECK(meta["count"] == 2);
  CHECK(meta["normalized"] == true);
  REQUIRE(meta["items"].size() == 2);
  CHECK(meta["items"][0]["label"] == "blue");
  CHECK(meta["items"][1]["label"] == "red");
  CHECK_THAT(meta["failed"][0]["path"].get<std::string>(), Catch::EndsWith("c.jpg"));

  const auto bytes = read_file(out.string());
  const std::string header = cli::npy_header_float32(2, 32);
  REQUIRE(bytes.size() == header.size() + 2 * 32 * 4);
  CHECK(std::string(bytes.begin(), bytes.begin() + long(header.size())) == header);
  ModelEmbedder embedder = tiny();
  const auto blue_vector = embedder.embed(decode_image(blue.data(), blue.size()).image);
  const float* row0 = reinterpret_cast<const float*>(bytes.data() + header.size());
  for (int d = 0; d < 32; ++d) CHECK(row0[d] == Approx(blue_vector[d]).margin(1e-6));
}

TEST_CASE("embed inputs: a prep manifest written away from its images gives the images' own paths") {
  TempDir dir;
  cli::Manifest manifest;
  manifest.created = "2026-12-07T00:00:00Z";
  manifest.tool = "lookalike test";
  manifest.roots.push_back({dir.path / "photos", cli::SourceLayout::Folders});
  cli::ManifestImage image;
  image.path = "cats/a.png";
  image.label = "cats";
  image.split = cli::Split::Test;
  image.format = "png";
  image.pixel_hash = std::string(32, '0');
  manifest.images.push_back(image);
  fs::create_directories(dir.path / "prepared");
  cli::write_manifest(dir.path / "prepared" / "manifest.json", manifest);
  const auto inputs = cli::collect_embed_inputs({(dir.path / "prepared" / "manifest.json").string()});
  REQUIRE(inputs.size() == 1);
  CHECK(inputs[0].path == (dir.path / "photos" / "cats" / "a.png").string());
  CHECK(inputs[0].label == "cats");
  CHECK(inputs[0].split == "test");
}

TEST_CASE("embed inputs: folders give labels from the first sub-folder and manifests give paths ids and labels") {
  TempDir dir;
  fs::create_directories(dir.path / "set" / "cats" / "deep");
  fs::create_directories(dir.path / "data");
  for (const char* p : {"set/top.png", "set/cats/a.png", "set/cats/deep/b.png", "data/x.jpg", "data/y.jpg"})
    write_text(dir.path / p, "x");
  write_text(dir.path / "set" / "notes.txt", "not an image");
  write_text(
      dir.path / "manifest.json",
      R"({"root":"data","items":[{"path":"x.jpg","id":7,"label":"beach","split":"test"},"y.jpg",{"file":"/abs/z.jpg","class":"sea"}]})");
  const auto inputs = cli::collect_embed_inputs({(dir.path / "set").string(), (dir.path / "manifest.json").string()});
  REQUIRE(inputs.size() == 6);
  CHECK_THAT(inputs[0].path, Catch::EndsWith("cats/a.png"));
  CHECK(inputs[0].label == "cats");
  CHECK(inputs[1].label == "cats");
  CHECK(inputs[2].label.empty());  // top.png sits at the top level
  CHECK(inputs[3].path == (dir.path / "data" / "x.jpg").string());
  CHECK(inputs[3].id == 7);
  CHECK(inputs[3].label == "beach");
  CHECK(inputs[3].split == "test");
  CHECK(inputs[4].id.is_null());
  CHECK(inputs[5].path == "/abs/z.jpg");
  CHECK(inputs[5].label == "sea");
  write_text(dir.path / "bad.json", R"({"things":[]})");
  CHECK_THROWS_WITH(cli::collect_embed_inputs({(dir.path / "bad.json").string()}),
                    Catch::Contains("no \"items\" array"));
  CHECK_THROWS_WITH(cli::collect_embed_inputs({(dir.path / "nothing-here").string()}),
                    Catch::Contains("no such file or folder"));
}
