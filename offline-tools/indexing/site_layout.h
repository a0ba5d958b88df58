// How `lookalike index` lays a collection's items out in the site, by its
// size: the items in the collection document or in pages
// (core/include/lookalike/index/item_pages.h), and thumbnails written into
// the site or the photos' own URLs (crawled photos have them, with their
// attribution) when thumbnails would not fit the site's size budget.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lookalike/index/collection.h"

namespace lookalike::cli {

// --item-layout auto keeps the items in the document up to this many (the
// page reads them all before its first result: about 2 to 5 MB of JSON at
// 10 000 items) and pages them above.
constexpr std::size_t kAutoInlineItemsMax = 10000;

enum class ItemLayout { Auto, Inline, Paged };
// "auto", "inline", "paged"; throws Error(InvalidArgument)
ItemLayout parse_item_layout(const std::string& name);
bool pages_items(ItemLayout layout, std::size_t items);

// --thumbnails auto writes thumbnails unless they would pass this part of the
// site: half of GitHub Pages' 1 GB (scripts/check-site.mjs), the rest left
// for the indexes. A 256-pixel thumbnail is about 12 kB (measured on WANG's
// 1000 photos: 12.0 kB each), so auto links photos above about 40 000.
constexpr std::uint64_t kThumbnailBudgetBytes = 500'000'000;
constexpr std::uint64_t kThumbnailBytesEstimate = 12'000;

enum class ThumbnailChoice { Auto, Write, Link };
// "auto", "write", "link"; throws Error(InvalidArgument)
ThumbnailChoice parse_thumbnail_choice(const std::string& name);

// Whether results show the photos' own URLs (source.url) instead of
// thumbnails in the site. `items` are the collection's items to be; `old`
// the collection an update builds on (auto keeps its choice). Link needs
// every item's URL: throws Error(InvalidArgument) naming one without when
// asked for; auto then writes thumbnails and warns that the site will be
// large.
bool links_thumbnails(ThumbnailChoice choice, const std::vector<const CollectionItem*>& items,
                      const std::optional<Collection>& old);

}  // namespace lookalike::cli
