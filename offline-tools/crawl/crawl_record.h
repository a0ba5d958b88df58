// A photo as a source lists it (PhotoCandidate) and as the crawl keeps it
// (CrawlRecord, one JSON line of DIR/crawl.jsonl). The line is what prep,
// index and the web page use for attribution; its fields are documented in
// docs/CRAWLING.md:
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
};

nlohmann::json record_to_json(const CrawlRecord& record);
// Throws lookalike::Error(Corrupt) when a required field (id, term, path,
// sha256) is missing or not a string.
CrawlRecord record_from_json(const nlohmann::json& line);

}  // namespace lookalike::crawl
