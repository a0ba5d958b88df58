// The collection sidecar: what the web page needs besides the bundles.
// Written by `lookalike index` as site/index/<name>.json, listed in
// site/index/collections.json. As in the examples below, a bundle's or a
// collection's "file" is a name beside the JSON that lists it (in
// site/index/); thumbnails, model cards and sample queries are relative to
// site/.
//
//   { "schema": 1, "name": "demo", "title": "Demo photos", "created": "2026-11-27T10:00:00Z",
//     "licence_note": "…what may be republished…",
//     "labels": ["beach", "mountain"],
//     "items": [ { "id": 0, "label": "beach", "thumbnail": "thumbs/0.jpg", "width": 640, "height": 480,
//                  "source": { "path": "beach/123.jpg", "url": "https://…", "page": "https://…",
//                              "owner": "…", "title": "…", "licence": "CC BY 2.0", "licence_url": "…",
//                              "photo_id": "123", "term": "beach" } } ],
//     "bundles": [ { "feature": "colour:bins=8x4x4", "slug": "colour", "metric": "l1",
//                    "file": "demo.colour.l1.lkx", "kind": "hnsw", "element": "float32",
//                    "dim": 128, "count": 1000, "bytes": 123456 },
//                  { "feature": "model:clip-vit-b32", "slug": "model-clip-vit-b32", "metric": "cosine",
//                    "file": "demo.model-clip-vit-b32.cosine.lkp", "kind": "partitioned", "element": "int8",
//                    "dim": 512, "count": 1000000, "bytes": 530000000, "data_files": 9 } ],
//     "models": [ { "card": "models/clip-vit-b32.json", "text_card": "models/clip-vit-b32-text.json" } ],
//     "samples": [ { "file": "samples/12.jpg", "title": "beach (item 12)" } ],
//     "defaults": [ { "feature": "colour:bins=8x4x4", "metric": "l1" } ] }
//
//   collections.json: { "schema": 1, "default": "demo",
//                       "collections": [ { "name": "demo", "title": "Demo photos", "file": "demo.json" } ] }
//
// A large collection keeps its items out of this file (they would be tens of
// MB at a million items, all downloaded before the first result): instead of
// "items" it has
//
//     "item_count": 1000000,
//     "item_pages": { "size": 128, "count": 7813, "files": "big.items/{page}.json",
//                     "labels": "big.labels.json" }
//
// and the page fetches only the pages of the items it shows, and the label
// runs only when a visitor filters by label. Those files are described in
// item_pages.h; `lookalike index --item-layout` chooses (by default pages
// above 10 000 items).
//
// An item's "source" is its Attribution (attribution.h, which documents the
// fields). "defaults" are the page's choices when the collection opens, best
// first, one per feature: the first the page can use (a model that cannot
// load is passed over) selects the feature and metric; `lookalike query`
// takes the first. `lookalike index` records preferred_defaults(); a file
// without them (written before they were recorded) means the first bundle of
// each feature, in the order listed, for the page and the CLI alike.
//
// Required: schema, name, items (each with id) or item_pages and item_count;
// everything else may be absent
// (empty strings, zero sizes, empty lists) and is then left out when written.
// Titles, owners, labels and licences are untrusted text: the page inserts
// them as text, never as HTML. Links (url, page, licence_url) must be http(s)
// so that no "javascript:" URL reaches the page; paths must be relative and
// stay inside site/ (no "..", no leading "/", no scheme). Unknown keys are
// ignored, so later schema-1 writers may add fields.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "lookalike/index/attribution.h"
#include "lookalike/index/index_config.h"

