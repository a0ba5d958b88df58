// What `lookalike embed` reads: image folders, image files and manifests,
// flattened into one ordered list of images with their label and id.
//
//   a folder     every image file below it, sorted; the label is the first
//                sub-folder (wang1k/beach/107.jpg → "beach"), none at top level
//   a .json file a manifest: {"items": [...]} (or "images", or a bare array);
//                an item is a path string or an object with "path" (or "file")
//                and optional "id", "label" (or "class"), "split"; relative
//                paths are relative to the manifest's folder, or to its
//                "root" field when present
//   any other    an image file
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lookalike::cli {

struct EmbedInput {
  std::string path;   // as opened
  std::string label;  // may be empty
  std::string split;  // may be empty (manifests only)
  nlohmann::json id;  // null unless a manifest gives one
};

// Throws Error(Io) for a missing file or folder, Error(Corrupt) for a
// manifest that is not valid JSON or has no usable items.
std::vector<EmbedInput> collect_embed_inputs(const std::vector<std::string>& arguments);

}  // namespace lookalike::cli
