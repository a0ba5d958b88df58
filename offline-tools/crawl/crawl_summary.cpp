#include "crawl/crawl_summary.h"

#include <map>

#include "common/log.h"

namespace lookalike::crawl {

using namespace lookalike::cli;  // logging, progress, interrupt flag

std::size_t CrawlSummary::downloaded() const {
  std::size_t n = 0;
  for (const auto& t : terms) n += t.downloaded + t.recovered;
  return n;
}

std::size_t CrawlSummary::skipped() const {
  std::size_t n = 0;
  for (const auto& t : terms) n += t.skipped_same_id + t.skipped_same_content + t.skipped_licence + t.skipped_no_url;
  return n;
}

bool CrawlSummary::complete() const {
  if (!failures.empty() || !refused.empty() || interrupted) return false;
  for (const auto& t : terms)
    if (!t.error.empty()) return false;
  return true;
}

nlohmann::json CrawlSummary::to_json() const {
  nlohmann::json j;
  j["source"] = source;
  j["downloaded"] = downloaded();
  j["skipped"] = skipped();
  j["failed"] = failures.size();
  j["interrupted"] = interrupted;
  j["refused"] = refused.empty() ? nlohmann::json(nullptr) : nlohmann::json(refused);
  j["licence_note"] = licence_note;
  j["terms"] = nlohmann::json::array();
  for (const auto& t : terms)
    j["terms"].push_back({{"term", t.term},
                          {"folder", t.folder},
                          {"wanted", t.wanted},
                          {"have", t.have()},
                          {"had", t.had},
                          {"downloaded", t.downloaded},
                          {"recovered", t.recovered},
                          {"skipped_same_id", t.skipped_same_id},
                          {"skipped_same_content", t.skipped_same_content},
                          {"skipped_licence", t.skipped_licence},
                          {"skipped_no_url", t.skipped_no_url},
                          {"other_shards", t.other_shards},
                          {"failed", t.failed},
                          {"exhausted", t.exhausted},
                          {"error", t.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(t.error)}});
  j["failures"] = nlohmann::json::array();
  for (const auto& f : failures)
    j["failures"].push_back({{"term", f.term}, {"id", f.id}, {"url", f.url}, {"reason", f.reason}});
  return j;
}

void CrawlSummary::print() const {
  std::size_t same_id = 0, same_content = 0, licence = 0, no_url = 0, recovered = 0;
  for (const auto& t : terms) {
    same_id += t.skipped_same_id;
    same_content += t.skipped_same_content;
    licence += t.skipped_licence;
    no_url += t.skipped_no_url;
    recovered += t.recovered;
  }
  std::string line = "crawl summary: " + std::to_string(downloaded()) + " downloaded";
  if (recovered) line += " (" + std::to_string(recovered) + " recovered from an interrupted crawl)";
  line += ", " + std::to_string(skipped()) + " skipped, " + std::to_string(failures.size()) + " failed";
  log_info(line);
  if (skipped()) {
    std::string why;
    auto add = [&why](std::size_t n, const char* text) {
      if (n) why += (why.empty() ? "" : ", ") + std::to_string(n) + " " + text;
    };
    add(same_id, "already kept under another term");
    add(same_content, "same image as a photo already kept");
    add(licence, "licence not accepted");
    add(no_url, "no usable image URL or id");
    log_info("  skipped: " + why);
  }
  if (!failures.empty()) {
    std::map<std::string, std::size_t> by_reason;
    for (const auto& f : failures) ++by_reason[f.reason];
    for (const auto& [reason, count] : by_reason) log_info("  failed: " + std::to_string(count) + " × " + reason);
  }
  for (const auto& t : terms) {
    std::string status = "  " + t.term + ": " + std::to_string(t.have()) + "/" + std::to_string(t.wanted) + " photos";
    if (t.had) status += " (" + std::to_string(t.had) + " from before)";
    if (!t.error.empty())
      status += " — " + t.error;
    else if (t.exhausted)
      status += " — the source has no more photos for this term";
    log_info(status);
  }
  if (!licence_note.empty()) log_info("  licences: " + licence_note);
}

}  // namespace lookalike::crawl
