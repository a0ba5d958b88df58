#include "dataset/crawl_records.h"

#include <nlohmann/json.hpp>

#include <sstream>

#include "common/files.h"
#include "lookalike/index/attribution_json.h"

namespace lookalike::cli {
namespace {

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
    const auto skip = [&](const std::string& why) {
      result.warnings_.push_back(name + ": line " + std::to_string(number) + ": " + why + ", skipped");
    };
    const nlohmann::json object = nlohmann::json::parse(line, nullptr, false);
    if (object.is_discarded()) {
      skip("not valid JSON");
      continue;
    }
    if (!object.is_object()) {
      skip("not a JSON object");
      continue;
    }
    Attribution a = read_attribution(object);
    if (a.photo_id.empty() && a.path.empty()) {
      skip("record has no id or path");
      continue;
    }
    const std::size_t index = result.records_.size();
    if (!a.path.empty()) result.by_path_[fs::path(a.path).generic_string()] = index;
    if (!a.photo_id.empty()) {
      result.by_term_and_id_[{a.term, a.photo_id}] = index;
      result.by_id_[a.photo_id] = index;
    }
    a.path.clear();  // the manifest records where the image is
    result.records_.push_back(std::move(a));
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
