#include "site/collection_files.h"

#include "common/files.h"
#include "lookalike/common/error.h"

namespace lookalike::cli {
namespace {

// The core's parse errors name the field ("collection: items[3].id is
// missing"); the file is added here, where it is known.
template <class Parse>
auto parse_file(const fs::path& file, Parse parse) {
  const std::string text = read_text_file(file);
  try {
    return parse(text);
  } catch (const Error& e) {
    fail(e.kind(), file.string() + ": " + e.what());
  }
}

}  // namespace

fs::path collection_file(const fs::path& site, const std::string& name) { return site / "index" / (name + ".json"); }
fs::path collection_list_file(const fs::path& site) { return site / "index" / "collections.json"; }

void write_collection(const fs::path& site, const Collection& collection) {
  check_collection_name(collection.name);
  write_file_atomic(collection_file(site, collection.name), collection_to_json(collection));
}

Collection read_collection(const fs::path& site, const std::string& name) {
  check_collection_name(name);
  return parse_file(collection_file(site, name), parse_collection);
}

bool collection_exists(const fs::path& site, const std::string& name) {
  std::error_code ec;
  return fs::is_regular_file(collection_file(site, name), ec);
}

CollectionList read_collection_list(const fs::path& site) {
  return parse_file(collection_list_file(site), parse_collection_list);
}

void register_collection(const fs::path& site, const Collection& collection, bool make_default) {
  check_collection_name(collection.name);
  CollectionList list;
  std::error_code ec;
  if (fs::exists(collection_list_file(site), ec)) list = read_collection_list(site);
  const CollectionEntry entry{collection.name, collection.title, collection.name + ".json"};
  bool replaced = false;
  for (CollectionEntry& e : list.collections)
    if (e.name == collection.name) {
      e = entry;
      replaced = true;
    }
  if (!replaced) list.collections.push_back(entry);
  if (make_default || list.default_name.empty()) list.default_name = collection.name;
  write_file_atomic(collection_list_file(site), collection_list_to_json(list));
}

}  // namespace lookalike::cli
