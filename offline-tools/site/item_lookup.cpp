#include "site/item_lookup.h"

#include <algorithm>

#include "site/collection_files.h"

namespace lookalike::cli {
ItemLookup::ItemLookup(std::filesystem::path site, Collection document)
    : site_(std::move(site)), document_(std::move(document)) {
  for (std::size_t i = 0; i < document_.items.size(); ++i) inline_positions_.emplace(document_.items[i].id, i);
}

const CollectionItem* ItemLookup::item(std::uint32_t id) const {
  if (!document_.item_pages.paged()) {
    const auto it = inline_positions_.find(id);
    return it == inline_positions_.end() ? nullptr : &document_.items[it->second];
  }
  const ItemPages& pages = document_.item_pages;
  const std::uint32_t page = id / pages.size;
  if (page >= pages.count) return nullptr;
  auto it = pages_.find(page);
  if (it == pages_.end()) {
    const std::filesystem::path file = site_ / "index" / item_page_file(pages, page);
    it = pages_
             .emplace(page, parse_site_file(
                                file, [&](const std::string& text) { return parse_item_page(text, document_, page); }))
             .first;
  }
  const std::vector<CollectionItem>& items = it->second;
  const auto found = std::lower_bound(items.begin(), items.end(), id,
                                      [](const CollectionItem& item, std::uint32_t x) { return item.id < x; });
  return found != items.end() && found->id == id ? &*found : nullptr;
}

std::int32_t ItemLookup::label_of(std::uint32_t id) const {
  if (!document_.item_pages.paged()) {
    const CollectionItem* found = item(id);
    if (!found || found->label.empty()) return -1;
    const auto& labels = document_.labels;
    return std::int32_t(std::find(labels.begin(), labels.end(), found->label) - labels.begin());
  }
  if (!runs_) {
    const std::filesystem::path file = site_ / "index" / document_.item_pages.labels;
    runs_ = parse_site_file(file, [&](const std::string& text) { return parse_item_labels(text, document_); });
  }
  return label_in_runs(*runs_, id);
}

}  // namespace lookalike::cli
