// Small URL helpers for the crawler: query strings for the Flickr REST API
// and the public feed, and Flickr's size-suffix convention for photo URLs.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace lookalike::crawl {

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string url_encode(const std::string& text);

// base + "?" (or "&" when base already has a query) + k=v&k=v, encoded.
std::string with_query(const std::string& base, const std::vector<std::pair<std::string, std::string>>& params);

// Flickr static photo URLs end in "<id>_<secret>[_<suffix>].<ext>"; the
// suffix picks the size ("" is the 500 px "medium", "z" 640, "b" 1024...).
// Returns the URL with its size suffix replaced, or the URL unchanged when
// it does not look like a Flickr static photo URL with a suffix.
std::string with_flickr_size_suffix(const std::string& url, const std::string& suffix);

// Text without control characters, at most `limit` bytes (UTF-8 kept whole):
// titles and owner names come from strangers and end up in logs and JSON.
std::string clean_text(const std::string& text, std::size_t limit = 500);

}  // namespace lookalike::crawl

namespace lookalike::crawl {
// True for http:// and https:// URLs: the only links a crawl records, so
// that a hostile answer cannot plant "javascript:" links in the site.
bool is_web_url(const std::string& url);
}  // namespace lookalike::crawl
