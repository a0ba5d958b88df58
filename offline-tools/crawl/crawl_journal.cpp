#include "crawl/crawl_journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/files.h"
#include "lookalike/common/error.h"

namespace lookalike::crawl {
namespace {

[[noreturn]] void io_failure(const std::string& what, const std::filesystem::path& path, int error_number) {
  fail(ErrorKind::Io, what + " " + path.string() + ": " + std::strerror(error_number));
}

// Calls on_line(line_number, text) for every complete line of a JSON-lines
// file. An unfinished last line (the crawl was killed while writing it) is
// cut off the file; its bytes are returned.
std::size_t read_lines(const std::filesystem::path& file,
                       const std::function<void(std::size_t, const std::string&)>& on_line) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return 0;
  const std::string text = cli::read_text_file(file);
  std::size_t usable = text.size(), torn = 0;
  if (!text.empty() && text.back() != '\n') {
    const std::size_t last_newline = text.rfind('\n');
    usable = last_newline == std::string::npos ? 0 : last_newline + 1;
    torn = text.size() - usable;
    if (::truncate(file.c_str(), static_cast<off_t>(usable)) != 0) io_failure("cannot repair", file, errno);
  }
  std::size_t start = 0, line_number = 0;
  while (start < usable) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos || end > usable) end = usable;
    ++line_number;
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") != std::string::npos) on_line(line_number, line);
  }
  return torn;
}

int open_for_append(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) io_failure("cannot open", file, errno);
  return fd;
}

}  // namespace

CrawlJournal::CrawlJournal(std::filesystem::path file, std::filesystem::path duplicates_file)
    : file_(std::move(file)), duplicates_file_(std::move(duplicates_file)) {
  load();
  fd_ = open_for_append(file_);
  duplicates_fd_ = open_for_append(duplicates_file_);
}

CrawlJournal::~CrawlJournal() {
  if (fd_ >= 0) ::close(fd_);
  if (duplicates_fd_ >= 0) ::close(duplicates_fd_);
}

void CrawlJournal::load() {
  // The photo, if its file was already in place when a torn line was
  // written, is adopted on the next visit.
  report_.torn_bytes_removed = read_lines(file_, [this](std::size_t line_number, const std::string& line) {
    try {
      const CrawlRecord record = record_from_json(nlohmann::json::parse(line));
      check_resumable(record);
      if (by_id_.count(record.photo.id)) return;  // a repeated line adds nothing
      records_.push_back(record);
      index(records_.back());
    } catch (const std::exception& e) {
      ++report_.bad_lines;
      if (report_.first_problem.empty())
        report_.first_problem = "line " + std::to_string(line_number) + ": " + e.what();
    }
  });
  report_.records = records_.size();
  // Duplicates are a cache of decisions: an unreadable line only costs a
  // download the next crawl repeats.
  read_lines(duplicates_file_, [this](std::size_t, const std::string& line) {
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("id") && j["id"].is_string() && j.contains("same_as") && j["same_as"].is_string())
      duplicates_[j["id"].get<std::string>()] = j["same_as"].get<std::string>();
  });
}

void CrawlJournal::index(const CrawlRecord& record) {
  const std::size_t i = records_.size() - 1;
  by_id_[record.photo.id] = i;
  by_sha_.emplace(record.sha256, i);
  ++per_term_[record.photo.term];
}

bool CrawlJournal::has_id(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return by_id_.count(id) != 0;
}

std::optional<CrawlRecord> CrawlJournal::find_id(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  return records_[it->second];
}

std::size_t CrawlJournal::count_for_term(const std::string& term) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = per_term_.find(term);
  return it == per_term_.end() ? 0 : it->second;
}

std::optional<std::string> CrawlJournal::duplicate_of(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = duplicates_.find(id);
  if (it == duplicates_.end()) return std::nullopt;
  return it->second;
}

std::vector<CrawlRecord> CrawlJournal::records() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return records_;
}

CrawlJournal::Commit CrawlJournal::commit(const CrawlRecord& record, const std::function<void()>& place_file,
                                          std::string* existing_path) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (const auto it = by_id_.find(record.photo.id); it != by_id_.end()) {
    if (existing_path) *existing_path = records_[it->second].path;
    return Commit::SameId;
  }
  // error_handler replace: a term given on the command line may not be
  // valid UTF-8, and a line must never fail to be written for that.
  const auto replace = nlohmann::json::error_handler_t::replace;
  if (const auto it = by_sha_.find(record.sha256); it != by_sha_.end()) {
    const std::string& kept = records_[it->second].path;
    if (existing_path) *existing_path = kept;
    if (!duplicates_.count(record.photo.id)) {
      const nlohmann::json j = {
          {"id", record.photo.id}, {"term", record.photo.term}, {"same_as", kept}, {"sha256", record.sha256}};
      append_line(duplicates_fd_, duplicates_file_, j.dump(-1, ' ', false, replace) + "\n");
      duplicates_[record.photo.id] = kept;
    }
    return Commit::SameContent;
  }
  if (place_file) place_file();
  append_line(fd_, file_, record_to_json(record).dump(-1, ' ', false, replace) + "\n");
  records_.push_back(record);
  index(records_.back());
  return Commit::Committed;
}

void CrawlJournal::append_line(int fd, const std::filesystem::path& file, const std::string& line) {
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(fd, line.data() + written, line.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      io_failure("cannot append to", file, errno);
    }
    written += static_cast<std::size_t>(n);
  }
}

}  // namespace lookalike::crawl
