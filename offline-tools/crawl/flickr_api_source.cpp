#include "crawl/flickr_api_source.h"

#include <algorithm>
#include <cctype>

#include "crawl/json_fields.h"
#include "crawl/url.h"

namespace lookalike::crawl {
namespace {

// What the judge found in a JSON answer, kept for the caller.
struct ApiAnswer {
  nlohmann::json body;
  long fail_code = 0;
  std::string fail_message;
};

// Parses the answer; asks for a retry when it is malformed or when Flickr
// reports a temporary error, and fails at once on any other error code.
PoliteClient::Judge api_judge(ApiAnswer& answer) {
  return [&answer](const HttpResponse& r) {
    answer = ApiAnswer{};
    nlohmann::json parsed = nlohmann::json::parse(r.body.begin(), r.body.end(), nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
      return Judgement::retry("malformed JSON from the Flickr API (" + std::to_string(r.body.size()) + " bytes, " +
                              (r.content_type.empty() ? "no content type" : r.content_type) + ")");
    const std::string stat = json_text(parsed, "stat");
    if (stat == "fail") {
      answer.fail_code = json_integer(parsed, "code", -1);
      answer.fail_message = clean_text(json_text(parsed, "message"), 300);
      const std::string what = "Flickr API error " + std::to_string(answer.fail_code) + ": " + answer.fail_message;
      return is_temporary_flickr_error(answer.fail_code) ? Judgement::retry(what) : Judgement::failure(what);
    }
    if (stat != "ok") return Judgement::retry("unexpected Flickr API answer (no \"stat\":\"ok\")");
    answer.body = std::move(parsed);
    return Judgement::accept();
  };
}

// The message for a refusal that ends the crawl, with what to do about it.
std::string refusal(const std::string& context, const FetchOutcome& outcome, long code) {
  std::string text = context + outcome.failure;
  if (code == 100)
    text += " — check FLICKR_API_KEY or --api-key (get a key at https://www.flickr.com/services/apps/create/)";
  else if (outcome.throttled)
    text +=
        " — the API key's rate limit or quota is exhausted (Flickr allows 3600 calls an hour per key); "
        "try again later or lower --rate";
  return text;
}

std::string owner_for_url(const std::string& owner) {
  const bool plain = !owner.empty() && std::all_of(owner.begin(), owner.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '@' || c == '_' || c == '-';
  });
  return plain ? owner : url_encode(owner);
}

}  // namespace

const std::vector<PhotoSize>& photo_sizes() {
  static const std::vector<PhotoSize> sizes = {
      {"small", "url_s", "m", 240},     {"medium", "url_m", "", 500},  {"medium640", "url_z", "z", 640},
      {"medium800", "url_c", "c", 800}, {"large", "url_l", "b", 1024},
  };
  return sizes;
}

const PhotoSize* find_photo_size(const std::string& name) {
  for (const PhotoSize& s : photo_sizes())
    if (name == s.name) return &s;
  return nullptr;
}

bool is_fatal_flickr_error(long code) {
  return code == 100 || code == 111 || code == 112 || code == 114 || code == 115 || code == 116;
}

bool is_temporary_flickr_error(long code) { return code == 10 || code == 105 || code == 106 || code == 201; }

std::vector<Licence> fetch_flickr_licences(PoliteClient& client, const std::string& base_url,
                                           const std::string& api_key, std::string& problem) {
  ApiAnswer answer;
  const std::string url = with_query(base_url, {{"method", "flickr.photos.licenses.getInfo"},
                                                {"api_key", api_key},
                                                {"format", "json"},
                                                {"nojsoncallback", "1"}});
  const FetchOutcome outcome = client.fetch(url, api_judge(answer));
  if (outcome.kind == FetchOutcome::Kind::Stopped) return {};
  if (!outcome.ok()) {
    if (is_fatal_flickr_error(answer.fail_code) || outcome.throttled)
      throw CrawlRefused(refusal("Flickr refused the request for its licence list: ", outcome, answer.fail_code));
    problem = outcome.failure;
    return {};
  }
  std::vector<Licence> table;
  const nlohmann::json& list = answer.body.contains("licenses") ? answer.body["licenses"] : nlohmann::json();
  const nlohmann::json items = list.is_object() && list.contains("license") ? list["license"] : nlohmann::json();
  if (items.is_array())
    for (const auto& item : items) {
      const std::string id = json_text(item, "id");
      if (!id.empty())
        table.push_back(classify_licence(id, clean_text(json_text(item, "name"), 200), json_text(item, "url")));
    }
  if (table.empty()) problem = "the licence list from flickr.photos.licenses.getInfo is empty";
  return table;
}

FlickrApiSource::FlickrApiSource(FlickrApiSettings settings, PoliteClient& client)
    : settings_(std::move(settings)), client_(client) {
  for (const Licence& l : settings_.licence_table) licences_by_id_[l.id] = l;
  const auto& sizes = photo_sizes();
  const PhotoSize* chosen = find_photo_size(settings_.size);
  if (!chosen) chosen = find_photo_size("medium");
  // The chosen size first, then smaller ones: url_l is missing when the
  // original is smaller than 1024 px, and such a photo is still wanted.
  for (auto it = sizes.rbegin(); it != sizes.rend(); ++it)
    if (it->longest_side <= chosen->longest_side) size_preference_.push_back(&*it);
}

PhotoCandidate FlickrApiSource::candidate_from(const nlohmann::json& photo, const std::string& term) const {
  PhotoCandidate c;
  c.id = json_text(photo, "id");
  c.term = term;
  c.source = name();
  c.owner_id = clean_text(json_text(photo, "owner"), 100);
  c.owner = clean_text(json_text(photo, "ownername"), 200);
  c.title = clean_text(json_text(photo, "title"));
  const std::string licence_id = json_text(photo, "license");
  const auto known = licences_by_id_.find(licence_id);
  c.licence = known != licences_by_id_.end() ? known->second : classify_licence(licence_id, "", "");
  for (const PhotoSize* size : size_preference_) {
    const std::string url = json_text(photo, size->extra);
    if (!url.empty() && is_web_url(url)) {
      c.image_url = url;
      break;
    }
  }
  if (!c.owner_id.empty() && !c.id.empty())
    c.page_url = "https://www.flickr.com/photos/" + owner_for_url(c.owner_id) + "/" + url_encode(c.id) + "/";
  return c;
}

SourcePage FlickrApiSource::fetch_page(const std::string& term, int page) {
  std::string extras = "license,owner_name";
  for (const PhotoSize* size : size_preference_) extras += std::string(",") + size->extra;
  std::string licence_filter;
  for (const std::string& id : settings_.licences) licence_filter += (licence_filter.empty() ? "" : ",") + id;

  std::vector<std::pair<std::string, std::string>> params = {{"method", "flickr.photos.search"},
                                                             {"api_key", settings_.api_key}};
  if (settings_.tag_search) {
    // Flickr tags are single words: "red car" asks for photos tagged both.
    std::string tags;
    for (char ch : term) tags += (ch == ' ') ? ',' : ch;
    params.push_back({"tags", tags});
    params.push_back({"tag_mode", "all"});
  } else {
    params.push_back({"text", term});
  }
  if (!licence_filter.empty()) params.push_back({"license", licence_filter});
  params.insert(params.end(), {{"extras", extras},
                               {"media", "photos"},
                               {"content_type", "1"},  // photos, not screenshots or "other"
                               {"safe_search", "1"},
                               {"sort", "relevance"},
                               {"per_page", std::to_string(settings_.per_page)},
                               {"page", std::to_string(page)},
                               {"format", "json"},
                               {"nojsoncallback", "1"}});

  ApiAnswer answer;
  const FetchOutcome outcome = client_.fetch(with_query(settings_.base_url, params), api_judge(answer));
  SourcePage result;
  if (outcome.kind == FetchOutcome::Kind::Stopped) {
    result.stopped = true;
    return result;
  }
  if (!outcome.ok()) {
    if (is_fatal_flickr_error(answer.fail_code) || outcome.throttled)
      throw CrawlRefused(refusal("Flickr refused the search: ", outcome, answer.fail_code));
    throw TermFailed("search for '" + term + "' page " + std::to_string(page) + " failed: " + outcome.failure);
  }

  const nlohmann::json& photos = answer.body.contains("photos") ? answer.body["photos"] : nlohmann::json();
  if (!photos.is_object() || !photos.contains("photo") || !photos["photo"].is_array())
    throw TermFailed("search for '" + term + "' page " + std::to_string(page) +
                     ": the answer has no \"photos\".\"photo\" list");
  for (const auto& photo : photos["photo"]) result.photos.push_back(candidate_from(photo, term));
  const long long pages = json_integer(photos, "pages", 0);
  result.last = result.photos.empty() || page >= pages;
  return result;
}

}  // namespace lookalike::crawl
