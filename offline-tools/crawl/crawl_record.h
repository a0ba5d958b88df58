// A photo as a source lists it (PhotoCandidate) and as the crawl keeps it
// (CrawlRecord, one JSON line of DIR/crawl.jsonl). The line is the core's
// Attribution (lookalike/index/attribution.h: what prep, index and the web
// page carry) written flat, with the photo id spelled "id", plus the crawl's
// own fields; they are documented in docs/CRAWLING.md:
//
// {"id":"53412345678","term":"beach","path":"beach/53412345678.jpg",
//  "source":"flickr-api","url":"https://live.staticflickr.com/…_m.jpg",
//  "page":"https://www.flickr.com/photos/12345678@N00/53412345678/",
//  "owner":"Jane Doe","owner_id":"12345678@N00","title":"Low tide",
//  "licence":"CC BY 2.0","licence_id":"4","licence_url":"https://creativecommons.org/licenses/by/2.0/",
//  "format":"jpeg","width":500,"height":375,"bytes":81234,
//  "sha256":"9f86d0…","downloaded":"2026-11-27T10:00:00Z"}
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "crawl/licences.h"
#include "lookalike/index/attribution.h"

namespace lookalike::crawl {

struct PhotoCandidate {
  std::string id;            // the source's photo id, untrusted (never used as a file name as is)
  std::string term;          // the search term that found it
  std::string source;        // "flickr-api" or "flickr-feed"
  std::string image_url;     // what is downloaded
  std::string fallback_url;  // tried when image_url is gone (404/410): the size a feed listed
  std::string page_url;      // the photo's page, for attribution links
  std::string owner;         // display name
  std::string owner_id;      // Flickr NSID
  std::string title;
  Licence licence;
};

struct CrawlRecord {
  PhotoCandidate photo;
  std::string path;  // relative to DIR, '/'-separated: "<term folder>/<stem>.<ext>"
  std::string format;
  int width = 0, height = 0;
  std::uint64_t bytes = 0;
  std::string sha256;
  std::string downloaded;  // UTC, ISO 8601

  Attribution attribution() const;  // what travels on to the manifest and the site
};

nlohmann::json record_to_json(const CrawlRecord& record);

// The one reader of crawl.jsonl's lines, for the crawl itself and for prep:
// lenient as attribution_json.h's read_attribution (other crawlers' spellings,
// numbers as text; a line of items.jsonl reads too). Throws
// lookalike::Error(Corrupt) when the line is not a JSON object.
CrawlRecord record_from_json(const nlohmann::json& line);

// What a crawl needs to resume from a record (its id, term, path and
// sha256); throws lookalike::Error(Corrupt) naming the first one missing.
void check_resumable(const CrawlRecord& record);

}  // namespace lookalike::crawl
