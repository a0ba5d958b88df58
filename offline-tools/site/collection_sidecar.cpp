#include "site/collection_sidecar.h"

#include <algorithm>
#include <cctype>

#include "common/error.h"
#include "common/files.h"

namespace lookalike::cli {
namespace {

using nlohmann::json;

std::string text_of(const json& object, const char* key, const std::string& where, bool required) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    if (required) fail(ErrorKind::Corrupt, where + ": missing \"" + key + "\"");
    return {};
  }
  if (!it->is_string()) fail(ErrorKind::Corrupt, where + ": \"" + key + "\" must be a string");
  return it->get<std::string>();
}

std::uint64_t number_of(const json& object, const char* key, const std::string& where, bool required) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    if (required) fail(ErrorKind::Corrupt, where + ": missing \"" + key + "\"");
    return 0;
  }
  if (!it->is_number_unsigned() && !(it->is_number_integer() && it->get<long long>() >= 0))
    fail(ErrorKind::Corrupt, where + ": \"" + key + "\" must be a non-negative integer");
  return it->get<std::uint64_t>();
}

const json& array_of(const json& object, const char* key, const std::string& where) {
  static const json empty = json::array();
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return empty;
  if (!it->is_array()) fail(ErrorKind::Corrupt, where + ": \"" + key + "\" must be an array");
  return *it;
}

json read_json(const fs::path& file) {
  try {
    return json::parse(read_text_file(file));
  } catch (const json::parse_error& e) {
    fail(ErrorKind::Corrupt, file.string() + ": not valid JSON (" + e.what() + ")");
  }
}

}  // namespace

void check_collection_name(const std::string& name) {
  const bool ok = !name.empty() && name.size() <= 64 && std::isalnum(static_cast<unsigned char>(name[0])) &&
                  std::all_of(name.begin(), name.end(), [](char c) {
                    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                  });
  if (!ok)
    fail(ErrorKind::InvalidArgument, "collection name \"" + name +
                                         "\" must be 1 to 64 lowercase letters, digits, '-' or '_', starting with a letter or digit");
}

json collection_to_json(const Collection& c) {
  json j;
  j["schema"] = Collection::kSchema;
  j["name"] = c.name;
  j["title"] = c.title;
  j["created"] = c.created;
  j["licence_note"] = c.licence_note;
  j["labels"] = c.labels;
  j["items"] = json::array();
  for (const auto& item : c.items) {
    json source = json::object();
    auto put = [&](const char* key, const std::string& value) {
      if (!value.empty()) source[key] = value;
    };
    put("path", item.source.path);
    put("url", item.source.url);
    put("page", item.source.page);
    put("owner", item.source.owner);
    put("title", item.source.title);
    put("licence", item.source.licence);
    put("licence_url", item.source.licence_url);
    j["items"].push_back({{"id", item.id},
                          {"label", item.label},
                          {"thumbnail", item.thumbnail},
                          {"width", item.width},
                          {"height", item.height},
                          {"source", source}});
  }
  j["bundles"] = json::array();
  for (const auto& b : c.bundles)
    j["bundles"].push_back({{"feature", b.feature}, {"slug", b.slug}, {"metric", b.metric}, {"file", b.file}, {"kind", b.kind},
                            {"element", b.element}, {"dim", b.dim}, {"count", b.count}, {"bytes", b.bytes}});
  j["models"] = json::array();
  for (const auto& m : c.models) j["models"].push_back({{"card", m.card}});
  return j;
}

