#include "dataset/crawl_records.h"

#include <nlohmann/json.hpp>

#include <sstream>

#include "common/files.h"

namespace lookalike::cli {
namespace {

// The first of `keys` present as a string or number; crawlers and API
// versions spell some fields differently (licence/license, owner/ownername).
std::string field(const nlohmann::json& object, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) continue;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<long long>());
    if (it->is_number()) return it->dump();
  }
  return {};
}

std::string stem_of(const std::string& path) { return fs::path(path).stem().string(); }

std::string first_folder_of(const std::string& path) {
  const auto slash = path.find('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

}  // namespace

CrawlRecords CrawlRecords::read(const fs::path& jsonl) { return parse(read_text_file(jsonl), jsonl.string()); }

CrawlRecords CrawlRecords::parse(const std::string& text, const std::string& name) {
  CrawlRecords result;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    nlohmann::json object;
    try {
      object = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception&) {
      result.warnings_.push_back(name + ": line " + std::to_string(number) + ": not valid JSON, skipped");
      continue;
    }
    if (!object.is_object()) {
      result.warnings_.push_back(name + ": line " + std::to_string(number) + ": not a JSON object, skipped");
      continue;
    }
    Attribution a;
    a.photo_id = field(object, {"id", "photo_id"});
    a.term = field(object, {"term", "tag"});
    a.url = field(object, {"url", "source_url", "download_url"});
    a.page = field(object, {"page", "page_url"});
    a.owner = field(object, {"owner", "owner_name", "ownername", "author"});
    a.title = field(object, {"title"});
    a.licence = field(object, {"licence", "license"});
    a.licence_url = field(object, {"licence_url", "license_url"});
    const std::string path = field(object, {"path", "file"});
    if (a.photo_id.empty() && path.empty()) {
      result.warnings_.push_back(name + ": line " + std::to_string(number) + ": record has no id or path, skipped");
      continue;
    }
    const std::size_t index = result.records_.size();
    result.records_.push_back(a);
    if (!path.empty()) result.by_path_[fs::path(path).generic_string()] = index;
    if (!a.photo_id.empty()) {
      result.by_term_and_id_[{a.term, a.photo_id}] = index;
      result.by_id_[a.photo_id] = index;
    }
  }
  return result;
}

const Attribution* CrawlRecords::find(const std::string& relative_path) const {
  if (const auto it = by_path_.find(relative_path); it != by_path_.end()) return &records_[it->second];
  const std::string id = stem_of(relative_path);
  if (const auto it = by_term_and_id_.find({first_folder_of(relative_path), id}); it != by_term_and_id_.end())
    return &records_[it->second];
  if (const auto it = by_id_.find(id); it != by_id_.end()) return &records_[it->second];
  return nullptr;
}

}  // namespace lookalike::cli
