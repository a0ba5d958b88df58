// Files that must appear together or not at all (a site's bundles,
// thumbnails and model files next to the sidecar that lists them): each is
// written into a staging folder first, and only commit() moves them onto
// their final paths, by rename, so readers never see half a file and a
// failure part-way leaves the old files as they were. The staging folder
// sits inside the target folder (one file system: renames cannot fail for
// crossing devices) and is removed, with whatever was not committed, when the
// object goes away.
#pragma once

#include <cstddef>
#include <filesystem>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace lookalike::cli {

namespace fs = std::filesystem;

class StagedFiles {
 public:
  // `root` is the folder every final path lies in; the staging folder is
  // root/.staging-<tag>-<pid>.
  StagedFiles(const fs::path& root, const std::string& tag);
  ~StagedFiles();
  StagedFiles(const StagedFiles&) = delete;
  StagedFiles& operator=(const StagedFiles&) = delete;

  // Thread-safe. Throws Error(Io) naming the final path when writing fails.
  void write(const fs::path& final_path, const void* data, std::size_t size);
  void write(const fs::path& final_path, const std::string& text) { write(final_path, text.data(), text.size()); }
  void copy(const fs::path& final_path, const fs::path& source);

  std::size_t size() const;
  // Moves every staged file onto its final path (creating folders). Throws
  // Error(Io) naming the file that could not be moved; files moved before it
  // stay moved.
  void commit();

 private:
  fs::path next_staging_path(const fs::path& final_path);

  fs::path staging_;
  mutable std::mutex mutex_;
  std::vector<std::pair<fs::path, fs::path>> files_;  // staging path, final path
  std::size_t counter_ = 0;
};

}  // namespace lookalike::cli
