// Where candidate photos come from: the Flickr REST API (with a key) or the
// public feed (without). A source lists photos page by page; the runner
// decides which to download.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "crawl/crawl_record.h"

namespace lookalike::crawl {

struct SourcePage {
  std::vector<PhotoCandidate> photos;
  bool last = true;      // no further page
  bool stopped = false;  // the crawl is stopping; photos may be incomplete
};

// The source cannot list photos for this term (e.g. its answers stay
// malformed after every retry); other terms may still work.
class TermFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The service refuses the whole crawl (invalid API key, rate limit or quota
// exhausted): continuing would only repeat the refusal.
class CrawlRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class PhotoSource {
 public:
  virtual ~PhotoSource() = default;
  virtual std::string name() const = 0;  // "flickr-api", "flickr-feed"
  // Page numbers start at 1. Throws TermFailed or CrawlRefused.
  virtual SourcePage fetch_page(const std::string& term, int page) = 0;
};

}  // namespace lookalike::crawl
