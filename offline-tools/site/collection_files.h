// Where a collection lives in a site folder, and reading and writing it
// there. The JSON itself (its fields, its validation) is the core's
// contract with the web page: core/include/lookalike/index/collection.h,
// and for a large collection's items item_pages.h.
//
//   site/index/collections.json   the list of collections (CollectionList)
//   site/index/<name>.json        one collection (Collection, "the sidecar")
//   site/index/<name>.items/<p>.json, site/index/<name>.labels.json
//                                 a paged collection's items and label runs
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "common/files.h"
#include "common/staged_files.h"
#include "lookalike/common/error.h"
#include "lookalike/index/collection.h"

namespace lookalike::cli {

namespace fs = std::filesystem;

// parse(the file's text), the core's errors (which name the field: "collection:
// items[3].id is missing") prefixed with the file.
template <class Parse>
auto parse_site_file(const fs::path& file, Parse parse) {
  const std::string text = read_text_file(file);
  try {
    return parse(text);
  } catch (const Error& e) {
    fail(e.kind(), file.string() + ": " + e.what());
  }
}

fs::path collection_file(const fs::path& site, const std::string& name);  // site/index/<name>.json
fs::path collection_list_file(const fs::path& site);                      // site/index/collections.json

// Validated (the core's rules) and written atomically. Throws
// Error(InvalidArgument) for an invalid collection, Error(Io) when writing
// fails. A paged collection's pages are written first (write_collection), or
// staged with the rest of a build (stage_item_pages) before its document is
// written.
void write_collection(const fs::path& site, const Collection& collection);
void stage_item_pages(StagedFiles& staged, const fs::path& site, const Collection& collection);
// Every file of a paged collection besides its document: its pages and label
// runs (none for an inline one).
std::vector<fs::path> item_page_paths(const fs::path& site, const Collection& collection);

// Removes the files of `stale` that are not in `keep` (paths inside the
// site that a collection named or a build wrote), and the folders they leave
// empty (a paged collection's page folder, thumbs/), warning about any that
// cannot be removed.
void remove_stale_site_files(const fs::path& site, const std::set<fs::path>& stale, const std::set<fs::path>& keep);

// The collection with all its items, from its pages when paged (what a build
// updates or replaces). Throws Error(Io) for a missing file, Error(Corrupt)
// naming the file and field.
Collection read_collection(const fs::path& site, const std::string& name);
// The document alone: a paged collection's items stay in their pages
// (collection_items.h reads those asked for).
Collection read_collection_document(const fs::path& site, const std::string& name);
bool collection_exists(const fs::path& site, const std::string& name);

// Adds or replaces the collection's entry in site/index/collections.json
// (created when missing); it becomes the default when asked or when the list
// had none. Throws Error(Corrupt) for an unreadable existing list.
void register_collection(const fs::path& site, const Collection& collection, bool make_default);
// The list as the page reads it. Throws Error(Io) when missing.
CollectionList read_collection_list(const fs::path& site);

}  // namespace lookalike::cli
