// What a crawl did, per term and in total: printed at the end (stderr), or
// as JSON on stdout with --json.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lookalike::crawl {

struct TermReport {
  std::string term, folder;
  std::size_t wanted = 0;                // --per-term
  std::size_t had = 0;                   // already in crawl.jsonl when this crawl started
  std::size_t downloaded = 0;            // new photos
  std::size_t recovered = 0;             // complete files a killed crawl left unrecorded, now recorded
  std::size_t skipped_same_id = 0;       // already kept under another term
  std::size_t skipped_same_content = 0;  // identical bytes already kept under another id
  std::size_t skipped_licence = 0;       // licence outside --licences
  std::size_t skipped_no_url = 0;        // the source gave no usable image URL or id
  std::size_t other_shards = 0;          // listed photos that other shards download
  std::size_t failed = 0;
  bool exhausted = false;  // the source ran out of photos before `wanted`
  std::string error;       // the source failed for this term
  std::size_t have() const { return had + downloaded + recovered; }
};

struct PhotoFailure {
  std::string term, id, url, reason;
};

struct CrawlSummary {
  std::string source;  // "flickr-api" or "flickr-feed"
  std::vector<TermReport> terms;
  std::vector<PhotoFailure> failures;
  bool interrupted = false;
  std::string refused;       // set when the service refused the whole crawl
  std::string licence_note;  // what may be republished (also in crawl.json)

  std::size_t downloaded() const;
  std::size_t skipped() const;
  bool complete() const;  // no failure, no term error, not refused, not interrupted

  nlohmann::json to_json() const;
  void print() const;  // human summary on stderr
};

}  // namespace lookalike::crawl
