// A large collection's items in pages and its label runs (item_pages.h):
// written and read back, each page checked against its document, and every
// way a page or the runs can be wrong refused with the field named.
#include <catch2/catch.hpp>

#include "lookalike/common/error.h"
#include "lookalike/index/item_pages.h"
#include "support/expect_error.h"

using namespace lookalike;
using namespace lookalike::testing;

namespace {

// 300 items: ids 0..199 and 250..349, "a" then "b" then none, every tenth item "b".
Collection paged_sample(std::uint32_t page_size = 128) {
  Collection c;
  c.name = "big";
  c.labels = {"a", "b"};
  for (std::uint32_t id = 0; id < 350; ++id) {
    if (id >= 200 && id < 250) continue;
    CollectionItem item;
    item.id = id;
    item.label = id % 10 == 0 ? "b" : id < 300 ? "a" : "";
    item.thumbnail = "thumbs/" + std::to_string(id) + ".jpg";
    item.source.title = "picture " + std::to_string(id);
    item.source.url = "https://example.org/" + std::to_string(id) + ".jpg";
    c.items.push_back(item);
  }
  c.item_pages = page_items(c, page_size);
  return c;
}

template <class Parse>
void expect_corrupt(Parse parse, const std::string& text) {
  expect_error(ErrorKind::Corrupt, parse, text);
}

}  // namespace

TEST_CASE("a paged collection's document holds no items, its pages hold them all") {
  const Collection c = paged_sample();
  CHECK(c.item_pages.size == 128);
  CHECK(c.item_pages.count == 3);  // ids up to 349
  CHECK(item_page_file(c.item_pages, 2) == "big.items/2.json");
  CHECK(c.item_pages.labels == "big.labels.json");

  const std::string text = collection_to_json(c);
  CHECK(text.find("\"items\"") == std::string::npos);
  const Collection document = parse_collection(text);
  CHECK(document.items.empty());
  CHECK(document.item_count == 300);
  CHECK(document.item_pages.count == 3);
  CHECK(document.item_pages.files == "big.items/{page}.json");

  std::size_t read = 0;
  for (std::uint32_t p = 0; p < document.item_pages.count; ++p) {
    const std::vector<CollectionItem> items = parse_item_page(item_page_to_json(c, p), document, p);
    for (const CollectionItem& item : items) {
      const CollectionItem& original = c.items[read++];
      CHECK(item.id == original.id);
      CHECK(item.label == original.label);
      CHECK(item.source.url == original.source.url);
      CHECK(item.id / 128 == p);
    }
  }
  CHECK(read == c.items.size());
  // Page 1 holds ids 128..199 and 250..255; ids 200..249 are no items.
  CHECK(parse_item_page(item_page_to_json(c, 1), document, 1).size() == 78);
}

TEST_CASE("the label runs give every item's label and say which ids are items") {
  const Collection c = paged_sample();
  const Collection document = parse_collection(collection_to_json(c));
  const std::vector<ItemLabelRun> runs = parse_item_labels(item_labels_to_json(c), document);
  for (const CollectionItem& item : c.items) {
    bool known = false;
    const std::int32_t label = label_in_runs(runs, item.id, &known);
    CHECK(known);
    CHECK(label == (item.label.empty() ? -1 : item.label == "a" ? 0 : 1));
  }
  bool known = true;
  CHECK(label_in_runs(runs, 220, &known) == -1);
  CHECK_FALSE(known);
  CHECK(label_in_runs(runs, 350, &known) == -1);
  CHECK_FALSE(known);
  // Neighbouring ids of one label share a run: 9 "a" between two "b", and so on.
  CHECK(runs.size() < c.items.size() / 4);
  CHECK(runs.front().first_id == 0);
  CHECK(runs.front().count == 1);
  CHECK(runs[1].count == 9);
}

