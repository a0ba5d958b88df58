#include "common/install_paths.h"

#include <cstdlib>

// Set by CMake for binaries run from the build tree.
#ifndef LOOKALIKE_SOURCE_TREE
#define LOOKALIKE_SOURCE_TREE ""
#endif

namespace lookalike::cli {

namespace fs = std::filesystem;

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

std::string absolute_path(const fs::path& path) {
  std::error_code ec;
  const fs::path a = fs::weakly_canonical(fs::absolute(path), ec);
  return ec ? fs::absolute(path).lexically_normal().string() : a.string();
}

std::string executable_directory() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

std::vector<fs::path> shipped_folder_candidates(const std::string& folder) {
  std::vector<fs::path> candidates;
  const std::string exe_dir = executable_directory();
  if (!exe_dir.empty()) {
    for (fs::path dir = exe_dir;; dir = dir.parent_path()) {
      candidates.push_back(dir / folder);
      if (dir == dir.root_path() || dir.parent_path() == dir) break;
    }
    candidates.push_back(fs::path(exe_dir) / ".." / "share" / "lookalike" / folder);
    candidates.push_back(fs::path(exe_dir) / ".." / "lib" / "lookalike" / folder);
  }
  if (*LOOKALIKE_SOURCE_TREE) candidates.push_back(fs::path(LOOKALIKE_SOURCE_TREE) / folder);
  return candidates;
}

}  // namespace lookalike::cli
