#include "crawl/crawl_record.h"

#include "crawl/json_fields.h"
#include "lookalike/common/error.h"
#include "lookalike/index/attribution_json.h"

namespace lookalike::crawl {

Attribution CrawlRecord::attribution() const {
  const PhotoCandidate& p = photo;
  return {path, p.image_url, p.page_url, p.owner, p.title, p.licence.short_name, p.licence.url, p.id, p.term};
}

nlohmann::json record_to_json(const CrawlRecord& r) {
  const PhotoCandidate& p = r.photo;
  nlohmann::json j = nlohmann::json::object();
  put_attribution(j, r.attribution(), /*keep_empty=*/true);
  // crawl.jsonl has spelled the photo id "id" from the start; readers take both.
  j.erase("photo_id");
  j["id"] = p.id;
  j["source"] = p.source;
  j["owner_id"] = p.owner_id;
  j["licence_id"] = p.licence.id.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.licence.id);
  j["format"] = r.format;
  j["width"] = r.width;
  j["height"] = r.height;
  j["bytes"] = r.bytes;
  j["sha256"] = r.sha256;
  j["downloaded"] = r.downloaded;
  return j;
}

CrawlRecord record_from_json(const nlohmann::json& j) {
  if (!j.is_object()) fail(ErrorKind::Corrupt, "record is not a JSON object");
  const Attribution a = read_attribution(j);
  CrawlRecord r;
  r.path = a.path;
  r.photo.id = a.photo_id;
  r.photo.term = a.term;
  r.photo.image_url = a.url;
  r.photo.page_url = a.page;
  r.photo.owner = a.owner;
  r.photo.title = a.title;
  r.photo.source = json_text(j, "source");
  r.photo.owner_id = json_text(j, "owner_id");
  r.photo.licence = classify_licence(json_text(j, "licence_id"), "", a.licence_url);
  r.photo.licence.short_name = a.licence;
  if (a.licence == "unknown") r.photo.licence.kind = Licence::Kind::Unknown;
  r.sha256 = json_text(j, "sha256");
  r.format = json_text(j, "format");
  r.width = static_cast<int>(json_integer(j, "width", 0));
  r.height = static_cast<int>(json_integer(j, "height", 0));
  r.bytes = static_cast<std::uint64_t>(std::max(0LL, json_integer(j, "bytes", 0)));
  r.downloaded = json_text(j, "downloaded");
  return r;
}

void check_resumable(const CrawlRecord& r) {
  for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"id", &r.photo.id},
                                   {"term", &r.photo.term},
                                   {"path", &r.path},
                                   {"sha256", &r.sha256}})
    if (value->empty()) fail(ErrorKind::Corrupt, std::string("record without \"") + key + "\"");
}

}  // namespace lookalike::crawl
