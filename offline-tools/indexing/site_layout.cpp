#include "indexing/site_layout.h"

#include <algorithm>

#include "common/log.h"
#include "common/text.h"
#include "lookalike/common/error.h"

namespace lookalike::cli {

ItemLayout parse_item_layout(const std::string& name) {
  if (name == "auto") return ItemLayout::Auto;
  if (name == "inline") return ItemLayout::Inline;
  if (name == "paged") return ItemLayout::Paged;
  fail(ErrorKind::InvalidArgument, "unknown item layout \"" + name + "\" (expected inline, paged or auto)");
}

bool pages_items(ItemLayout layout, std::size_t items) {
  return layout == ItemLayout::Paged || (layout == ItemLayout::Auto && items > kAutoInlineItemsMax);
}

ThumbnailChoice parse_thumbnail_choice(const std::string& name) {
  if (name == "auto") return ThumbnailChoice::Auto;
  if (name == "write") return ThumbnailChoice::Write;
  if (name == "link") return ThumbnailChoice::Link;
  fail(ErrorKind::InvalidArgument, "unknown thumbnail choice \"" + name + "\" (expected write, link or auto)");
}

bool links_thumbnails(ThumbnailChoice choice, const std::vector<const CollectionItem*>& items,
                      const std::optional<Collection>& old) {
  if (choice == ThumbnailChoice::Write) return false;
  const auto unlinked = std::find_if(items.begin(), items.end(),
                                     [](const CollectionItem* item) { return !is_web_link(item->source.url); });
  const std::size_t without = std::size_t(std::count_if(
      items.begin(), items.end(), [](const CollectionItem* item) { return !is_web_link(item->source.url); }));
  const std::string missing = unlinked == items.end()
                                  ? std::string()
                                  : std::to_string(without) + " of the " + std::to_string(items.size()) +
                                        " images have no URL of their own (e.g. " +
                                        printable((*unlinked)->source.path) + ")";
  if (choice == ThumbnailChoice::Link) {
    if (!missing.empty())
      fail(ErrorKind::InvalidArgument,
           "--thumbnails link shows each photo from its own URL, but " + missing +
               ": crawl them (lookalike crawl records each photo's URL) or write thumbnails");
    return true;
  }
  // Auto: an update keeps what the collection does (items with thumbnails or without).
  const bool had_thumbnails = old && std::any_of(old->items.begin(), old->items.end(),
                                                 [](const CollectionItem& i) { return !i.thumbnail.empty(); });
  if (old && !old->items.empty()) {
    if (had_thumbnails || !missing.empty()) return false;
    return true;
  }
  if (std::uint64_t(items.size()) * kThumbnailBytesEstimate <= kThumbnailBudgetBytes) return false;
  if (missing.empty()) {
    log_info("linking each result to its photo's own URL instead of writing " + std::to_string(items.size()) +
             " thumbnails (about " + std::to_string(items.size() * kThumbnailBytesEstimate / 1'000'000) +
             " MB; --thumbnails write to write them)");
    return true;
  }
  log_warning("writing " + std::to_string(items.size()) + " thumbnails (about " +
              std::to_string(items.size() * kThumbnailBytesEstimate / 1'000'000) +
              " MB) although the site may then pass GitHub Pages' 1 GB: " + missing);
  return false;
}

}  // namespace lookalike::cli
