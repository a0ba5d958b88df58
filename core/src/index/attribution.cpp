#include "lookalike/index/attribution.h"

#include <array>
#include <string>

#include <nlohmann/json.hpp>

#include "lookalike/index/attribution_json.h"

namespace lookalike {
namespace {

using nlohmann::json;

constexpr std::array<AttributionField, 9> kFields = {{
    {"path", &Attribution::path, false, "the image inside its source, relative and '/'-separated (or a URL)"},
    {"url", &Attribution::url, true, "the image file's URL where it was downloaded from"},
    {"page", &Attribution::page, true, "the photo's web page: where attribution links to"},
    {"owner", &Attribution::owner, false, "the author's display name"},
    {"title", &Attribution::title, false, "the photo's title"},
    {"licence", &Attribution::licence, false,
     "the licence's short name (\"CC BY 2.0\"), \"unknown\" when none is known"},
    {"licence_url", &Attribution::licence_url, true, "the licence's text"},
    {"photo_id", &Attribution::photo_id, false, "the source's id of the photo"},
    {"term", &Attribution::term, false, "the search term that found it"},
}};

// Other spellings of a field that lenient reading accepts (other crawlers,
// older API versions), tried after the field's own key.
struct Aliases {
  const char* key;
  std::array<const char*, 3> others;  // unused entries are null
};
constexpr Aliases kAliases[] = {
    {"path", {"file"}},       {"url", {"source_url", "download_url"}},
    {"page", {"page_url"}},   {"owner", {"owner_name", "ownername", "author"}},
    {"licence", {"license"}}, {"licence_url", {"license_url"}},
    {"photo_id", {"id"}},     {"term", {"tag"}},
};

std::array<const char*, 3> aliases_of(const char* key) {
  for (const Aliases& a : kAliases)
    if (std::string(a.key) == key) return a.others;
  return {};
}

const json* present(const json& object, const char* key) {
  const auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

// The value of one field, or empty (lenient) / strict's complaint.
std::string read_field(const json& object, const AttributionField& field, const FieldProblem& strict) {
  const json* value = present(object, field.key);
  if (!strict)
    for (const char* alias : aliases_of(field.key))
      if (!value && alias) value = present(object, alias);
  if (!value) return {};
  if (value->is_string()) return value->get<std::string>();
  if (strict) strict(field.key, "must be a string");
  if (value->is_number_integer()) return std::to_string(value->get<long long>());
  if (value->is_number_unsigned()) return std::to_string(value->get<unsigned long long>());
  if (value->is_number()) return value->dump();
  return {};
}

}  // namespace

bool Attribution::empty() const {
  for (const AttributionField& field : kFields)
    if (!(this->*field.member).empty()) return false;
  return true;
}

const std::array<AttributionField, 9>& attribution_fields() { return kFields; }

void put_attribution(json& object, const Attribution& a, bool keep_empty) {
  for (const AttributionField& field : kFields) {
    const std::string& value = a.*field.member;
    if (keep_empty || !value.empty()) object[field.key] = value;
  }
}

Attribution read_attribution(const json& object, const FieldProblem& strict) {
  Attribution a;
  if (!object.is_object()) return a;
  for (const AttributionField& field : kFields) a.*field.member = read_field(object, field, strict);
  return a;
}

}  // namespace lookalike
