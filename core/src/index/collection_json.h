// The JSON reading and writing shared by the collection's files: the
// document (collection.cpp) and, for a large collection, its item pages and
// label runs (item_pages.cpp). One reader and one writer of an item, one
// way to name a field in an error, one way to check a path inside the site.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "lookalike/common/error.h"
#include "lookalike/index/collection.h"

namespace lookalike::collection_json {

using nlohmann::json;

// Where a problem is reported: the file ("collection", "collection list",
// "item page 3"), the error kind (InvalidArgument when writing, Corrupt when
// reading).
struct Reporter {
  std::string what;
  ErrorKind kind;
  [[noreturn]] void operator()(const std::string& field, const std::string& problem) const {
    fail(kind, what + ": " + field + " " + problem);
  }
};

// A path inside site/: relative, '/'-separated, no "." or ".." segment, no
// scheme, no backslash, no control character.
bool is_site_path(const std::string& s);

std::string at(const std::string& array, std::size_t i);  // "items[3]"

// Typed access to one JSON object, naming fields by their path.
class Fields {
 public:
  Fields(const json& object, std::string path, const Reporter& bad);
  std::string name(const char* key) const { return path_.empty() ? key : path_ + "." + key; }
  [[noreturn]] void bad(const char* key, const std::string& problem) const { bad_(name(key), problem); }
  const json* find(const char* key) const;
  const json& required(const char* key) const;
  std::string text(const char* key, bool is_required = false) const;
  std::uint64_t number(const char* key, std::uint64_t max, bool is_required = false) const;
  const json& array(const char* key, bool is_required = false) const;

 private:
  const json& object_;
  std::string path_;
  const Reporter& bad_;
};

// A file read for its fields: valid JSON, a supported schema, an object at
// the top level; problems are Error(Corrupt) naming the file and the field.
struct Document {
  Document(const std::string& text, const std::string& what);
  const Reporter bad;
  const json root;
  const Fields top;
};

// Titles and owners are crawled text in any script: kept as UTF-8, invalid
// bytes become U+FFFD rather than an exception.
std::string document_text(const json& root);
// The same without indentation: files only programs read, fetched per query.
std::string compact_text(const json& root);

void put(json& object, const char* key, const std::string& value);  // only when not empty

// One item, as the document's "items" and an item page hold it.
json item_to_json(const CollectionItem& item);
CollectionItem read_item(const Fields& f, const Reporter& bad);
// Its rules: an id not used before (added to `ids`), a label among
// `labels`, a site path as thumbnail, http(s) links. `field` names it.
void check_item(const CollectionItem& item, const std::string& field, const std::set<std::string>& labels,
                std::set<std::uint32_t>& ids, const Reporter& bad);

}  // namespace lookalike::collection_json
