// What `lookalike query` searches: one bundle, chosen in a site's collection
// by feature and metric as the page chooses it (or given as a file), loaded
// and checked against the sidecar the way the page checks it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "lookalike/index/collection.h"
#include "lookalike/index/vector_index.h"
#include "query/query_index.h"
#include "site/item_lookup.h"

namespace lookalike::cli {

struct QueryTargetRequest {
  std::filesystem::path site;        // a site folder, or
  std::filesystem::path index_file;  // one .lkx bundle or .lkp partitioned index
  std::string collection;            // empty: the site's default
  std::string feature;               // empty: the page's default (the collection's first "defaults")
  std::string metric;                // empty: the one the collection's defaults give the feature
  // A text query: only a model feature with a text tower can answer it
  // (the default: the first such feature, as the page's text box searches).
  bool text = false;
};

struct QueryTarget {
  std::optional<ItemLookup> items;  // with --site: the collection's document and its items
  std::filesystem::path site;
  std::filesystem::path bundle_file;
  QueryIndex index;
  // Model features: the card file to embed the query with (the site's copy,
  // whose model file sits next to it, as for the page); empty otherwise.
  std::string model_card;
  // A text query: the site's copy of the text tower's card; empty otherwise.
  std::string text_card;

  const Collection* collection() const { return items ? &items->document() : nullptr; }
  const CollectionItem* item(std::uint32_t id) const;  // null without a collection or for an unknown id
};

// Throws Error(InvalidArgument) for a collection, feature or metric the site
// does not have (listing those it has) and for a text query the collection
// cannot answer (saying why), Error(Io) for missing files, and
// Error(Corrupt) "<file>: …" for a damaged bundle or sidecar, or a bundle that
// does not match its sidecar entry.
QueryTarget open_query_target(const QueryTargetRequest& request);

}  // namespace lookalike::cli
