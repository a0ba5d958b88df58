#include "site/collection_files.h"

#include "common/log.h"
#include "lookalike/index/item_pages.h"

namespace lookalike::cli {
namespace {

// Calls write(path, text) for every page and the label runs of a paged collection.
template <class Write>
void each_item_file(const fs::path& site, const Collection& c, Write write) {
  if (!c.item_pages.paged()) return;
  for (std::uint32_t p = 0; p < c.item_pages.count; ++p)
    write(site / "index" / item_page_file(c.item_pages, p), item_page_to_json(c, p));
  write(site / "index" / c.item_pages.labels, item_labels_to_json(c));
}

}  // namespace

fs::path collection_file(const fs::path& site, const std::string& name) { return site / "index" / (name + ".json"); }
fs::path collection_list_file(const fs::path& site) { return site / "index" / "collections.json"; }

void write_collection(const fs::path& site, const Collection& collection) {
  check_collection_name(collection.name);
  const std::string document = collection_to_json(collection);  // validated before any page is written
  each_item_file(site, collection,
                 [](const fs::path& file, const std::string& text) { write_file_atomic(file, text); });
  write_file_atomic(collection_file(site, collection.name), document);
}

void stage_item_pages(StagedFiles& staged, const fs::path& site, const Collection& collection) {
  each_item_file(site, collection,
                 [&staged](const fs::path& file, const std::string& text) { staged.write(file, text); });
}

std::vector<fs::path> item_page_paths(const fs::path& site, const Collection& c) {
  std::vector<fs::path> paths;
  if (!c.item_pages.paged()) return paths;
  for (std::uint32_t p = 0; p < c.item_pages.count; ++p)
    paths.push_back(site / "index" / item_page_file(c.item_pages, p));
  paths.push_back(site / "index" / c.item_pages.labels);
  return paths;
}

void remove_stale_site_files(const fs::path& site, const std::set<fs::path>& stale, const std::set<fs::path>& keep) {
  std::set<fs::path> folders;
  for (const auto& file : stale) {
    if (keep.count(file)) continue;
    std::error_code ec;
    if (fs::remove(file, ec)) folders.insert(file.parent_path());
    if (ec) log_warning("could not remove " + file.string() + ", which the collection no longer uses: " + ec.message());
  }
  for (const auto& folder : folders) {
    std::error_code ec;
    if (folder != site && folder != site / "index" && fs::is_empty(folder, ec) && !ec) fs::remove(folder, ec);
  }
}

Collection read_collection_document(const fs::path& site, const std::string& name) {
  check_collection_name(name);
  return parse_site_file(collection_file(site, name), parse_collection);
}

Collection read_collection(const fs::path& site, const std::string& name) {
  Collection c = read_collection_document(site, name);
  if (!c.item_pages.paged()) return c;
  c.items.reserve(c.item_count);
  for (std::uint32_t p = 0; p < c.item_pages.count; ++p) {
    const fs::path file = site / "index" / item_page_file(c.item_pages, p);
    for (CollectionItem& item :
         parse_site_file(file, [&](const std::string& text) { return parse_item_page(text, c, p); }))
      c.items.push_back(std::move(item));
  }
  if (c.items.size() != c.item_count)
    fail(ErrorKind::Corrupt, collection_file(site, name).string() + ": item_count is " + std::to_string(c.item_count) +
                                 ", its pages hold " + std::to_string(c.items.size()) + " items");
  return c;
}

bool collection_exists(const fs::path& site, const std::string& name) {
  std::error_code ec;
  return fs::is_regular_file(collection_file(site, name), ec);
}

CollectionList read_collection_list(const fs::path& site) {
  return parse_site_file(collection_list_file(site), parse_collection_list);
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
