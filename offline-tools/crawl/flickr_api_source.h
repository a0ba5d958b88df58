// Photos from the Flickr REST API: flickr.photos.search (text or tag search,
// a licence filter, the extras attribution needs) and
// flickr.photos.licenses.getInfo, with format=json&nojsoncallback=1.
//
// Answers look like {"photos":{"page":1,"pages":42,"perpage":100,"total":4127,
// "photo":[{"id":"…","owner":"…@N00","secret":"…","server":"…","farm":66,
// "title":"…","license":"4","ownername":"…","url_m":"…","width_m":500,
// "height_m":375}, …]},"stat":"ok"} or {"stat":"fail","code":100,
// "message":"Invalid API Key (Key has invalid format)"}.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "crawl/licences.h"
#include "crawl/photo_source.h"
#include "crawl/polite_client.h"

namespace lookalike::crawl {

// Photo sizes a crawl can ask for: the API's url_* extras and the matching
// suffix of Flickr's static photo URLs.
struct PhotoSize {
  const char* name;        // "medium"
  const char* extra;       // "url_m"
  const char* url_suffix;  // "" (static URLs: <id>_<secret>[_<suffix>].jpg)
  int longest_side;        // 500
};
// small (240 px), medium (500, the default), medium640, medium800, large (1024).
const std::vector<PhotoSize>& photo_sizes();
const PhotoSize* find_photo_size(const std::string& name);  // nullptr when unknown

struct FlickrApiSettings {
  std::string base_url = "https://api.flickr.com/services/rest/";
  std::string api_key;
  bool tag_search = false;  // false: free text (title, description, tags); true: tags only
  std::string size = "medium";
  int per_page = 100;              // 1..500
  std::set<std::string> licences;  // accepted licence ids; empty = all
  std::vector<Licence> licence_table;
};

// Calls flickr.photos.licenses.getInfo. Throws CrawlRefused when the key is
// refused; returns an empty list when the answer is unusable (the caller
// falls back to the documented list).
std::vector<Licence> fetch_flickr_licences(PoliteClient& client, const std::string& base_url,
                                           const std::string& api_key, std::string& problem);

class FlickrApiSource : public PhotoSource {
 public:
  FlickrApiSource(FlickrApiSettings settings, PoliteClient& client);
  std::string name() const override { return "flickr-api"; }
  SourcePage fetch_page(const std::string& term, int page) override;

  // Turns one element of "photo" into a candidate (public for tests).
  PhotoCandidate candidate_from(const nlohmann::json& photo, const std::string& term) const;

 private:
  FlickrApiSettings settings_;
  PoliteClient& client_;
  std::map<std::string, Licence> licences_by_id_;
  std::vector<const PhotoSize*> size_preference_;  // the chosen size, then smaller ones
};

// True for Flickr error codes that concern the whole crawl rather than one
// search: invalid key, unknown method or format, refused URL or envelope.
bool is_fatal_flickr_error(long code);
// Error codes Flickr documents as temporary (service unavailable...).
bool is_temporary_flickr_error(long code);

}  // namespace lookalike::crawl
