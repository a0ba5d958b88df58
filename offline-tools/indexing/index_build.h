// The work of `lookalike index`, apart from argument parsing and printing:
// from a manifest (or a folder, prepped in memory) to a site folder holding
//
//   thumbs/<id>.jpg                         ~256 px thumbnails (none when results link to
//                                           the photos' own URLs: site_layout.h)
//   index/<name>.<slug>.<metric>.lkx        one bundle per feature × metric (docs/FORMAT.md);
//                                           .lkp + .NNNN.bin for a partitioned index
//   index/<name>.json                       the collection (core/include/lookalike/index/collection.h)
//   index/<name>.items/<p>.json, index/<name>.labels.json   its items in pages, when paged
//   index/collections.json                  the list of collections
//   samples/<id>.jpg                        sample queries
//   models/<card>.json + its ONNX file      for model:<card> features
//
// Each image is decoded once for its thumbnail and every traditional
// feature; a model feature embeds each image once and serves every metric.
// Everything is staged and moved into place only when all of it succeeded,
// the sidecar last: a failure (an Error thrown) leaves the site as it was.
// Images that cannot be decoded are left out and listed in `failures`.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "indexing/index_options.h"
#include "lookalike/index/collection.h"

namespace lookalike::cli {

struct BuiltBundle {
  CollectionBundle entry;
  double seconds = 0;
  std::size_t added = 0, removed = 0;  // vectors, in this run
};

struct IndexSummary {
  std::string name, title, sidecar, input_kind;
  bool update = false;
  std::size_t items = 0, added = 0, removed = 0, changed = 0, kept = 0;
  std::size_t thumbnails_written = 0, thumbnails_reused = 0;
  bool thumbnails_linked = false;     // results show the photos' own URLs
  std::size_t item_pages = 0;         // 0: the items are in the collection document
  std::vector<std::string> failures;  // "<path>: <why>" for images left out
  std::vector<BuiltBundle> bundles;
  std::vector<std::string> models;  // card paths relative to the site
  std::size_t samples = 0;
  double seconds = 0;
};

// Throws lookalike::Error for wrong options (before any image is read), an
// unreadable input, a site that cannot be updated with these options, or a
// failure while writing; "interrupted" when Ctrl-C stopped it.
IndexSummary run_index(const IndexOptions& options);

}  // namespace lookalike::cli
