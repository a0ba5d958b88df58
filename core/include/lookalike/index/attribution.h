// An image's source and attribution: the one record every stage carries,
// from a crawl to the page. The same fields, under the same JSON keys, are
//
//   a line of crawl.jsonl                (flat, with the crawl's own fields;
//                                         there the photo id is spelled "id")
//   a line of items.jsonl                (flat: an ItemRecord, see item_record.h)
//   "source" of an image in manifest.json
//   "source" of an item in the collection JSON (collection.h), which the page shows
//
// Every field is untrusted text (crawled titles and owners): the page inserts
// it as text, never as HTML. Empty means unknown; writers leave empty fields
// out. The links (url, page, licence_url) are shown only when they are http(s)
// URLs (is_web_link in collection.h). The page's TypeScript is generated from
// the table below (web/src/shared/core-schema.ts, checked by a test), so a new
// field is added here, in attribution_fields() and where it is displayed.
#pragma once

#include <array>
#include <string>

namespace lookalike {

// An aggregate, in this order: callers may brace-initialise its first fields
// ({path, url, page, owner, title, licence, licence_url}); the {} initialisers
// keep that free of -Wmissing-field-initializers.
struct Attribution {
  std::string path{};         // the image inside its source, '/'-separated and relative (or a URL)
  std::string url{};          // the image file's URL where it was downloaded from
  std::string page{};         // the photo's web page: where attribution links to
  std::string owner{};        // the author's display name
  std::string title{};        // the photo's title
  std::string licence{};      // short name: "CC BY 2.0", "CC0 1.0", "unknown"
  std::string licence_url{};  // the licence's text
  std::string photo_id{};     // the source's id of the photo ("53412345678")
  std::string term{};         // the search term that found it

  bool empty() const;
};

struct AttributionField {
  const char* key;  // the JSON key
  std::string Attribution::*member;
  bool is_link;         // an URL that the page turns into a link: http(s) only
  const char* meaning;  // one line, for generated documentation
};

// Every field, in the order above: the one list that writers, readers, the
// collection's checks and the generated TypeScript go through.
const std::array<AttributionField, 9>& attribution_fields();

}  // namespace lookalike
