// DIR/crawl.jsonl: one line per photo on disk, appended as each download
// completes. It is both the crawl's output (attribution for prep, index and
// the site) and its resume state: a photo whose id is in the journal is
// never downloaded again, and a photo whose content hash is there is a
// duplicate, whatever its id or term.
//
// A line is written with a single write() after the photo's file is in
// place, so a crawl killed at any moment leaves at worst a torn last line
// (removed when the journal is next opened) and a complete file without a
// line (adopted by the next crawl without downloading it again).
//
// Photos found to be the same image as one already kept are remembered in a
// second, hidden file (DIR/.crawl-duplicates.jsonl: id, term, same_as,
// sha256), so that a later crawl skips them without downloading them again;
// crawl.jsonl itself lists only photos on disk.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "crawl/crawl_record.h"

namespace lookalike::crawl {

class CrawlJournal {
 public:
  // Opens (creating) the journal and its list of duplicates and reads what
  // they hold. Unreadable lines are reported and ignored; a torn last line
  // is cut off the file.
  CrawlJournal(std::filesystem::path file, std::filesystem::path duplicates_file);
  ~CrawlJournal();
  CrawlJournal(const CrawlJournal&) = delete;
  CrawlJournal& operator=(const CrawlJournal&) = delete;

  struct OpenReport {
    std::size_t records = 0;
    std::size_t bad_lines = 0;           // lines that are not records (skipped)
    std::size_t torn_bytes_removed = 0;  // bytes of an unfinished last line
    std::string first_problem;           // "line 12: record without \"sha256\""
  };
  const OpenReport& open_report() const { return report_; }

  bool has_id(const std::string& id) const;
  std::optional<CrawlRecord> find_id(const std::string& id) const;
  std::size_t count_for_term(const std::string& term) const;
  // The kept photo this id was found to duplicate, if it was.
  std::optional<std::string> duplicate_of(const std::string& id) const;
  std::vector<CrawlRecord> records() const;

  enum class Commit { Committed, SameId, SameContent };
  // Atomically, with respect to other workers: unless the id or the content
  // hash is already recorded, calls place_file() (which puts the photo's
  // file in place and may throw) and appends the record. On SameId or
  // SameContent, *existing_path (when given) names the photo already kept;
  // SameContent is remembered in the duplicates file.
  Commit commit(const CrawlRecord& record, const std::function<void()>& place_file,
                std::string* existing_path = nullptr);

  const std::filesystem::path& file() const { return file_; }

 private:
  void load();
  void index(const CrawlRecord& record);
  void append_line(int fd, const std::filesystem::path& file, const std::string& line);

  std::filesystem::path file_, duplicates_file_;
  int fd_ = -1, duplicates_fd_ = -1;
  std::map<std::string, std::string> duplicates_;  // id → path of the kept photo
  mutable std::mutex mutex_;
  std::vector<CrawlRecord> records_;
  std::map<std::string, std::size_t> by_id_, by_sha_;
  std::map<std::string, std::size_t> per_term_;
  OpenReport report_;
};

}  // namespace lookalike::crawl
