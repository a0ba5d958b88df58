// Which images a collection will hold, under which ids, and which of them
// must be decoded: all of them for a fresh build; for an update (`index
// --update`) only images new in the manifest and images changed since their
// thumbnail was made, while images that vanished are removed. Images are
// matched by their source path (site/collection_items.h), so a kept image
// keeps its id; new images get ids above every id the collection has used.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "dataset/manifest.h"
#include "lookalike/index/collection.h"

namespace lookalike::cli {

struct PlannedItem {
  CollectionItem item;  // refreshed from the manifest (label, size, attribution); the id is kept
  std::size_t manifest_index = 0;
  bool compute = true;  // decode: a new thumbnail and new vectors
  bool is_new = true;   // not in the collection before
};

struct IndexPlan {
  std::vector<PlannedItem> items;      // ascending ids
  std::vector<std::uint32_t> removed;  // ids of the old collection whose image is gone
  std::size_t added = 0, changed = 0, kept = 0;
};

// Ids are the images' positions in the manifest.
IndexPlan plan_fresh(const Manifest& manifest);

// Throws Error(Corrupt) when two manifest images share a source path (they
// could not be told apart in the next update).
IndexPlan plan_update(const Manifest& manifest, const Collection& existing, const std::filesystem::path& site);

// The plan for a collection whose results show the photos' own URLs: no
// thumbnails, and (an update) a kept image is decoded again only when its
// file changed after the collection was last written (`collection_file`),
// there being no thumbnail to compare with.
void plan_linked_thumbnails(IndexPlan& plan, const Manifest& manifest, const std::filesystem::path& collection_file);

}  // namespace lookalike::cli
