// manifest.json: what `lookalike prep` decided about every source image, and
// what `eval` and `index` read. Schema 1:
//
// {
//   "schema": 1, "kind": "lookalike-manifest",
//   "created": "2026-11-27T10:00:00Z", "tool": "lookalike 0.1.0 prep",
//   "options": { "min_size": 64, "near_threshold": 6, "near_luma_tolerance": 24,
//                "test_fraction": 0.2, "seed": 42, … },   // how prep was run
//   "hashes": { "pixel": "…", "perceptual": "…" },        // how the hashes are made
//   "roots": [ { "path": "/abs/path/wang1k", "layout": "folders" | "labels-csv" | "crawl" } ],
//   "labels": [ "africa", "beach", … ],                    // labels of kept images, sorted
//   "images": [                                            // kept images, by root then path
//     { "root": 0, "path": "africa/0.jpg", "label": "africa", "split": "train" | "test",
//       "format": "jpeg", "width": 384, "height": 256, "bytes": 38211,
//       "pixel_hash": "<32 hex: XXH3-128 of width, height and the RGB8 pixels>",
//       "phash": "<16 hex: 64-bit DCT perceptual hash>", "luma": 117,
//       "source": { "url": "…", "page": "…", "owner": "…", "title": "…", "licence": "…",
//                   "licence_url": "…", "photo_id": "…", "term": "…" } }   // only when known
//                   (the core's Attribution: lookalike/index/attribution.h)
//   ],
//   "duplicates": [                                        // set aside: same or nearly the same picture
//     { …the fields of an image without "split"…, "kind": "exact" | "near",
//       "duplicate_of": { "root": 0, "path": "africa/1.jpg" }, "distance": 3 } ],
//   "rejected": [                                          // set aside: not usable
//     { "root": 0, "path": "x/broken.jpg", "label": "x", "bytes": 1234,
//       "reason": "corrupt" | "unsupported" | "too-small" | "too-large" | "unreadable" | "missing" | "unlisted",
//       "message": "…the decoder's or file system's own words…", "source": {…} } ],
//   "summary": [ { "label": "africa", "kept": 98, "duplicates": 1, "rejected": 1, "train": 78, "test": 20 } ]
// }
//
// An image's file is roots[root].path / path. Originals are never moved.
// Text fields from a crawl (title, owner, labels) are untrusted.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dataset/dataset_scanner.h"
#include "dataset/dataset_types.h"

namespace lookalike::cli {

namespace fs = std::filesystem;

struct ManifestImage {
  std::size_t root = 0;
  std::string path, label;
  Split split = Split::None;
  std::string format;
  int width = 0, height = 0;
  std::uint64_t bytes = 0;
  std::string pixel_hash;  // 32 lowercase hex digits
  std::uint64_t phash = 0;
  int luma = 0;  // mean luminance 0..255 of the picture
  std::optional<Attribution> source;
};

struct ManifestDuplicate {
  ManifestImage image;
  std::string kind;  // "exact" or "near"
  std::size_t of_root = 0;
  std::string of_path;
  int distance = 0;  // Hamming distance of the perceptual hashes (0 for exact)
};

struct ManifestRejection {
  std::size_t root = 0;
  std::string path, label, reason, message;
  std::uint64_t bytes = 0;
  std::optional<Attribution> source;
};

struct ClassSummary {
  std::string label;
  std::size_t kept = 0, duplicates = 0, rejected = 0, train = 0, test = 0;
};

struct Manifest {
  static constexpr int kSchema = 1;
  std::string created, tool;
  nlohmann::json options = nlohmann::json::object();
  std::vector<SourceRoot> roots;
  std::vector<ManifestImage> images;
  std::vector<ManifestDuplicate> duplicates;
  std::vector<ManifestRejection> rejected;

  fs::path file(const ManifestImage& image) const { return roots.at(image.root).path / image.path; }
  std::vector<std::string> labels() const;  // of kept images, sorted, unique
};

// Per label (sorted) and a final "total" row.
std::vector<ClassSummary> summarise(const Manifest& manifest);
nlohmann::json summary_to_json(const std::vector<ClassSummary>& rows);  // the manifest's "summary"

nlohmann::json manifest_to_json(const Manifest& manifest);
// Validates shape and types; throws Error(Corrupt) "<name>: images[3]: …".
Manifest manifest_from_json(const nlohmann::json& json, const std::string& name);

// One of "roots": {"path": …, "layout": …}; the reader throws Error(Corrupt) "<where>: …".
nlohmann::json root_to_json(const SourceRoot& root);
SourceRoot root_from_json(const nlohmann::json& json, const std::string& where);

Manifest read_manifest(const fs::path& file);  // Error(Io) or Error(Corrupt)
void write_manifest(const fs::path& file, const Manifest& manifest);

std::string hex64(std::uint64_t value);                                       // 16 lowercase hex digits
std::uint64_t parse_hex64(const std::string& text, const std::string& what);  // throws Error(Corrupt)

}  // namespace lookalike::cli
