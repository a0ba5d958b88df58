#include "lookalike/index/item_record.h"

#include <nlohmann/json.hpp>

#include "lookalike/common/error.h"
#include "lookalike/index/attribution_json.h"

namespace lookalike {
namespace {

using nlohmann::json;

constexpr std::uint64_t kMaxSide = 1u << 20;

[[noreturn]] void corrupt(const std::string& problem) { fail(ErrorKind::Corrupt, "item record: " + problem); }

std::string text(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  if (!it->is_string()) corrupt(std::string("\"") + key + "\" must be a string");
  return it->get<std::string>();
}

std::uint32_t side(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return 0;
  if (!it->is_number_unsigned() || it->get<std::uint64_t>() > kMaxSide)
    corrupt(std::string("\"") + key + "\" must be an integer in [0, " + std::to_string(kMaxSide) + "]");
  return static_cast<std::uint32_t>(it->get<std::uint64_t>());
}

std::uint64_t count(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return 0;
  if (!it->is_number_unsigned()) corrupt(std::string("\"") + key + "\" must be a non-negative integer");
  return it->get<std::uint64_t>();
}

int luma(const json& object) {
  const auto it = object.find("luma");
  if (it == object.end() || it->is_null()) return -1;
  if (!it->is_number_unsigned() || it->get<std::uint64_t>() > 255) corrupt("\"luma\" must be an integer in [0, 255]");
  return int(it->get<std::uint64_t>());
}

}  // namespace

std::string item_record_to_json(const ItemRecord& record) {
  json j = json::object();
  put_attribution(j, record.source);
  if (!record.label.empty()) j["label"] = record.label;
  if (!record.sha256.empty()) j["sha256"] = record.sha256;
  if (record.width) j["width"] = record.width;
  if (record.height) j["height"] = record.height;
  if (!record.format.empty()) j["format"] = record.format;
  if (record.bytes) j["bytes"] = record.bytes;
  if (!record.pixel_hash.empty()) j["pixel_hash"] = record.pixel_hash;
  if (!record.phash.empty()) j["phash"] = record.phash;
  if (record.luma >= 0) j["luma"] = record.luma;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

ItemRecord parse_item_record(const std::string& json_line) {
  json j;
  try {
    j = json::parse(json_line);
  } catch (const json::parse_error& e) {
    corrupt(std::string("not valid JSON: ") + e.what());
  }
  if (!j.is_object()) corrupt("not a JSON object");
  ItemRecord record;
  record.source = read_attribution(j);
  if (record.source.path.empty()) corrupt("\"path\" is missing");
  record.label = text(j, "label");
  record.sha256 = text(j, "sha256");
  record.width = side(j, "width");
  record.height = side(j, "height");
  record.format = text(j, "format");
  record.bytes = count(j, "bytes");
  record.pixel_hash = text(j, "pixel_hash");
  record.phash = text(j, "phash");
  record.luma = luma(j);
  return record;
}

}  // namespace lookalike
