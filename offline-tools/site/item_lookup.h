// A collection's items by id, as `lookalike query` shows its results and
// filters by label: from the document itself, or for a paged collection
// (core/include/lookalike/index/item_pages.h) only the pages of the items
// asked for, each read once, and the label runs on the first label filter,
// as the page fetches them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include "lookalike/index/collection.h"
#include "lookalike/index/item_pages.h"

namespace lookalike::cli {

class ItemLookup {
 public:
  // `document` as read_collection_document gives it.
  ItemLookup(std::filesystem::path site, Collection document);

  const Collection& document() const { return document_; }
  // Null for an id that is no item. Throws Error(Io) for a missing page,
  // Error(Corrupt) naming the file for a damaged one.
  const CollectionItem* item(std::uint32_t id) const;
  // The item's label as a position in document().labels, −1 for none or an unknown id.
  std::int32_t label_of(std::uint32_t id) const;

 private:
  std::filesystem::path site_;
  Collection document_;
  std::unordered_map<std::uint32_t, std::size_t> inline_positions_;  // in document_.items
  // Lazily read (const methods: reading a file changes no answer).
  mutable std::map<std::uint32_t, std::vector<CollectionItem>> pages_;
  mutable std::optional<std::vector<ItemLabelRun>> runs_;
};

}  // namespace lookalike::cli