namespace lookalike {

constexpr int kCollectionSchema = 1;

struct CollectionItem {
  std::uint32_t id = 0;  // the id in every bundle of the collection
  std::string label;     // one of Collection::labels, or empty
  std::string thumbnail;
  std::uint32_t width = 0, height = 0;  // of the original image; 0 = unknown
  Attribution source;                   // source.path: where the image came from, relative to the crawl or folder
};

struct CollectionBundle {
  std::string feature;  // canonical feature spec
  std::string slug;     // file-name-safe form of the spec
  Metric metric = Metric::Cosine;
  std::string file;
  IndexKind kind = IndexKind::Hnsw;
  ElementType element = ElementType::Float32;
  std::uint32_t dim = 0;
  std::uint64_t count = 0;  // live items
  std::uint64_t bytes = 0;  // file size (partitioned: all its files), for download progress
  // Partitioned only: the number of data files beside `file` (<stem>.lkp):
  // <stem>.0000.bin … (index/partitioned_format.h). 0 for the other kinds.
  std::uint32_t data_files = 0;
};

struct CollectionModel {
  std::string card;  // path of a model card (model/model_card.h)
  // Path of a text tower's card (model/text_model_card.h) whose embeddings
  // share this model's space, or empty: with one, the model's bundles also
  // answer text queries (the page shows its text box).
  std::string text_card = {};
};

// A query image the page offers ready-made (e.g. one photo per label).
struct CollectionSample {
  std::string file;   // an image inside the site, e.g. "samples/12.jpg"
  std::string title;  // untrusted text; empty: the page shows the file name
};

// A bundle the page may open with, by its feature and metric.
struct CollectionChoice {
  std::string feature;
  Metric metric = Metric::Cosine;
};

// Where a large collection's items are (item_pages.h): page p holds the
// items with ids in [p * size, (p + 1) * size).
struct ItemPages {
  std::uint32_t size = 0;   // ids per page; 0: the items are in the document itself
  std::uint32_t count = 0;  // pages 0 … count − 1 (a page may hold no item)
  std::string files;        // relative to index/, "{page}" standing for the page's number
  std::string labels;       // relative to index/: every item's label, as runs of ids
  bool paged() const { return size > 0; }
};

struct Collection {
  std::string name;  // file-name-safe: letters, digits, '.', '_', '-'
  std::string title, created, licence_note;
  std::vector<std::string> labels;
  // Every item, ascending ids when paged. Read from a paged document, it is
  // empty: the items are in the pages (item_pages.h reads them).
  std::vector<CollectionItem> items;
  std::vector<CollectionBundle> bundles;
  std::vector<CollectionModel> models;
  std::vector<CollectionSample> samples;
  // Best first, one per feature, each naming a listed bundle. Empty when
  // written: preferred_defaults(bundles) are recorded.
  std::vector<CollectionChoice> defaults{};  // {}: brace-initialising the fields before it stays warning-free
  // Set by a writer to write the items in pages (page_items(), item_pages.h),
  // and when reading a paged document.
  ItemPages item_pages{};
  std::uint64_t item_count = 0;  // when read: the number of items, paged or not
};

struct CollectionEntry {
  std::string name, title, file;
};

struct CollectionList {
  std::string default_name;  // "default" in JSON: one of the entries' names
  std::vector<CollectionEntry> collections;
};

// The rule for a source's links (url, page, licence_url): an http or https
// URL of at most 4096 bytes without spaces, controls, quotes, '<', '>' or '\\',
// so that the page may put it in an href.
bool is_web_link(const std::string& s);

// A collection name is also a file name (index/<name>.json): 1 to 100
// letters, digits, '.', '_' or '-', not starting with '.'. Throws
// Error(InvalidArgument) saying so.
void check_collection_name(const std::string& name);

// The order in which the page prefers (and offers) a feature's metrics.
constexpr std::array<Metric, 4> kMetricPreference = {Metric::Cosine, Metric::Correlation, Metric::L2, Metric::L1};

// The page's choices, best first: a model feature (the best results), then
// colour-texture, colour, the others in the order listed; each with the
// first of cosine, correlation, l2, l1 that it has.
std::vector<CollectionChoice> preferred_defaults(const std::vector<CollectionBundle>& bundles);

// Both throw Error(InvalidArgument) naming the field that is wrong
// ("collection: items[3].source.url must be an http or https URL").
std::string collection_to_json(const Collection& collection);
std::string collection_list_to_json(const CollectionList& list);

// Both throw Error(Corrupt) naming the field ("collection: items[3].id is
// missing"), Error(Unsupported) for another schema. A paged collection is
// written without its items (item_pages.h writes them) and read without
// them (items empty, item_pages and item_count set).
Collection parse_collection(const std::string& json_text);
CollectionList parse_collection_list(const std::string& json_text);

}  // namespace lookalike
