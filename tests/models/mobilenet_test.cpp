// MobileNetV2 int8 from ../shared/models (skipped with a message when it is
// absent): the bald eagle photo through the classifier must come out as
// ImageNet class 22, "bald eagle" — which only happens when the card's
// preprocessing (shortest side 256, centre crop 224, ImageNet mean/std,
// RGB order) is right — and the embed variant gives 1280-d unit vectors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "embed/model_embedder.h"
#include "lookalike/common/error.h"
#include "lookalike/image/decode.h"
#include "model_test_support.h"
#include "support/skip.h"
#include "support/test_images.h"

using namespace lookalike;
using namespace lookalike::testing;
using cli::ModelEmbedder;
using cli::ModelEmbedderOptions;

namespace {

const fs::path kShared = fs::path(LOOKALIKE_SHARED_DIR) / "models";
const char* kEagle = "/usr/share/darknet/data/eagle.jpg";

void require_file(const fs::path& path, const char* what) {
  if (!fs::exists(path)) skip_test(std::string(what) + " is not at " + path.string());
}

Image load(const char* path) {
  const auto bytes = read_file(path);
  return decode_image(bytes.data(), bytes.size()).image;
}

}  // namespace

TEST_CASE("MobileNetV2 classifier with the card's preprocessing calls the eagle a bald eagle (class 22)") {
  const fs::path model = kShared / "mobilenetv2-12-int8.onnx";
  require_file(model, "../shared/models/mobilenetv2-12-int8.onnx");
  require_file(kEagle, "darknet's eagle.jpg");
  // The committed card's preprocessing, with the classifier's logits as output.
  nlohmann::json card = read_json(source_dir() / "models/mobilenetv2-int8.json");
  card["name"] = "mobilenetv2-int8-logits";
  card["model"] = {{"file", "mobilenetv2-12-int8.onnx"}};
  card["output"] = {{"name", "output"}, {"dim", 1000}, {"l2_normalize", false}};
  TempDir dir;
  write_text(dir.path / "logits.json", card.dump());
  ModelEmbedderOptions options;
  options.model_path = model.string();
  ModelEmbedder classifier = ModelEmbedder::open((dir.path / "logits.json").string(), options);
  const std::vector<float> logits = classifier.embed(load(kEagle));
  REQUIRE(logits.size() == 1000);
  const auto best = std::max_element(logits.begin(), logits.end()) - logits.begin();
  CHECK(best == 22);
}

TEST_CASE("MobileNetV2 embed card gives 1280-d unit vectors that tell photos apart") {
  const fs::path model = kShared / "mobilenetv2-12-int8-embed.onnx";
  require_file(model, "../shared/models/mobilenetv2-12-int8-embed.onnx");
  require_file(kEagle, "darknet's eagle.jpg");
  ModelEmbedderOptions options;
  options.model_path = model.string();
  ModelEmbedder embedder = ModelEmbedder::open("mobilenetv2-int8", options);
  CHECK(embedder.dim() == 1280);
  const auto vectors = embedder.embed({load(kEagle), load(kEagle), load("/usr/share/darknet/data/dog.jpg")});
  REQUIRE(vectors.size() == 3);
  double norm = 0, same = 0, other = 0;
  for (std::size_t d = 0; d < 1280; ++d) {
    norm += double(vectors[0][d]) * vectors[0][d];
    same += double(vectors[0][d]) * vectors[1][d];
    other += double(vectors[0][d]) * vectors[2][d];
  }
  CHECK(std::sqrt(norm) == Approx(1.0).epsilon(1e-5));
  CHECK(same == Approx(1.0).epsilon(1e-5));
  CHECK(other < 0.9);
}
