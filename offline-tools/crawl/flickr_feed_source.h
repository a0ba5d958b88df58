// Photos from Flickr's public feed, which needs no API key:
// photos_public.gne?tags=<t>&tagmode=all&format=json&nojsoncallback=1 answers
// {"title":…,"link":…,"items":[{"title":…,"link":"https://www.flickr.com/photos/<owner>/<id>/",
// "media":{"m":"https://live.staticflickr.com/<server>/<id>_<secret>_m.jpg"},
// "date_taken":…,"description":…,"published":…,"author":"nobody@flickr.com (\"name\")",
// "author_id":"…@N00","tags":"…"}]}.
//
// The feed lists only the latest public photos with the tags (about 20) and
// says nothing about licences: every photo is recorded with licence
// "unknown", which must not be republished.
#pragma once

#include <string>

#include "crawl/photo_source.h"
#include "crawl/polite_client.h"

namespace lookalike::crawl {

struct FlickrFeedSettings {
  std::string base_url = "https://www.flickr.com/services/feeds/photos_public.gne";
  std::string size = "medium";
};

// The feed escapes apostrophes as \' , which JSON does not allow; this turns
// them back into plain apostrophes and leaves every other escape alone.
std::string repair_feed_json(const std::string& text);

// "nobody@flickr.com (\"Jane Doe\")" → "Jane Doe".
std::string feed_author_name(const std::string& author);

// The photo id in a feed item's link ("…/photos/<owner>/<id>/"), else in its
// media URL ("…/<id>_<secret>_m.jpg"); empty when neither has one.
std::string feed_photo_id(const std::string& link, const std::string& media_url);

class FlickrFeedSource : public PhotoSource {
 public:
  FlickrFeedSource(FlickrFeedSettings settings, PoliteClient& client);
  std::string name() const override { return "flickr-feed"; }
  SourcePage fetch_page(const std::string& term, int page) override;

 private:
  FlickrFeedSettings settings_;
  PoliteClient& client_;
  std::string size_suffix_;
};

}  // namespace lookalike::crawl
