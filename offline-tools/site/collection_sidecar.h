// The collection sidecar the web page reads (site/index/<name>.json) and the
// list of collections (site/index/collections.json), as agreed for the site
// layout:
//
//   site/index/collections.json  {"schema":1,"default":"<name>","collections":[{"name","title","file"}]}
//   site/index/<name>.json       {"schema":1,"name","title","created","licence_note","labels":[…],
//                                 "items":[{"id","label","thumbnail","width","height",
//                                           "source":{"path","url","page","owner","title","licence","licence_url"}}],
//                                 "bundles":[{"feature","slug","metric","file","kind","element","dim","count","bytes"}],
//                                 "models":[{"card"}]}
//
// Paths are relative to site/. Titles, owners and labels are untrusted text.
// Kept in this one file so it can give way to core/index/collection.h.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace lookalike::cli {

namespace fs = std::filesystem;

struct ItemSource {
  std::string path, url, page, owner, title, licence, licence_url;
};

struct CollectionItem {
  std::uint32_t id = 0;
  std::string label;
  std::string thumbnail;  // "thumbs/<id>.jpg"
  int width = 0, height = 0;
  ItemSource source;
};

struct CollectionBundle {
  std::string feature, slug, metric, file, kind, element;
  std::uint32_t dim = 0;
  std::uint64_t count = 0, bytes = 0;
};

struct CollectionModel {
  std::string card;
};

struct Collection {
  static constexpr int kSchema = 1;
  std::string name, title, created, licence_note;
  std::vector<std::string> labels;
  std::vector<CollectionItem> items;
  std::vector<CollectionBundle> bundles;
  std::vector<CollectionModel> models;
};

// Names become file names: 1–64 of [a-z0-9_-], starting with a letter or
// digit. Throws Error(InvalidArgument) naming the rule.
void check_collection_name(const std::string& name);

nlohmann::json collection_to_json(const Collection& collection);
// Throws Error(Corrupt) "<where>: items[2]: …" for a malformed sidecar.
Collection collection_from_json(const nlohmann::json& json, const std::string& where);

fs::path collection_file(const fs::path& site, const std::string& name);  // site/index/<name>.json
void write_collection(const fs::path& site, const Collection& collection);
Collection read_collection(const fs::path& site, const std::string& name);

// Adds or replaces the collection's entry in site/index/collections.json
// (created when missing); it becomes the default when asked or when there
// was none.
void register_collection(const fs::path& site, const Collection& collection, bool make_default);

}  // namespace lookalike::cli
