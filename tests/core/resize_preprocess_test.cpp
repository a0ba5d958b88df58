#include <catch2/catch.hpp>

#include "lookalike/common/error.h"
#include "lookalike/image/resize.h"
#include "lookalike/model/model_card.h"
#include "lookalike/model/preprocess.h"
#include "support/test_images.h"

using namespace lookalike;
using namespace lookalike::testing;

namespace {

std::string card_json(const std::string& resize, const std::string& extra_input = "") {
  return R"({"schema":1,"name":"hand","model":{"file":"hand.onnx"},
    "input":{"name":"pixels","width":2,"height":1,"resize":)" +
         resize + R"(,
      "mean":[0.5,0.25,0.0],"std":[0.5,0.25,1.0])" +
         extra_input + R"(},
    "output":{"name":"embedding","dim":4,"l2_normalize":true}})";
}

std::string card_error(const std::string& json) {
  try {
    parse_model_card(json);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("box resize averages whole blocks") {
  // 4×2 image, shrunk to 2×1: each output pixel is the mean of a 2×2 block.
  Image image(4, 2);
  const std::uint8_t values[2][4] = {{10, 20, 100, 200}, {30, 40, 0, 100}};
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 4; ++x) std::fill(image.at(x, y), image.at(x, y) + 3, values[y][x]);
  const Image small = resize(image, 2, 1, ResizeFilter::Box);
  CHECK(int(small.at(0, 0)[0]) == 25);   // (10 + 20 + 30 + 40) / 4
  CHECK(int(small.at(1, 0)[0]) == 100);  // (100 + 200 + 0 + 100) / 4
}

TEST_CASE("shortest side then centre crop, as torchvision and Hugging Face") {
  const Image wide = make_pattern(300, 200);
  const Image scaled = resize_shortest_side(wide, 100, ResizeFilter::Bilinear);
  CHECK(scaled.width == 150);
  CHECK(scaled.height == 100);
  const Image odd = resize_shortest_side(make_pattern(333, 250), 224, ResizeFilter::Bicubic);
  CHECK(odd.width == 298);  // int(224 * 333 / 250) = int(298.368)
  CHECK(odd.height == 224);
  const Image tall = resize_shortest_side(make_pattern(200, 301), 100, ResizeFilter::Box);
  CHECK(tall.width == 100);
  CHECK(tall.height == 150);

  Image six(6, 4);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 6; ++x) six.at(x, y)[0] = std::uint8_t(y * 10 + x);
  // Margin 3 across: Hugging Face's 3 // 2 = 1, torchvision's round(1.5) = 2.
  const Image floor = centre_crop(six, 3, 2, CropRounding::Floor);
  CHECK(int(floor.at(0, 0)[0]) == 11);  // left 1, top 1
  CHECK(int(floor.at(2, 1)[0]) == 23);
  const Image half_even = centre_crop(six, 3, 2, CropRounding::HalfEven);
  CHECK(int(half_even.at(0, 0)[0]) == 12);  // left 2, top 1
  CHECK(int(half_even.at(2, 1)[0]) == 24);
  CHECK_THROWS_AS(centre_crop(six, 7, 2, CropRounding::Floor), Error);
}

TEST_CASE("centre offsets round odd margins as the reference libraries do") {
  // (side, window): margin 61 = scream.jpg with the CLIP card (285 − 224),
  // where both libraries take 30; margin 63, where they part.
  CHECK(centre_offset(285, 224, CropRounding::Floor) == 30);
  CHECK(centre_offset(285, 224, CropRounding::HalfEven) == 30);  // round(30.5) = 30
  CHECK(centre_offset(287, 224, CropRounding::Floor) == 31);
  CHECK(centre_offset(287, 224, CropRounding::HalfEven) == 32);  // round(31.5) = 32
  CHECK(centre_offset(288, 224, CropRounding::Floor) == 32);
  CHECK(centre_offset(288, 224, CropRounding::HalfEven) == 32);
  CHECK(centre_offset(224, 224, CropRounding::HalfEven) == 0);
  CHECK(centre_offset(225, 224, CropRounding::HalfEven) == 0);  // round(0.5) = 0
  CHECK(centre_offset(227, 224, CropRounding::HalfEven) == 2);  // round(1.5) = 2
  CHECK(parse_crop_rounding("half-even") == CropRounding::HalfEven);
  CHECK_THROWS_AS(parse_crop_rounding("round"), Error);
}

