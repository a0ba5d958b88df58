// Finding the attribution of a crawl's photos in its `crawl.jsonl` (one JSON
// object per downloaded photo), so that prep can carry it into the manifest
// and index into the site. The fields are read by the core's one reader of
// attribution (lookalike/index/attribution_json.h), which the crawl's own
// reader (crawl/crawl_record.h) uses too.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "dataset/dataset_types.h"

namespace lookalike::cli {

namespace fs = std::filesystem;

class CrawlRecords {
 public:
  // Reads the file. Lines that are not JSON objects (a crawl killed while
  // writing its last line) are skipped with a warning naming the line; a
  // later record for the same photo replaces an earlier one (a resumed crawl).
  // Throws Error(Io) when the file cannot be read.
  static CrawlRecords read(const fs::path& jsonl);
  static CrawlRecords parse(const std::string& text, const std::string& name);

  // The record of the file at `relative_path` ("<term>/<photo-id>.<ext>"):
  // matched by the record's own "path"/"file" field, else by term folder and
  // photo id, else by photo id alone. Null when none matches.
  const Attribution* find(const std::string& relative_path) const;

  std::size_t size() const { return records_.size(); }
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  std::vector<Attribution> records_;
  std::map<std::string, std::size_t> by_path_;
  std::map<std::pair<std::string, std::string>, std::size_t> by_term_and_id_;
  std::map<std::string, std::size_t> by_id_;
  std::vector<std::string> warnings_;
};

}  // namespace lookalike::cli
