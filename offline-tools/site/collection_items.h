// The step `lookalike index` runs before building bundles: a ~256 px JPEG
// thumbnail per kept manifest image under site/thumbs/<id>.jpg, and the
// sidecar's item list (id, label, thumbnail, size, attribution).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "dataset/manifest.h"
#include "site/collection_sidecar.h"

namespace lookalike::cli {

struct CollectionItemsOptions {
  // Id per manifest image (same order as manifest.images); empty: the index.
  // `index --update` passes the ids the images already have.
  std::vector<std::uint32_t> ids;
  int thumbnail_side = 256;
  int jpeg_quality = 85;
  // Keep a thumbnail that exists and is newer than its source (updates).
  bool reuse_existing = false;
  unsigned threads = 0;
  bool show_progress = true;
};

struct CollectionItemsResult {
  std::vector<CollectionItem> items;           // in manifest order, failed images left out
  std::vector<std::size_t> manifest_indices;   // the manifest image of each item
  std::vector<std::string> failures;           // "<path>: <why>" for images left out
  std::size_t written = 0, reused = 0;
  bool interrupted = false;
};

// Thumbnails are written atomically; an image that can no longer be read or
// decoded (changed since prep) is left out and listed in `failures`.
CollectionItemsResult build_collection_items(const Manifest& manifest, const std::filesystem::path& site,
                                             const CollectionItemsOptions& options = {});

// The item of one manifest image (no file access).
CollectionItem collection_item(const Manifest& manifest, const ManifestImage& image, std::uint32_t id);

// A sentence for the sidecar's licence_note: licences counted over the items,
// or a warning that none are known.
std::string licence_note_for(const std::vector<CollectionItem>& items);

}  // namespace lookalike::cli
