#include "crawl/crawl_record.h"

#include <ctime>

#include "lookalike/common/error.h"

namespace lookalike::crawl {
namespace {

std::string text_field(const nlohmann::json& j, const char* key, bool required) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) fail(ErrorKind::Corrupt, std::string("record without \"") + key + "\"");
    return {};
  }
  if (!it->is_string()) fail(ErrorKind::Corrupt, std::string("record field \"") + key + "\" is not a string");
  return it->get<std::string>();
}

std::uint64_t number_field(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number_unsigned()) return 0;
  return it->get<std::uint64_t>();
}

}  // namespace

nlohmann::json record_to_json(const CrawlRecord& r) {
  const PhotoCandidate& p = r.photo;
  nlohmann::json j = nlohmann::json::object();
  j["id"] = p.id;
  j["term"] = p.term;
  j["path"] = r.path;
  j["source"] = p.source;
  j["url"] = p.image_url;
  j["page"] = p.page_url;
  j["owner"] = p.owner;
  j["owner_id"] = p.owner_id;
  j["title"] = p.title;
  j["licence"] = p.licence.short_name;
  j["licence_id"] = p.licence.id.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.licence.id);
  j["licence_url"] = p.licence.url;
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
  CrawlRecord r;
  r.photo.id = text_field(j, "id", true);
  r.photo.term = text_field(j, "term", true);
  r.path = text_field(j, "path", true);
  r.sha256 = text_field(j, "sha256", true);
  r.photo.source = text_field(j, "source", false);
  r.photo.image_url = text_field(j, "url", false);
  r.photo.page_url = text_field(j, "page", false);
  r.photo.owner = text_field(j, "owner", false);
  r.photo.owner_id = text_field(j, "owner_id", false);
  r.photo.title = text_field(j, "title", false);
  r.photo.licence = classify_licence(text_field(j, "licence_id", false), "", text_field(j, "licence_url", false));
  r.photo.licence.short_name = text_field(j, "licence", false);
  if (r.photo.licence.short_name == "unknown") r.photo.licence.kind = Licence::Kind::Unknown;
  r.format = text_field(j, "format", false);
  r.width = static_cast<int>(number_field(j, "width"));
  r.height = static_cast<int>(number_field(j, "height"));
  r.bytes = number_field(j, "bytes");
  r.downloaded = text_field(j, "downloaded", false);
  return r;
}

}  // namespace lookalike::crawl