TEST_CASE("preprocessing matches values worked out by hand") {
  // 4×2 image of two flat halves, squashed (box) to the card's 2×1 input.
  Image image(4, 2);
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 4; ++x) {
      std::uint8_t* p = image.at(x, y);
      p[0] = x < 2 ? 255 : 0;
      p[1] = x < 2 ? 51 : 102;
      p[2] = x < 2 ? 0 : 255;
    }
  const ModelCard card = parse_model_card(card_json(R"({"mode":"exact","filter":"box"})"));
  const std::vector<float> t = preprocess_for_model(image, card);
  REQUIRE(t.size() == 6);  // NCHW: R plane, G plane, B plane, 2 values each
  // R: (1 − 0.5) / 0.5 = 1 ; (0 − 0.5) / 0.5 = −1
  CHECK(t[0] == Approx(1.0f));
  CHECK(t[1] == Approx(-1.0f));
  // G: (0.2 − 0.25) / 0.25 = −0.2 ; (0.4 − 0.25) / 0.25 = 0.6
  CHECK(t[2] == Approx(-0.2f));
  CHECK(t[3] == Approx(0.6f));
  // B: (0 − 0) / 1 = 0 ; (1 − 0) / 1 = 1
  CHECK(t[4] == Approx(0.0f));
  CHECK(t[5] == Approx(1.0f));

  const ModelCard bgr =
      parse_model_card(card_json(R"({"mode":"exact","filter":"box"})", R"(,"channel_order":"BGR","scale":1)"));
  const std::vector<float> b = preprocess_for_model(image, bgr);
  // First plane now holds blue: (0 / 1 − 0.5) / 0.5 = −1 ; (255 − 0.5) / 0.5 = 509
  CHECK(b[0] == Approx(-1.0f));
  CHECK(b[1] == Approx(509.0f));

  const ModelCard crop =
      parse_model_card(card_json(R"({"mode":"shortest-side-crop","shortest_side":2,"filter":"bilinear"})"));
  const Image seen = model_input_image(make_pattern(40, 20), crop);
  CHECK(seen.width == 2);
  CHECK(seen.height == 1);
  CHECK(crop.crop_rounding == CropRounding::Floor);  // the default
  const ModelCard half_even = parse_model_card(
      card_json(R"({"mode":"shortest-side-crop","shortest_side":2,"filter":"bilinear","crop_rounding":"half-even"})"));
  CHECK(half_even.crop_rounding == CropRounding::HalfEven);
}

TEST_CASE("a card's decode need is its resize target, with a margin for interpolating filters") {
  const ModelCard bilinear =
      parse_model_card(card_json(R"({"mode":"shortest-side-crop","shortest_side":3,"filter":"bilinear"})"));
  CHECK(decode_need(bilinear) == DecodeNeed{kInterpolationMargin * 3, 0});
  const ModelCard box = parse_model_card(card_json(R"({"mode":"exact","filter":"box"})"));
  CHECK(decode_need(box) == DecodeNeed{2, 0});  // the card's 2×1 input, no margin for the box filter
}

TEST_CASE("invalid model cards name the field") {
  CHECK_THAT(card_error("{"), Catch::Contains("not valid JSON"));
  CHECK_THAT(card_error("[]"), Catch::Contains("JSON object"));
  CHECK_THAT(card_error(card_json(R"({"mode":"exact","filter":"lanczos"})")), Catch::Contains("input.resize.filter"));
  CHECK_THAT(card_error(card_json(R"({"mode":"squash","filter":"box"})")), Catch::Contains("input.resize.mode"));
  CHECK_THAT(card_error(card_json(R"({"mode":"shortest-side-crop","filter":"box"})")),
             Catch::Contains("input.resize.shortest_side is missing"));
  CHECK_THAT(
      card_error(card_json(R"({"mode":"shortest-side-crop","shortest_side":2,"filter":"box","crop_rounding":"up"})")),
      Catch::Contains("input.resize.crop_rounding must be \"floor\" or \"half-even\""));
  CHECK_THAT(card_error(card_json(R"({"mode":"exact","filter":"box"})", R"(,"channel_order":"RGBA")")),
             Catch::Contains("input.channel_order"));
  std::string no_std = card_json(R"({"mode":"exact","filter":"box"})");
  no_std.replace(no_std.find("[0.5,0.25,1.0]"), 14, "[0.5,0,1]");
  CHECK_THAT(card_error(no_std), Catch::Contains("input.std must hold 3 positive numbers"));
  std::string bad_mean = card_json(R"({"mode":"exact","filter":"box"})");
  bad_mean.replace(bad_mean.find("[0.5,0.25,0.0]"), 14, "[0.5,0.25]");
  CHECK_THAT(card_error(bad_mean), Catch::Contains("input.mean must be an array of 3 numbers"));
  std::string no_output = card_json(R"({"mode":"exact","filter":"box"})");
  no_output.replace(no_output.find("\"dim\":4"), 7, "\"dim\":0");
  CHECK_THAT(card_error(no_output), Catch::Contains("output.dim"));
}

TEST_CASE("l2_normalize gives unit length and leaves zero alone") {
  std::vector<float> v{3, 4};
  l2_normalize(v);
  CHECK(v[0] == Approx(0.6f));
  CHECK(v[1] == Approx(0.8f));
  std::vector<float> zero{0, 0};
  l2_normalize(zero);
  CHECK(zero == std::vector<float>{0, 0});
}