TEST_CASE("a page or the runs that do not fit their document are refused, naming the field") {
  const Collection c = paged_sample();
  const Collection document = parse_collection(collection_to_json(c));
  const std::string page1 = item_page_to_json(c, 1);
  expect_corrupt([&] { parse_item_page(page1, document, 2); }, "item page 2: page is not 2");
  expect_corrupt([&] { parse_item_page("{", document, 1); }, "item page 1: not valid JSON");
  // page 1 with the first `from` replaced by `to`
  const auto page1_with = [&](const std::string& from, const std::string& to) {
    std::string page = page1;
    page.replace(page.find(from), from.size(), to);
    return page;
  };
  expect_corrupt([&] { parse_item_page(page1_with("\"id\":128", "\"id\":12"), document, 1); },
                 "items[0].id 12 is not on page 1 (ids 128 to 255)");
  expect_corrupt([&] { parse_item_page(page1_with("\"label\":\"a\"", "\"label\":\"z\""), document, 1); },
                 "label \"z\" is not in labels");
  expect_corrupt([&] { parse_item_page(page1_with("\"big\"", "\"small\""), document, 1); },
                 "collection is \"small\", not \"big\"");
  expect_corrupt([&] { parse_item_page(page1_with("https://example.org", "javascript:alert(1)//"), document, 1); },
                 "source.url must be an http or https URL");
  expect_corrupt([&] { parse_item_page(R"({"schema":1,"collection":"big","page":5,"items":[]})", document, 5); },
                 "page is not one of the collection's 3 pages");

  const auto runs = [&](const std::string& list, int count = 300) {
    return R"({"schema":1,"collection":"big","item_count":)" + std::to_string(count) + R"(,"runs":)" + list + "}";
  };
  CHECK_NOTHROW(parse_item_labels(runs("[[0,300,-1]]"), document));
  expect_corrupt([&] { parse_item_labels(runs("[[0,300,-1]]", 299), document); }, "item_count is 299");
  expect_corrupt([&] { parse_item_labels(runs("[[0,200,0],[100,100,1]]"), document); }, "runs[1] must cover new ids");
  expect_corrupt([&] { parse_item_labels(runs("[[0,299,0]]"), document); }, "runs hold 299 items, not 300");
  expect_corrupt([&] { parse_item_labels(runs("[[0,300,2]]"), document); }, "runs[0] names label 2");
  expect_corrupt([&] { parse_item_labels(runs("[[300,300,0]]"), document); }, "within the collection's 384");
  expect_corrupt([&] { parse_item_labels(runs("[[0,300]]"), document); }, "runs[0] must be [first id, count, label]");
}

TEST_CASE("a paged document is checked as the inline one, and its layout too") {
  Collection c = paged_sample();
  c.item_pages.count = 2;
  CHECK_THROWS_WITH(collection_to_json(c), Catch::Contains("item_pages.count is 2, the items' ids need 3 pages"));
  c = paged_sample();
  std::swap(c.items[3], c.items[4]);
  CHECK_THROWS_WITH(collection_to_json(c), Catch::Contains("items[4].id must be above the previous item's"));
  c = paged_sample();
  c.item_pages.files = "../big/{page}.json";
  CHECK_THROWS_WITH(collection_to_json(c), Catch::Contains("item_pages.files must be a relative path"));
  c.item_pages.files = "big.json";
  CHECK_THROWS_WITH(collection_to_json(c), Catch::Contains("item_pages.files"));
  CHECK_THROWS(page_items(c, 0));

  const std::string document = R"({"schema":1,"name":"big","labels":["a"],"item_count":300,)";
  CHECK_NOTHROW(parse_collection(
      document + R"("item_pages":{"size":128,"count":3,"files":"big.items/{page}.json","labels":"big.labels.json"}})"));
  expect_corrupt(
      [&] {
        parse_collection(
            document +
            R"("item_pages":{"size":128,"count":2,"files":"big.items/{page}.json","labels":"big.labels.json"}})");
      },
      "item_count 300 is more than 2 pages hold");
  expect_corrupt(
      [&] {
        parse_collection(document + R"("items":[],"item_pages":{"size":128,"count":3,"files":"b/{page}.json",)" +
                         R"("labels":"b.json"}})");
      },
      "items and item_pages are both given");
  expect_corrupt(
      [&] {
        parse_collection(document + R"("item_pages":{"size":0,"count":3,"files":"b/{page}.json","labels":"b.json"}})");
      },
      "item_pages.size must be at least 1");
  expect_corrupt(
      [&] { parse_collection(document + R"("item_pages":{"size":128,"count":3,"files":"b/{page}.json"}})"); },
      "item_pages.labels is missing");
}
