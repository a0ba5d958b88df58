#include "crawl/flickr_feed_source.h"

#include <regex>

#include "crawl/flickr_api_source.h"
#include "crawl/json_fields.h"
#include "crawl/url.h"

namespace lookalike::crawl {

std::string repair_feed_json(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!in_string) {
      if (c == '"') in_string = true;
      out += c;
      continue;
    }
    if (c == '\\' && i + 1 < text.size()) {
      if (text[i + 1] != '\'') out += c;  // keep every valid escape whole
      out += text[i + 1];
      ++i;
      continue;
    }
    if (c == '"') in_string = false;
    out += c;
  }
  return out;
}

std::string feed_author_name(const std::string& author) {
  const auto open = author.find("(\"");
  const auto close = author.rfind("\")");
  if (open != std::string::npos && close != std::string::npos && close > open + 2)
    return author.substr(open + 2, close - open - 2);
  return author;
}

std::string feed_photo_id(const std::string& link, const std::string& media_url) {
  static const std::regex from_link(R"(/photos/[^/]+/([^/?#]+))");
  static const std::regex from_media(R"(/([0-9A-Za-z]+)_[0-9a-f]+(_[a-z0-9]{1,2})?\.[A-Za-z]+$)");
  std::smatch m;
  if (std::regex_search(link, m, from_link)) return m[1].str();
  if (std::regex_search(media_url, m, from_media)) return m[1].str();
  return {};
}

FlickrFeedSource::FlickrFeedSource(FlickrFeedSettings settings, PoliteClient& client)
    : settings_(std::move(settings)), client_(client) {
  const PhotoSize* size = find_photo_size(settings_.size);
  size_suffix_ = size ? size->url_suffix : "";
}

SourcePage FlickrFeedSource::fetch_page(const std::string& term, int page) {
  SourcePage result;
  if (page > 1) return result;  // the feed has one page: the latest photos
  std::string tags;
  for (char ch : term) tags += (ch == ' ') ? ',' : ch;
  const std::string url =
      with_query(settings_.base_url, {{"tags", tags}, {"tagmode", "all"}, {"format", "json"}, {"nojsoncallback", "1"}});
  nlohmann::json feed;
  const FetchOutcome outcome = client_.fetch(url, [&feed](const HttpResponse& r) {
    const std::string text(r.body.begin(), r.body.end());
    feed = nlohmann::json::parse(repair_feed_json(text), nullptr, false);
    if (feed.is_discarded() || !feed.is_object())
      return Judgement::retry("malformed JSON from the Flickr feed (" + std::to_string(r.body.size()) + " bytes, " +
                              (r.content_type.empty() ? "no content type" : r.content_type) + ")");
    return Judgement::accept();
  });
  if (outcome.kind == FetchOutcome::Kind::Stopped) {
    result.stopped = true;
    return result;
  }
  if (!outcome.ok()) {
    if (outcome.throttled) throw CrawlRefused("Flickr's feed keeps refusing requests: " + outcome.failure);
    throw TermFailed("feed for '" + term + "' failed: " + outcome.failure);
  }
  if (!feed.contains("items") || !feed["items"].is_array())
    throw TermFailed("feed for '" + term + "': the answer has no \"items\" list");
  for (const auto& item : feed["items"]) {
    PhotoCandidate c;
    const std::string link = json_text(item, "link");
    const std::string media = item.contains("media") ? json_text(item["media"], "m") : std::string();
    c.id = feed_photo_id(link, media);
    c.term = term;
    c.source = name();
    c.image_url = with_flickr_size_suffix(media, size_suffix_);
    // Large sizes do not exist for small originals: the listed one does.
    if (c.image_url != media) c.fallback_url = media;
    c.page_url = is_web_url(link) ? link : std::string();
    c.owner = clean_text(feed_author_name(json_text(item, "author")), 200);
    c.owner_id = clean_text(json_text(item, "author_id"), 100);
    c.title = clean_text(json_text(item, "title"));
    c.licence = unknown_licence();
    result.photos.push_back(std::move(c));
  }
  return result;
}

}  // namespace lookalike::crawl
