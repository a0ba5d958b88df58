#include "lookalike/index/item_pages.h"

#include <algorithm>
#include <map>
#include <set>

#include "index/collection_json.h"
#include "lookalike/common/error.h"

namespace lookalike {
namespace {

using namespace collection_json;

std::string page_what(std::uint32_t page) { return "item page " + std::to_string(page); }

// The items of `page` in c.items (ascending ids): [first, last).
std::pair<std::size_t, std::size_t> page_range(const Collection& c, std::uint32_t page) {
  const std::uint64_t begin = std::uint64_t(page) * c.item_pages.size, end = begin + c.item_pages.size;
  const auto by_id = [](const CollectionItem& item, std::uint64_t id) { return item.id < id; };
  const auto first = std::lower_bound(c.items.begin(), c.items.end(), begin, by_id);
  const auto last = std::lower_bound(first, c.items.end(), end, by_id);
  return {std::size_t(first - c.items.begin()), std::size_t(last - c.items.begin())};
}

// A paged document's own file: its schema and the collection it belongs to.
json page_document(const Collection& c) { return json{{"schema", kCollectionSchema}, {"collection", c.name}}; }

void check_belongs(const Document& d, const Collection& document) {
  if (!document.item_pages.paged())
    fail(ErrorKind::InvalidArgument, d.bad.what + ": collection " + document.name + " does not page its items");
  const std::string name = d.top.text("collection", true);
  if (name != document.name) d.bad("collection", "is \"" + name + "\", not \"" + document.name + "\"");
}

std::set<std::string> label_set(const Collection& c) { return {c.labels.begin(), c.labels.end()}; }

}  // namespace

ItemPages page_items(const Collection& c, std::uint32_t page_size) {
  if (page_size == 0 || page_size > kMaxItemPageSize)
    fail(ErrorKind::InvalidArgument,
         "item pages of " + std::to_string(page_size) + " ids: must be 1 to " + std::to_string(kMaxItemPageSize));
  ItemPages pages;
  pages.size = page_size;
  std::uint32_t max_id = 0;
  for (const CollectionItem& item : c.items) max_id = std::max(max_id, item.id);
  pages.count = c.items.empty() ? 0 : max_id / page_size + 1;
  pages.files = c.name + ".items/" + kItemPagePlaceholder + ".json";
  pages.labels = c.name + ".labels.json";
  return pages;
}

std::string item_page_file(const ItemPages& pages, std::uint32_t page) {
  std::string file = pages.files;
  const std::size_t at = file.find(kItemPagePlaceholder);
  if (at != std::string::npos) file.replace(at, std::string(kItemPagePlaceholder).size(), std::to_string(page));
  return file;
}

std::vector<ItemLabelRun> item_label_runs(const Collection& c) {
  std::map<std::string, std::int32_t> positions;
  for (std::size_t i = 0; i < c.labels.size(); ++i) positions.emplace(c.labels[i], std::int32_t(i));
  std::vector<std::pair<std::uint32_t, std::int32_t>> labelled;
  labelled.reserve(c.items.size());
  for (const CollectionItem& item : c.items) {
    const auto label = positions.find(item.label);
    labelled.emplace_back(item.id, label == positions.end() ? -1 : label->second);
  }
  std::sort(labelled.begin(), labelled.end());
  std::vector<ItemLabelRun> runs;
  for (const auto& [id, label] : labelled) {
    ItemLabelRun* last = runs.empty() ? nullptr : &runs.back();
    if (last && last->label == label && std::uint64_t(last->first_id) + last->count == id)
      ++last->count;
    else
      runs.push_back({id, 1, label});
  }
  return runs;
}

std::string item_page_to_json(const Collection& c, std::uint32_t page) {
  const Reporter bad{page_what(page), ErrorKind::InvalidArgument};
  if (!c.item_pages.paged() || page >= c.item_pages.count)
    bad("page", "is not one of the collection's " + std::to_string(c.item_pages.count) + " pages");
  const auto [first, last] = page_range(c, page);
  const std::set<std::string> labels = label_set(c);
  std::set<std::uint32_t> ids;
  json root = page_document(c);
  root["page"] = page;
  json items = json::array();
  for (std::size_t i = first; i < last; ++i) {
    check_item(c.items[i], at("items", i - first), labels, ids, bad);
    items.push_back(item_to_json(c.items[i]));
  }
  root["items"] = std::move(items);
  return compact_text(root);
}

std::string item_labels_to_json(const Collection& c) {
  json root = page_document(c);
  root["item_count"] = c.items.size();
  json runs = json::array();
  for (const ItemLabelRun& r : item_label_runs(c)) runs.push_back({r.first_id, r.count, r.label});
  root["runs"] = std::move(runs);
  return compact_text(root);
}

std::vector<CollectionItem> parse_item_page(const std::string& json_text, const Collection& document,
                                            std::uint32_t page) {
  const Document d(json_text, page_what(page));
  check_belongs(d, document);
  if (d.top.number("page", 0xFFFFFFFFu, true) != page) d.bad("page", "is not " + std::to_string(page));
  const ItemPages& pages = document.item_pages;
  if (page >= pages.count) d.bad("page", "is not one of the collection's " + std::to_string(pages.count) + " pages");
  const std::uint64_t begin = std::uint64_t(page) * pages.size, end = begin + pages.size;
  const json& array = d.top.array("items", true);
  if (array.size() > pages.size) d.bad("items", "holds more than the page's " + std::to_string(pages.size) + " ids");
  const std::set<std::string> labels = label_set(document);
  std::set<std::uint32_t> ids;
  std::vector<CollectionItem> items;
  items.reserve(array.size());
  for (std::size_t i = 0; i < array.size(); ++i) {
    const std::string field = at("items", i);
    CollectionItem item = read_item(Fields(array[i], field, d.bad), d.bad);
    check_item(item, field, labels, ids, d.bad);
    if (item.id < begin || item.id >= end)
      d.bad(field + ".id", std::to_string(item.id) + " is not on page " + std::to_string(page) + " (ids " +
                               std::to_string(begin) + " to " + std::to_string(end - 1) + ")");
    if (!items.empty() && item.id < items.back().id) d.bad(field + ".id", "is below the previous item's");
    items.push_back(std::move(item));
  }
  return items;
}

std::vector<ItemLabelRun> parse_item_labels(const std::string& json_text, const Collection& document) {
  const Document d(json_text, "item labels");
  check_belongs(d, document);
  const std::uint64_t item_count = d.top.number("item_count", 0xFFFFFFFFu, true);
  if (item_count != document.item_count)
    d.bad("item_count",
          "is " + std::to_string(item_count) + ", the collection says " + std::to_string(document.item_count));
  const std::uint64_t id_end = std::uint64_t(document.item_pages.count) * document.item_pages.size;
  const json& array = d.top.array("runs", true);
  if (array.size() > item_count) d.bad("runs", "are more than the items");
  std::vector<ItemLabelRun> runs;
  runs.reserve(array.size());
  std::uint64_t total = 0, next_free = 0;
  for (std::size_t i = 0; i < array.size(); ++i) {
    const json& r = array[i];
    const std::string field = at("runs", i);
    if (!r.is_array() || r.size() != 3 || !r[0].is_number_unsigned() || !r[1].is_number_unsigned() ||
        !r[2].is_number_integer())
      d.bad(field, "must be [first id, count, label]");
    const std::uint64_t first = r[0].get<std::uint64_t>(), count = r[1].get<std::uint64_t>();
    const long long label = r[2].get<long long>();
    if (count == 0 || first < next_free || first + count > id_end)
      d.bad(field, "must cover new ids, ascending, within the collection's " + std::to_string(id_end) + " page ids");
    if (label < -1 || label >= static_cast<long long>(document.labels.size()))
      d.bad(field, "names label " + std::to_string(label) + ", not one of the collection's " +
                       std::to_string(document.labels.size()));
    runs.push_back({std::uint32_t(first), std::uint32_t(count), std::int32_t(label)});
    next_free = first + count;
    total += count;
  }
  if (total != item_count) d.bad("runs", "hold " + std::to_string(total) + " items, not " + std::to_string(item_count));
  return runs;
}

std::int32_t label_in_runs(const std::vector<ItemLabelRun>& runs, std::uint32_t id, bool* known) {
  const auto after = std::upper_bound(runs.begin(), runs.end(), id,
                                      [](std::uint32_t x, const ItemLabelRun& r) { return x < r.first_id; });
  const bool found = after != runs.begin() && id - std::prev(after)->first_id < std::prev(after)->count;
  if (known) *known = found;
  return found ? std::prev(after)->label : -1;
}

}  // namespace lookalike
