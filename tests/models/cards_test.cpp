// The committed model cards parse and say what their models need.
#include <catch2/catch.hpp>

#include "embed/model_files.h"
#include "lookalike/common/error.h"
#include "lookalike/model/model_card.h"
#include "lookalike/model/text_model_card.h"
#include "model_test_support.h"
#include "support/test_images.h"

using namespace lookalike;
using namespace lookalike::testing;

namespace {

ModelCard committed(const std::string& relative) {
  return parse_model_card(read_text_file((source_dir() / "models" / relative).string()));
}

}  // namespace

TEST_CASE("every committed card parses and names a plain relative file") {
  int cards = 0;
  for (const fs::path& dir : {source_dir() / "models", source_dir() / "models" / "test"}) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (entry.path().extension() != ".json" || name.find(".reference.") != std::string::npos) continue;
      INFO(entry.path());
      const std::string text = read_text_file(entry.path().string());
      if (is_text_model_card(text)) continue;  // text_cards_test.cpp
      const ModelCard card = parse_model_card(text);
      CHECK(card.name + ".json" == name);
      CHECK(fs::path(card.file).is_relative());
      CHECK(card.file.find("..") == std::string::npos);
      CHECK(card.output_dim > 0);
      ++cards;
    }
  }
  CHECK(cards == 4);
}

TEST_CASE("CLIP ViT-B/32 card: CLIP's preprocessing and the export's names") {
  for (const char* file : {"clip-vit-b32.json", "clip-vit-b32-q8.json"}) {
    INFO(file);
    const ModelCard c = committed(file);
    CHECK(c.input_name == "pixel_values");
    CHECK(c.output_name == "image_embeds");
    CHECK(c.output_dim == 512);
    CHECK(c.l2_normalize);
    CHECK(c.width == 224);
    CHECK(c.height == 224);
    CHECK(c.resize_mode == ResizeMode::ShortestSideCrop);
    CHECK(c.shortest_side == 224);
    CHECK(c.filter == ResizeFilter::Bicubic);
    CHECK(c.channel_order == ChannelOrder::RGB);
    CHECK(c.scale == 255.0f);
    CHECK(c.mean[0] == 0.48145466f);
    CHECK(c.mean[1] == 0.4578275f);
    CHECK(c.mean[2] == 0.40821073f);
    CHECK(c.stddev[0] == 0.26862954f);
    CHECK(c.stddev[1] == 0.26130258f);
    CHECK(c.stddev[2] == 0.27577711f);
    CHECK(c.url.rfind("https://huggingface.co/Xenova/clip-vit-base-patch32/resolve/", 0) == 0);
    CHECK(c.sha256.size() == 64);
  }
  const ModelCard fp32 = committed("clip-vit-b32.json");
  CHECK(fp32.sha256 == "fd6e1402a588279d1723c7534d4bcba5bc0b14b47dfab0e46f8c47b8270d7d40");
  CHECK(fp32.bytes == 351685709u);
  CHECK(fp32.max_batch == 0);
  const ModelCard q8 = committed("clip-vit-b32-q8.json");
  CHECK(q8.bytes == 89117001u);
  CHECK(q8.max_batch == 1);  // dynamic quantization: outputs depend on the batch
}

TEST_CASE("MobileNetV2 card has torchvision preprocessing and the pooled 1280-d output and the pinned hash") {
  const ModelCard c = committed("mobilenetv2-int8.json");
  CHECK(c.input_name == "input");
  CHECK(c.output_name == "embedding");
  CHECK(c.output_dim == 1280);
  CHECK(c.shortest_side == 256);
  CHECK(c.width == 224);
  CHECK(c.filter == ResizeFilter::Bilinear);
  CHECK(c.mean[0] == 0.485f);
  CHECK(c.stddev[2] == 0.225f);
  CHECK(c.file == "mobilenetv2-12-int8-embed-float-add.onnx");
  CHECK(c.sha256 == "9aba36403be2dabdaa22030042f2352eacd5f42b689355588b2f10f7da1a20b4");
  CHECK(c.bytes == 3657618u);
}

TEST_CASE("tiny test card matches its committed model file") {
  const ModelCard c = committed("test/tiny-embed.json");
  CHECK(c.output_dim == 32);
  CHECK(fs::file_size(source_dir() / "models/test" / c.file) == c.bytes);
  CHECK(c.bytes < 1'000'000u);
}

TEST_CASE("model.max_batch is optional and must be a positive integer") {
  nlohmann::json card = read_json(tiny_card_path());
  card["model"]["max_batch"] = 4;
  CHECK(parse_model_card(card.dump()).max_batch == 4);
  card["model"]["max_batch"] = 0;
  CHECK_THROWS_WITH(parse_model_card(card.dump()), Catch::Contains("model.max_batch"));
  card["model"]["max_batch"] = "one";
  CHECK_THROWS_WITH(parse_model_card(card.dump()), Catch::Contains("model.max_batch"));
}

TEST_CASE("cards are found by name or model:name or path and unknown names list the known ones") {
  CHECK(cli::load_model_card("tiny-embed").card.name == "tiny-embed");
  CHECK(cli::load_model_card("model:clip-vit-b32").card.output_dim == 512);
  CHECK(cli::load_model_card(tiny_card_path().string()).path == fs::canonical(tiny_card_path()).string());
  try {
    cli::load_model_card("no-such-model");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::InvalidArgument);
    CHECK_THAT(e.what(),
               Catch::Contains("no-such-model") && Catch::Contains("clip-vit-b32") && Catch::Contains("tiny-embed"));
  }
  TempDir dir;
  write_text(dir.path / "bad.json", R"({"name":"bad","model":{"file":"x.onnx"}})");
  CHECK_THROWS_WITH(cli::load_model_card((dir.path / "bad.json").string()),
                    Catch::Contains("bad.json") && Catch::Contains("input"));
}
