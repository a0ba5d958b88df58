#include "crawl/crawl_metadata.h"

#include <algorithm>
#include <set>

#include "common/files.h"
#include "common/text.h"
#include "crawl/safe_names.h"

namespace lookalike::crawl {

std::string licence_note(const std::vector<CrawlRecord>& records, std::map<std::string, std::size_t>& counts,
                         bool& republishable) {
  std::size_t unknown = 0, reserved = 0, non_commercial = 0, no_derivatives = 0;
  for (const CrawlRecord& r : records) {
    const Licence& l = r.photo.licence;
    ++counts[l.short_name.empty() ? "unknown" : l.short_name];
    if (l.kind == Licence::Kind::Unknown)
      ++unknown;
    else if (l.kind == Licence::Kind::AllRightsReserved)
      ++reserved;
    if (l.non_commercial) ++non_commercial;
    if (l.no_derivatives) ++no_derivatives;
  }
  republishable = !records.empty() && unknown == 0 && reserved == 0;
  if (records.empty()) return "no photos yet";
  std::string note;
  if (unknown)
    note += std::to_string(unknown) + " of " + std::to_string(records.size()) +
            " photos come from Flickr's public feed with unknown licences: use them for private experiments only, "
            "never republish them on a public site. ";
  if (reserved)
    note += std::to_string(reserved) + " of " + std::to_string(records.size()) +
            " photos are All Rights Reserved: do not republish them. ";
  if (republishable)
    note +=
        "Every photo carries a Creative Commons licence or a public-domain mark: a public site may show them with "
        "attribution (title, owner, licence, link to the photo's page). ";
  if (non_commercial) note += std::to_string(non_commercial) + " are NonCommercial (NC): non-commercial sites only. ";
  if (no_derivatives) note += std::to_string(no_derivatives) + " are NoDerivs (ND): show them unaltered. ";
  while (!note.empty() && note.back() == ' ') note.pop_back();
  return note;
}

void write_crawl_metadata(const std::filesystem::path& root, const std::vector<CrawlRecord>& records,
                          CrawlSummary& summary, const CrawlOptions& options) {
  std::map<std::string, std::size_t> licence_counts;
  bool republishable = false;
  summary.licence_note = licence_note(records, licence_counts, republishable);
  std::vector<std::string> terms, sources;
  std::map<std::string, std::size_t> per_term;
  for (const CrawlRecord& r : records) {
    if (!per_term.count(r.photo.term)) terms.push_back(r.photo.term);
    ++per_term[r.photo.term];
    if (std::find(sources.begin(), sources.end(), r.photo.source) == sources.end()) sources.push_back(r.photo.source);
  }
  nlohmann::json j;
  j["schema"] = 1;
  j["updated"] = cli::utc_timestamp();
  j["journal"] = "crawl.jsonl";
  j["photos"] = records.size();
  j["sources"] = sources;
  j["terms"] = nlohmann::json::array();
  for (const std::string& t : terms)
    j["terms"].push_back({{"term", t}, {"folder", folder_for_term(t)}, {"photos", per_term[t]}});
  j["licences"] = licence_counts;
  j["republishable"] = republishable;
  j["licence_note"] = summary.licence_note;
  j["last_crawl"] = {{"source", summary.source},
                     {"per_term", options.per_term},
                     {"size", options.size},
                     {"licences", summary.source == "flickr-api" ? options.licences : "unknown (public feed)"},
                     {"complete", summary.complete()}};
  cli::write_file_atomic(root / "crawl.json", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

// Left by a crawl killed between placing a file and recording it, and not
// met again since (the feed may no longer list it), or put there by hand.
std::vector<std::string> unrecorded_files(const std::filesystem::path& root, const std::vector<CrawlRecord>& records) {
  std::set<std::string> recorded;
  for (const CrawlRecord& r : records) recorded.insert(r.path);
  std::vector<std::string> unrecorded;
  std::error_code ec;
  for (std::filesystem::directory_iterator folder(root, ec), end; !ec && folder != end; folder.increment(ec)) {
    if (!folder->is_directory(ec) || folder->path().filename().string()[0] == '.') continue;
    std::error_code inner;
    for (std::filesystem::directory_iterator it(folder->path(), inner), stop; !inner && it != stop;
         it.increment(inner)) {
      const std::string name = it->path().filename().string();
      if (name[0] == '.' || !it->is_regular_file(inner) || !cli::has_image_extension(it->path())) continue;
      const std::string relative = folder->path().filename().string() + "/" + name;
      if (!recorded.count(relative)) unrecorded.push_back(relative);
    }
  }
  return unrecorded;
}

}  // namespace lookalike::crawl
