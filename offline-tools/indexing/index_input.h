// What `lookalike index` reads: a prep manifest (a manifest.json, or a folder
// holding one), or an image folder, which is prepped in memory exactly as
// `lookalike prep` would (same scan, same checks and duplicate removal, no
// split) so that a folder and its manifest index the same images.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "dataset/manifest.h"

namespace lookalike::cli {

struct IndexInput {
  Manifest manifest;
  std::string kind;          // "manifest" or "folder"
  std::string default_name;  // a collection name made from the input's folder name
};

// Throws Error(Io) for a missing path, Error(Corrupt) for a malformed
// manifest or a folder without usable images.
IndexInput load_index_input(const std::filesystem::path& input, unsigned threads, bool show_progress);

}  // namespace lookalike::cli
