#include "model/card_fields.h"

#include "lookalike/common/error.h"

namespace lookalike::card_fields {

void CardReader::bad(const std::string& field, const std::string& expectation) const {
  fail(ErrorKind::InvalidArgument, what_ + ": " + field + " " + expectation);
}

json CardReader::parse(const std::string& json_text) const {
  json root;
  try {
    root = json::parse(json_text);
  } catch (const json::parse_error& e) {
    fail(ErrorKind::InvalidArgument, what_ + ": not valid JSON: " + e.what());
  }
  if (!root.is_object()) fail(ErrorKind::InvalidArgument, what_ + ": the top level must be a JSON object");
  const auto schema = root.find("schema");
  if (schema != root.end() && !(schema->is_number_integer() && schema->get<int>() == 1))
    bad("schema", "must be 1 (this version reads schema 1)");
  return root;
}

const json& CardReader::member(const json& object, const std::string& path, const char* key) const {
  const auto it = object.find(key);
  if (it == object.end()) bad(path + key, "is missing");
  return *it;
}

const json& CardReader::object(const json& parent, const std::string& path, const char* key) const {
  const json& value = member(parent, path, key);
  if (!value.is_object()) bad(path + key, "must be an object");
  return value;
}

std::string CardReader::text(const json& object, const std::string& path, const char* key, bool required) const {
  const auto it = object.find(key);
  if (it == object.end()) {
    if (required) bad(path + key, "is missing");
    return {};
  }
  if (!it->is_string()) bad(path + key, "must be a string");
  return it->get<std::string>();
}

int CardReader::positive_int(const json& object, const std::string& path, const char* key, int max) const {
  const json& v = member(object, path, key);
  if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > max)
    bad(path + key, "must be an integer in [1, " + std::to_string(max) + "]");
  return v.get<int>();
}

bool CardReader::flag(const json& object, const std::string& path, const char* key, bool fallback) const {
  if (!object.contains(key)) return fallback;
  if (!object[key].is_boolean()) bad(path + key, "must be true or false");
  return object[key].get<bool>();
}

std::string CardReader::name(const json& object, const std::string& path, const char* key) const {
  const std::string value = text(object, path, key);
  if (value.empty() || value.find_first_of("/\\: \t") != std::string::npos)
    bad(path + key, "must be non-empty without slashes, colons or spaces");
  return value;
}

FileFields read_file_fields(const CardReader& reader, const json& object, const std::string& path) {
  FileFields f;
  f.file = reader.text(object, path, "file");
  f.url = reader.text(object, path, "url", false);
  f.sha256 = reader.text(object, path, "sha256", false);
  if (!f.sha256.empty() &&
      (f.sha256.size() != 64 || f.sha256.find_first_not_of("0123456789abcdef") != std::string::npos))
    reader.bad(path + "sha256", "must be 64 lowercase hexadecimal digits");
  if (object.contains("bytes")) {
    if (!object["bytes"].is_number_unsigned()) reader.bad(path + "bytes", "must be a non-negative integer");
    f.bytes = object["bytes"].get<std::uint64_t>();
  }
  return f;
}

}  // namespace lookalike::card_fields