Collection collection_from_json(const json& j, const std::string& where) {
  if (!j.is_object()) fail(ErrorKind::Corrupt, where + ": expected a JSON object");
  const std::uint64_t schema = number_of(j, "schema", where, true);
  if (schema != std::uint64_t(Collection::kSchema))
    fail(ErrorKind::Unsupported, where + ": collection schema " + std::to_string(schema) + " is not supported");
  Collection c;
  c.name = text_of(j, "name", where, true);
  c.title = text_of(j, "title", where, false);
  c.created = text_of(j, "created", where, false);
  c.licence_note = text_of(j, "licence_note", where, false);
  for (const auto& label : array_of(j, "labels", where)) {
    if (!label.is_string()) fail(ErrorKind::Corrupt, where + ": labels must be strings");
    c.labels.push_back(label.get<std::string>());
  }
  const json& items = array_of(j, "items", where);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string at = where + ": items[" + std::to_string(i) + "]";
    if (!items[i].is_object()) fail(ErrorKind::Corrupt, at + ": expected an object");
    CollectionItem item;
    const std::uint64_t id = number_of(items[i], "id", at, true);
    if (id > 0xFFFFFFFFull) fail(ErrorKind::Corrupt, at + ": id out of range");
    item.id = std::uint32_t(id);
    item.label = text_of(items[i], "label", at, false);
    item.thumbnail = text_of(items[i], "thumbnail", at, false);
    item.width = int(number_of(items[i], "width", at, false));
    item.height = int(number_of(items[i], "height", at, false));
    if (const auto s = items[i].find("source"); s != items[i].end() && s->is_object()) {
      item.source.path = text_of(*s, "path", at + ": source", false);
      item.source.url = text_of(*s, "url", at + ": source", false);
      item.source.page = text_of(*s, "page", at + ": source", false);
      item.source.owner = text_of(*s, "owner", at + ": source", false);
      item.source.title = text_of(*s, "title", at + ": source", false);
      item.source.licence = text_of(*s, "licence", at + ": source", false);
      item.source.licence_url = text_of(*s, "licence_url", at + ": source", false);
    }
    c.items.push_back(std::move(item));
  }
  const json& bundles = array_of(j, "bundles", where);
  for (std::size_t i = 0; i < bundles.size(); ++i) {
    const std::string at = where + ": bundles[" + std::to_string(i) + "]";
    if (!bundles[i].is_object()) fail(ErrorKind::Corrupt, at + ": expected an object");
    CollectionBundle b;
    b.feature = text_of(bundles[i], "feature", at, true);
    b.slug = text_of(bundles[i], "slug", at, false);
    b.metric = text_of(bundles[i], "metric", at, true);
    b.file = text_of(bundles[i], "file", at, true);
    b.kind = text_of(bundles[i], "kind", at, false);
    b.element = text_of(bundles[i], "element", at, false);
    b.dim = std::uint32_t(number_of(bundles[i], "dim", at, false));
    b.count = number_of(bundles[i], "count", at, false);
    b.bytes = number_of(bundles[i], "bytes", at, false);
    c.bundles.push_back(std::move(b));
  }
  for (const auto& m : array_of(j, "models", where))
    if (m.is_object()) c.models.push_back({text_of(m, "card", where + ": models", false)});
  return c;
}

fs::path collection_file(const fs::path& site, const std::string& name) { return site / "index" / (name + ".json"); }

void write_collection(const fs::path& site, const Collection& collection) {
  check_collection_name(collection.name);
  write_file_atomic(collection_file(site, collection.name), collection_to_json(collection).dump(1) + "\n");
}

Collection read_collection(const fs::path& site, const std::string& name) {
  check_collection_name(name);
  const fs::path file = collection_file(site, name);
  return collection_from_json(read_json(file), file.string());
}

void register_collection(const fs::path& site, const Collection& collection, bool make_default) {
  check_collection_name(collection.name);
  const fs::path file = site / "index" / "collections.json";
  json list = {{"schema", 1}, {"default", ""}, {"collections", json::array()}};
  std::error_code ec;
  if (fs::exists(file, ec)) {
    list = read_json(file);
    if (!list.is_object() || !list.contains("collections") || !list["collections"].is_array())
      fail(ErrorKind::Corrupt, file.string() + ": expected {\"schema\":1,\"default\":…,\"collections\":[…]}");
  }
  json entry = {{"name", collection.name}, {"title", collection.title}, {"file", collection.name + ".json"}};
  bool replaced = false;
  for (auto& e : list["collections"])
    if (e.is_object() && e.value("name", "") == collection.name) {
      e = entry;
      replaced = true;
    }
  if (!replaced) list["collections"].push_back(entry);
  if (make_default || !list.contains("default") || !list["default"].is_string() || list["default"].get<std::string>().empty())
    list["default"] = collection.name;
  write_file_atomic(file, list.dump(2) + "\n");
}

}  // namespace lookalike::cli
