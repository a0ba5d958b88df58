// Reading the fields model cards share (image cards, model_card.h; text
// cards, text_model_card.h): every problem is an Error(InvalidArgument) that
// names the card kind and the field ("model card: input.mean must be …").
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace lookalike::card_fields {

using nlohmann::json;

class CardReader {
 public:
  explicit CardReader(std::string what) : what_(std::move(what)) {}

  [[noreturn]] void bad(const std::string& field, const std::string& expectation) const;
  // The parsed top level: a JSON object with schema 1 (or none).
  json parse(const std::string& json_text) const;
  const json& member(const json& object, const std::string& path, const char* key) const;
  const json& object(const json& parent, const std::string& path, const char* key) const;
  std::string text(const json& object, const std::string& path, const char* key, bool required = true) const;
  int positive_int(const json& object, const std::string& path, const char* key, int max) const;
  bool flag(const json& object, const std::string& path, const char* key, bool fallback) const;
  // A card name: non-empty, no slashes, colons or spaces.
  std::string name(const json& object, const std::string& path, const char* key) const;

 private:
  std::string what_;
};

// A file a card names: where it is (relative to the card's folder) and how it is checked.
struct FileFields {
  std::string file, url, sha256;
  std::uint64_t bytes = 0;
};
FileFields read_file_fields(const CardReader& reader, const json& object, const std::string& path);

}  // namespace lookalike::card_fields
