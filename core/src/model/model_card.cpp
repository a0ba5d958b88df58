#include "lookalike/model/model_card.h"

#include <cmath>

#include "lookalike/common/error.h"
#include "model/card_fields.h"

namespace lookalike {
namespace {

using card_fields::CardReader;
using card_fields::json;

std::array<float, 3> triple(const CardReader& r, const json& object, const std::string& path, const char* key,
                            bool positive) {
  const json& v = r.member(object, path, key);
  if (!v.is_array() || v.size() != 3) r.bad(path + key, "must be an array of 3 numbers");
  std::array<float, 3> out{};
  for (int i = 0; i < 3; ++i) {
    if (!v[i].is_number()) r.bad(path + key, "must be an array of 3 numbers");
    out[i] = v[i].get<float>();
    if (!std::isfinite(out[i]) || (positive && !(out[i] > 0)))
      r.bad(path + key, positive ? "must hold 3 positive numbers" : "must hold 3 finite numbers");
  }
  return out;
}

void read_resize(const CardReader& r, const json& input, ModelCard& card) {
  const json& resize = r.object(input, "input.", "resize");
  const std::string mode = r.text(resize, "input.resize.", "mode");
  if (mode == "exact") {
    card.resize_mode = ResizeMode::Exact;
  } else if (mode == "shortest-side-crop") {
    card.resize_mode = ResizeMode::ShortestSideCrop;
    card.shortest_side = r.positive_int(resize, "input.resize.", "shortest_side", 8192);
    if (card.shortest_side < std::max(card.width, card.height))
      r.bad("input.resize.shortest_side", "must be at least the input width and height");
    if (resize.contains("crop_rounding")) {
      try {
        card.crop_rounding = parse_crop_rounding(r.text(resize, "input.resize.", "crop_rounding"));
      } catch (const Error&) {
        r.bad("input.resize.crop_rounding", "must be \"floor\" or \"half-even\"");
      }
    }
  } else {
    r.bad("input.resize.mode", "must be \"exact\" or \"shortest-side-crop\"");
  }
  const std::string filter = r.text(resize, "input.resize.", "filter");
  try {
    card.filter = parse_filter(filter);
  } catch (const Error&) {
    r.bad("input.resize.filter", "must be \"box\", \"bilinear\" or \"bicubic\"");
  }
}

void read_input(const CardReader& r, const json& root, ModelCard& card) {
  const json& input = r.object(root, "", "input");
  card.input_name = r.text(input, "input.", "name");
  const std::string layout = input.contains("layout") ? r.text(input, "input.", "layout") : "NCHW";
  if (layout != "NCHW") r.bad("input.layout", "must be \"NCHW\"");
  card.width = r.positive_int(input, "input.", "width", 4096);
  card.height = r.positive_int(input, "input.", "height", 4096);
  read_resize(r, input, card);
  card.channel_order = r.choice(input, "input.", "channel_order",
                                {{"RGB", ChannelOrder::RGB}, {"BGR", ChannelOrder::BGR}}, ChannelOrder::RGB);
  if (input.contains("scale")) {
    if (!input["scale"].is_number() || !(input["scale"].get<float>() > 0))
      r.bad("input.scale", "must be a positive number");
    card.scale = input["scale"].get<float>();
  }
  card.mean = triple(r, input, "input.", "mean", false);
  card.stddev = triple(r, input, "input.", "std", true);
}

// A text tower's card is refused here with what it is for.
void check_tower(const CardReader& r, const json& root) {
  const std::string tower = r.text(root, "", "tower", false);
  if (tower == "text")
    fail(ErrorKind::InvalidArgument,
         "model card: this is a text tower's card (\"tower\": \"text\"): it embeds text queries for the image card "
         "it names in \"pairs_with\", which is the card to index and embed images with");
  if (!tower.empty() && tower != "image") r.bad("tower", "must be \"image\" (or absent) for an image encoder");
}

}  // namespace

bool is_model_spec(const std::string& spec) { return spec.rfind(kModelSpecPrefix, 0) == 0; }

std::string model_spec_card(const std::string& spec) {
  return is_model_spec(spec) ? spec.substr(std::char_traits<char>::length(kModelSpecPrefix)) : std::string();
}

ModelCard parse_model_card(const std::string& json_text) {
  const CardReader r("model card");
  const json root = r.parse(json_text);
  check_tower(r, root);
  ModelCard card;
  card.name = r.name(root, "", "name");
  card.description = r.text(root, "", "description", false);
  card_fields::read_model_file(r, root, card);
  read_input(r, root, card);
  card_fields::read_output(r, root, card);
  return card;
}

}  // namespace lookalike
