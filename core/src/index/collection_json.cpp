#include "index/collection_json.h"

#include <algorithm>
#include <utility>

#include "lookalike/index/attribution_json.h"

namespace lookalike::collection_json {
namespace {

json parse_document(const std::string& text, const Reporter& bad) {
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& e) {
    fail(bad.kind, bad.what + ": not valid JSON: " + e.what());
  }
  Fields top(root, "", bad);
  const json& schema = top.required("schema");
  if (!schema.is_number_integer()) bad("schema", "must be an integer");
  if (schema.get<long long>() != kCollectionSchema)
    fail(ErrorKind::Unsupported, bad.what + ": schema " + std::to_string(schema.get<long long>()) +
                                     " is not supported (this version reads schema " +
                                     std::to_string(kCollectionSchema) + ")");
  return root;
}

}  // namespace

bool is_site_path(const std::string& s) {
  if (s.empty() || s.size() > 1024 || s.front() == '/' || s.back() == '/') return false;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t end = std::min(s.find('/', start), s.size());
    const std::string segment = s.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    start = end + 1;
  }
  for (const char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '\\' || c == ':') return false;
  return true;
}

std::string at(const std::string& array, std::size_t i) { return array + "[" + std::to_string(i) + "]"; }

Fields::Fields(const json& object, std::string path, const Reporter& bad)
    : object_(object), path_(std::move(path)), bad_(bad) {
  if (!object_.is_object()) bad_(path_.empty() ? "the top level" : path_, "must be a JSON object");
}

const json* Fields::find(const char* key) const {
  const auto it = object_.find(key);
  return it == object_.end() || it->is_null() ? nullptr : &*it;
}

const json& Fields::required(const char* key) const {
  const json* v = find(key);
  if (!v) bad_(name(key), "is missing");
  return *v;
}

std::string Fields::text(const char* key, bool is_required) const {
  const json* v = is_required ? &required(key) : find(key);
  if (!v) return {};
  if (!v->is_string()) bad_(name(key), "must be a string");
  return v->get<std::string>();
}

std::uint64_t Fields::number(const char* key, std::uint64_t max, bool is_required) const {
  const json* v = is_required ? &required(key) : find(key);
  if (!v) return 0;
  if (!v->is_number_unsigned() || v->get<std::uint64_t>() > max)
    bad_(name(key), "must be an integer in [0, " + std::to_string(max) + "]");
  return v->get<std::uint64_t>();
}

const json& Fields::array(const char* key, bool is_required) const {
  static const json empty = json::array();
  const json* v = is_required ? &required(key) : find(key);
  if (!v) return empty;
  if (!v->is_array()) bad_(name(key), "must be an array");
  return *v;
}

Document::Document(const std::string& text, const std::string& what)
    : bad{what, ErrorKind::Corrupt}, root(parse_document(text, bad)), top(root, "", bad) {}

std::string document_text(const json& root) { return root.dump(2, ' ', false, json::error_handler_t::replace) + "\n"; }

std::string compact_text(const json& root) { return root.dump(-1, ' ', false, json::error_handler_t::replace) + "\n"; }

void put(json& object, const char* key, const std::string& value) {
  if (!value.empty()) object[key] = value;
}

json item_to_json(const CollectionItem& item) {
  json j = json::object();
  j["id"] = item.id;
  put(j, "label", item.label);
  put(j, "thumbnail", item.thumbnail);
  if (item.width) j["width"] = item.width;
  if (item.height) j["height"] = item.height;
  json source = json::object();
  put_attribution(source, item.source);
  if (!source.empty()) j["source"] = std::move(source);
  return j;
}

CollectionItem read_item(const Fields& f, const Reporter& bad) {
  CollectionItem item;
  item.id = static_cast<std::uint32_t>(f.number("id", 0xFFFFFFFFu, true));
  item.label = f.text("label");
  item.thumbnail = f.text("thumbnail");
  item.width = static_cast<std::uint32_t>(f.number("width", 1u << 20));
  item.height = static_cast<std::uint32_t>(f.number("height", 1u << 20));
  if (const json* source = f.find("source")) {
    const Fields s(*source, f.name("source"), bad);
    item.source = read_attribution(
        *source, [&s](const std::string& key, const std::string& problem) { s.bad(key.c_str(), problem); });
  }
  return item;
}

void check_item(const CollectionItem& item, const std::string& field, const std::set<std::string>& labels,
                std::set<std::uint32_t>& ids, const Reporter& bad) {
  if (!ids.insert(item.id).second) bad(field + ".id", std::to_string(item.id) + " is used by an earlier item");
  if (!item.label.empty() && !labels.count(item.label))
    bad(field + ".label", "\"" + item.label + "\" is not in labels");
  if (!item.thumbnail.empty() && !is_site_path(item.thumbnail))
    bad(field + ".thumbnail", "must be a relative path inside the site (no \"..\", no leading \"/\")");
  for (const AttributionField& a : attribution_fields()) {
    const std::string& link = item.source.*a.member;
    if (a.is_link && !link.empty() && !is_web_link(link))
      bad(field + ".source." + a.key, "must be an http or https URL");
  }
}

}  // namespace lookalike::collection_json
