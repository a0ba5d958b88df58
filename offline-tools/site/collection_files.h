// Where a collection lives in a site folder, and reading and writing it
// there. The JSON itself (its fields, its validation) is the core's
// contract with the web page: core/include/lookalike/index/collection.h.
//
//   site/index/collections.json   the list of collections (CollectionList)
//   site/index/<name>.json        one collection (Collection, "the sidecar")
#pragma once

#include <filesystem>
#include <string>

#include "lookalike/index/collection.h"

namespace lookalike::cli {

namespace fs = std::filesystem;

fs::path collection_file(const fs::path& site, const std::string& name);  // site/index/<name>.json
fs::path collection_list_file(const fs::path& site);                      // site/index/collections.json

// Validated (the core's rules) and written atomically. Throws
// Error(InvalidArgument) for an invalid collection, Error(Io) when writing fails.
void write_collection(const fs::path& site, const Collection& collection);
// Throws Error(Io) for a missing file, Error(Corrupt) naming the file and field.
Collection read_collection(const fs::path& site, const std::string& name);
bool collection_exists(const fs::path& site, const std::string& name);

// Adds or replaces the collection's entry in site/index/collections.json
// (created when missing); it becomes the default when asked or when the list
// had none. Throws Error(Corrupt) for an unreadable existing list.
void register_collection(const fs::path& site, const Collection& collection, bool make_default);
// The list as the page reads it. Throws Error(Io) when missing.
CollectionList read_collection_list(const fs::path& site);

}  // namespace lookalike::cli
