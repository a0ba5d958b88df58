// The work of `lookalike prep`, apart from argument parsing and printing:
// scan the sources, decode every image (in parallel) to validate it, set
// aside what is unusable, find duplicates, split, and describe it all in a
// Manifest. Nothing is written and no source file is ever modified.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "dataset/manifest.h"
#include "prep/duplicates.h"
#include "prep/image_check.h"

namespace lookalike::cli {

struct PrepOptions {
  std::vector<std::filesystem::path> sources;
  int min_size = 64;  // shortest side in pixels, after EXIF orientation
  NearDuplicateOptions near;
  double test_fraction = 0.2;
  std::uint64_t seed = 42;
  unsigned threads = 0;                   // 0 = all hardware threads
  std::uint64_t max_pixels = 64'000'000;  // larger images are set aside as too-large
  bool show_progress = true;
};

struct PrepResult {
  Manifest manifest;
  std::vector<std::string> warnings;
  std::size_t unreadable = 0;  // files that could not be read at all (I/O errors)
  std::size_t scanned = 0;     // image files considered
  bool interrupted = false;    // stopped by Ctrl-C: the manifest is incomplete
};

// Throws Error(Io) for a missing source folder, Error(Corrupt) for a
// malformed labels.csv; per-image problems become rejections, never throws.
PrepResult run_prep(const PrepOptions& options);

// The second half of run_prep, for images checked elsewhere (a sharded
// embedding job checks its images as it embeds them): `checked` holds one
// check per scan.images entry, in the scan's canonical order. Rejections,
// duplicates and the split depend on these inputs only, so the images of
// every shard put back in canonical order give the manifest of one run.
PrepResult decide_prep(const DatasetScan& scan, const std::vector<ImageCheck>& checked, const PrepOptions& options);

ImageCheckOptions image_check_options(const PrepOptions& options);
nlohmann::json prep_options_json(const PrepOptions& options);  // manifest.json's "options"
// Back from that JSON (sources, threads and progress left at their defaults);
// throws Error(Corrupt) "<where>: …".
PrepOptions prep_options_from_json(const nlohmann::json& json, const std::string& where);

}  // namespace lookalike::cli
