// The sidecar's item for a manifest image (id, label, thumbnail path, size,
// attribution), where its thumbnail lives in the site, and the licence note
// over all items. `lookalike index` writes the thumbnails while it decodes
// each image for its features (index/index_build.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "dataset/manifest.h"
#include "lookalike/index/collection.h"

namespace lookalike::cli {

// The item of one manifest image (no file access). source.path is the
// image's path inside its source folder, prefixed with the folder's name when
// the manifest has several: the key `index --update` matches images by.
CollectionItem collection_item(const Manifest& manifest, const ManifestImage& image, std::uint32_t id);

// That key for an image at `path` inside roots[root]; also what a sharded
// job hashes to pick its images, so the split ignores where the sources are
// mounted.
std::string source_key(const std::vector<SourceRoot>& roots, std::size_t root, const std::string& path);

std::string thumbnail_path(std::uint32_t id);  // "thumbs/<id>.jpg", relative to the site

// True when `thumbnail` exists and is not older than `source`: the picture
// has not changed since the thumbnail was made.
bool thumbnail_is_current(const std::filesystem::path& source, const std::filesystem::path& thumbnail);

// The labels the items carry, sorted, each once: the collection's "labels".
std::vector<std::string> sorted_labels(const std::vector<CollectionItem>& items);

// A sentence for the sidecar's licence_note: licences counted over the items,
// or a warning that none are known.
std::string licence_note_for(const std::vector<CollectionItem>& items);

}  // namespace lookalike::cli
