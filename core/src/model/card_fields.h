// Reading the fields model cards share (image cards, model_card.h; text
// cards, text_model_card.h): every problem is an Error(InvalidArgument) that
// names the card kind and the field ("model card: input.mean must be …").
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

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
  // One of the named values (`fallback` when the key is absent); another
  // text is refused, listing the names.
  template <class Value>
  Value choice(const json& object, const std::string& path, const char* key,
               std::initializer_list<std::pair<const char*, Value>> options, Value fallback) const {
    if (!object.contains(key)) return fallback;
    const std::string given = text(object, path, key);
    std::string names;  // "a", "b" or "c"
    std::size_t i = 0;
    for (const auto& [option, value] : options) {
      if (given == option) return value;
      if (i > 0) names += i + 1 == options.size() ? " or " : ", ";
      names += std::string("\"") + option + "\"";
      ++i;
    }
    bad(path + key, "must be " + names);
  }

 private:
  std::string what_;
};

// A file a card names: where it is (relative to the card's folder) and how it is checked.
struct FileFields {
  std::string file, url, sha256;
  std::uint64_t bytes = 0;
};
FileFields read_file_fields(const CardReader& reader, const json& object, const std::string& path);

// What image and text cards share: the "model" object (the ONNX file, and
// model.max_batch) and the "output" object (the embedding), read into any
// card with those members.
template <class Card>
void read_model_file(const CardReader& r, const json& root, Card& card) {
  const json& model = r.object(root, "", "model");
  const FileFields file = read_file_fields(r, model, "model.");
  card.file = file.file;
  card.url = file.url;
  card.sha256 = file.sha256;
  card.bytes = file.bytes;
  if (model.contains("max_batch")) card.max_batch = r.positive_int(model, "model.", "max_batch", 1 << 20);
}

template <class Card>
void read_output(const CardReader& r, const json& root, Card& card) {
  const json& output = r.object(root, "", "output");
  card.output_name = r.text(output, "output.", "name");
  card.output_dim = r.positive_int(output, "output.", "dim", 1 << 16);
  card.l2_normalize = r.flag(output, "output.", "l2_normalize", true);
}

}  // namespace lookalike::card_fields
