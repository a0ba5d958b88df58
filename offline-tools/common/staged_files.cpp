#include "common/staged_files.h"

#include <unistd.h>

#include "common/files.h"
#include "lookalike/common/error.h"

namespace lookalike::cli {

StagedFiles::StagedFiles(const fs::path& root, const std::string& tag)
    : staging_(root / (".staging-" + tag + "-" + std::to_string(::getpid()))) {}

StagedFiles::~StagedFiles() {
  std::error_code ignored;
  fs::remove_all(staging_, ignored);
}

fs::path StagedFiles::next_staging_path(const fs::path& final_path) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Keep the extension: nothing reads staged files, but it helps whoever looks.
  return staging_ / (std::to_string(counter_++) + final_path.extension().string());
}

void StagedFiles::write(const fs::path& final_path, const void* data, std::size_t size) {
  const fs::path staged = next_staging_path(final_path);
  write_file_atomic(staged, data, size);
  std::lock_guard<std::mutex> lock(mutex_);
  files_.emplace_back(staged, final_path);
}

void StagedFiles::copy(const fs::path& final_path, const fs::path& source) {
  const fs::path staged = next_staging_path(final_path);
  std::error_code ec;
  fs::create_directories(staged.parent_path(), ec);
  if (!ec) fs::copy_file(source, staged, fs::copy_options::overwrite_existing, ec);
  if (ec) fail(ErrorKind::Io, "cannot copy " + source.string() + " to " + final_path.string() + ": " + ec.message());
  std::lock_guard<std::mutex> lock(mutex_);
  files_.emplace_back(staged, final_path);
}

std::size_t StagedFiles::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return files_.size();
}

void StagedFiles::commit() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [staged, final_path] : files_) {
    std::error_code ec;
    if (final_path.has_parent_path()) fs::create_directories(final_path.parent_path(), ec);
    if (!ec) fs::rename(staged, final_path, ec);
    if (ec) fail(ErrorKind::Io, "cannot move " + staged.string() + " to " + final_path.string() + ": " + ec.message());
  }
  files_.clear();
}

}  // namespace lookalike::cli
