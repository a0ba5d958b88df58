#include "lookalike/model/model_card.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "lookalike/common/error.h"

namespace lookalike {
namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& field, const std::string& expectation) {
  fail(ErrorKind::InvalidArgument, "model card: " + field + " " + expectation);
}

const json& member(const json& object, const std::string& path, const char* key) {
  const auto it = object.find(key);
  if (it == object.end()) bad(path + key, "is missing");
  return *it;
}

std::string text(const json& object, const std::string& path, const char* key, bool required = true) {
  const auto it = object.find(key);
  if (it == object.end()) {
    if (required) bad(path + key, "is missing");
    return {};
  }
  if (!it->is_string()) bad(path + key, "must be a string");
  return it->get<std::string>();
}

int positive_int(const json& object, const std::string& path, const char* key, int max) {
  const json& v = member(object, path, key);
  if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > max)
    bad(path + key, "must be an integer in [1, " + std::to_string(max) + "]");
  return v.get<int>();
}

std::array<float, 3> triple(const json& object, const std::string& path, const char* key, bool positive) {
  const json& v = member(object, path, key);
  if (!v.is_array() || v.size() != 3) bad(path + key, "must be an array of 3 numbers");
  std::array<float, 3> out{};
  for (int i = 0; i < 3; ++i) {
    if (!v[i].is_number()) bad(path + key, "must be an array of 3 numbers");
    out[i] = v[i].get<float>();
    if (!std::isfinite(out[i]) || (positive && !(out[i] > 0)))
      bad(path + key, positive ? "must hold 3 positive numbers" : "must hold 3 finite numbers");
  }
  return out;
}

void read_model_file(const json& root, ModelCard& card) {
  const json& model = member(root, "", "model");
  if (!model.is_object()) bad("model", "must be an object");
  card.file = text(model, "model.", "file");
  card.url = text(model, "model.", "url", false);
  card.sha256 = text(model, "model.", "sha256", false);
  if (!card.sha256.empty() &&
      (card.sha256.size() != 64 || card.sha256.find_first_not_of("0123456789abcdef") != std::string::npos))
    bad("model.sha256", "must be 64 lowercase hexadecimal digits");
  if (model.contains("bytes")) {
    if (!model["bytes"].is_number_unsigned()) bad("model.bytes", "must be a non-negative integer");
    card.bytes = model["bytes"].get<std::uint64_t>();
  }
  if (model.contains("max_batch")) card.max_batch = positive_int(model, "model.", "max_batch", 1 << 20);
}

void read_resize(const json& input, ModelCard& card) {
  const json& resize = member(input, "input.", "resize");
  if (!resize.is_object()) bad("input.resize", "must be an object");
  const std::string mode = text(resize, "input.resize.", "mode");
  if (mode == "exact") {
    card.resize_mode = ResizeMode::Exact;
  } else if (mode == "shortest-side-crop") {
    card.resize_mode = ResizeMode::ShortestSideCrop;
    card.shortest_side = positive_int(resize, "input.resize.", "shortest_side", 8192);
    if (card.shortest_side < std::max(card.width, card.height))
      bad("input.resize.shortest_side", "must be at least the input width and height");
    if (resize.contains("crop_rounding")) {
      try {
        card.crop_rounding = parse_crop_rounding(text(resize, "input.resize.", "crop_rounding"));
      } catch (const Error&) {
        bad("input.resize.crop_rounding", "must be \"floor\" or \"half-even\"");
      }
    }
  } else {
    bad("input.resize.mode", "must be \"exact\" or \"shortest-side-crop\"");
  }
  const std::string filter = text(resize, "input.resize.", "filter");
  try {
    card.filter = parse_filter(filter);
  } catch (const Error&) {
    bad("input.resize.filter", "must be \"box\", \"bilinear\" or \"bicubic\"");
  }
}

void read_input(const json& root, ModelCard& card) {
  const json& input = member(root, "", "input");
  if (!input.is_object()) bad("input", "must be an object");
  card.input_name = text(input, "input.", "name");
  const std::string layout = input.contains("layout") ? text(input, "input.", "layout") : "NCHW";
  if (layout != "NCHW") bad("input.layout", "must be \"NCHW\"");
  card.width = positive_int(input, "input.", "width", 4096);
  card.height = positive_int(input, "input.", "height", 4096);
  read_resize(input, card);
  const std::string order = input.contains("channel_order") ? text(input, "input.", "channel_order") : "RGB";
  if (order == "RGB")
    card.channel_order = ChannelOrder::RGB;
  else if (order == "BGR")
    card.channel_order = ChannelOrder::BGR;
  else
    bad("input.channel_order", "must be \"RGB\" or \"BGR\"");
  if (input.contains("scale")) {
    if (!input["scale"].is_number() || !(input["scale"].get<float>() > 0))
      bad("input.scale", "must be a positive number");
    card.scale = input["scale"].get<float>();
  }
  card.mean = triple(input, "input.", "mean", false);
  card.stddev = triple(input, "input.", "std", true);
}

void read_output(const json& root, ModelCard& card) {
  const json& output = member(root, "", "output");
  if (!output.is_object()) bad("output", "must be an object");
  card.output_name = text(output, "output.", "name");
  card.output_dim = positive_int(output, "output.", "dim", 1 << 16);
  if (output.contains("l2_normalize")) {
    if (!output["l2_normalize"].is_boolean()) bad("output.l2_normalize", "must be true or false");
    card.l2_normalize = output["l2_normalize"].get<bool>();
  }
}

}  // namespace

bool is_model_spec(const std::string& spec) { return spec.rfind(kModelSpecPrefix, 0) == 0; }

std::string model_spec_card(const std::string& spec) {
  return is_model_spec(spec) ? spec.substr(std::char_traits<char>::length(kModelSpecPrefix)) : std::string();
}

ModelCard parse_model_card(const std::string& json_text) {
  json root;
  try {
    root = json::parse(json_text);
  } catch (const json::parse_error& e) {
    fail(ErrorKind::InvalidArgument, std::string("model card: not valid JSON: ") + e.what());
  }
  if (!root.is_object()) fail(ErrorKind::InvalidArgument, "model card: the top level must be a JSON object");
  const auto schema = root.find("schema");
  if (schema != root.end() && !(schema->is_number_integer() && schema->get<int>() == 1))
    bad("schema", "must be 1 (this version reads schema 1)");

  ModelCard card;
  card.name = text(root, "", "name");
  if (card.name.empty() || card.name.find_first_of("/\\: \t") != std::string::npos)
    bad("name", "must be non-empty without slashes, colons or spaces");
  card.description = text(root, "", "description", false);
  read_model_file(root, card);
  read_input(root, card);
  read_output(root, card);
  return card;
}

}  // namespace lookalike
