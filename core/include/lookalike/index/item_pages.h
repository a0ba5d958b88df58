// A large collection's items in pages: the page downloads the small
// collection document first (collection.h), then only the pages holding the
// items it shows, and the labels only when a visitor filters by one. Written
// by `lookalike index` (--item-layout), read by the page and by `lookalike
// query` alike. Beside the document, in site/index/:
//
//   <name>.items/<p>.json   page p: the items with ids in [p * size, (p + 1) * size), ascending
//       { "schema": 1, "collection": "big", "page": 17,
//         "items": [ { "id": 2176, "label": "beach", "thumbnail": "thumbs/2176.jpg", "source": { … } }, … ] }
//   <name>.labels.json      every item's id and label, as runs of consecutive ids
//       { "schema": 1, "collection": "big", "item_count": 1000000,
//         "runs": [ [0, 4000, 0], [4000, 12, -1], [4012, 996, 1], … ] }
//
// An item of a page is written and checked as an item of the document's
// "items" (collection.h): an id, a label among the document's labels, a
// thumbnail inside the site, http(s) links. Every page 0 … count − 1 exists,
// an empty one too, so that a missing file is always an error. A run [first,
// n, label] says that ids first … first + n − 1 are items with that label (a
// position in the document's "labels", −1 for none); runs are ascending and
// do not overlap, and their lengths add up to item_count. Ids in no run are
// not items. So a visitor's label filter costs one file, small when items
// of a label have neighbouring ids (as `lookalike index` numbers them: by
// folder, or in the order of the input's lines).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lookalike/index/collection.h"

namespace lookalike {

// What stands for the page's number in ItemPages::files.
constexpr const char* kItemPagePlaceholder = "{page}";
// Ids per page that lookalike writes: a results page of 10 items from
// anywhere in a million costs up to 10 pages of 128 items, about 20 to 60
// kB each (before compression, which static hosts apply to JSON).
constexpr std::uint32_t kItemPageSize = 128;
constexpr std::uint32_t kMaxItemPageSize = 65536;

struct ItemLabelRun {
  std::uint32_t first_id = 0, count = 0;
  std::int32_t label = -1;  // a position in Collection::labels, −1 for none
};

// The layout of c's items in pages of `page_size` ids, named after c: what a
// writer sets as c.item_pages. Throws Error(InvalidArgument) for a page size
// outside [1, kMaxItemPageSize].
ItemPages page_items(const Collection& c, std::uint32_t page_size = kItemPageSize);

// "<name>.items/17.json": the file of a page, relative to site/index/.
std::string item_page_file(const ItemPages& pages, std::uint32_t page);

// The runs of c.items (whatever their order): consecutive ids with the same label.
std::vector<ItemLabelRun> item_label_runs(const Collection& c);

// The files' text, for a collection whose item_pages are set and whose items
// are ascending by id (as collection_to_json checks). Throw
// Error(InvalidArgument) naming what is wrong.
std::string item_page_to_json(const Collection& c, std::uint32_t page);
std::string item_labels_to_json(const Collection& c);

// Read against the collection document they belong to (a paged one). Throw
// Error(Corrupt) "item page 17: items[3].id 5000 is not on page 17 (ids 2176
// to 2303)", Error(Unsupported) for another schema.
std::vector<CollectionItem> parse_item_page(const std::string& json_text, const Collection& document,
                                            std::uint32_t page);
std::vector<ItemLabelRun> parse_item_labels(const std::string& json_text, const Collection& document);

// The label of `id` in ascending runs (binary search): a position in the
// collection's labels, −1 for an item without a label; `known` is false
// when no run holds the id.
std::int32_t label_in_runs(const std::vector<ItemLabelRun>& runs, std::uint32_t id, bool* known = nullptr);

}  // namespace lookalike
