#include "site/collection_items.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/log.h"
#include "common/text.h"
#include "lookalike/common/error.h"

namespace lookalike::cli {
namespace {

// Crawled links the page must not follow (not http(s), spaces, quotes) are
// dropped with a warning rather than failing the whole index at the end:
// the core's own rule decides (collection_to_json refuses such links).
void drop_unsafe_links(Attribution& source) {
  for (const AttributionField& field : attribution_fields()) {
    const std::string& link = source.*field.member;
    if (!field.is_link || link.empty() || is_web_link(link)) continue;
    log_warning(printable(source.path) + ": links left out (source." + field.key + " must be an http or https URL)");
    for (const AttributionField& other : attribution_fields())
      if (other.is_link) (source.*other.member).clear();
    return;
  }
}

}  // namespace

CollectionItem collection_item(const Manifest& manifest, const ManifestImage& image, std::uint32_t id) {
  CollectionItem item;
  item.id = id;
  item.label = image.label;
  item.thumbnail = thumbnail_path(id);
  item.width = std::uint32_t(std::max(image.width, 0));
  item.height = std::uint32_t(std::max(image.height, 0));
  if (image.source) item.source = *image.source;
  item.source.path = source_key(manifest.roots, image.root, image.path);
  drop_unsafe_links(item.source);
  return item;
}

std::string source_key(const std::vector<SourceRoot>& roots, std::size_t root, const std::string& path) {
  return roots.size() > 1 ? roots.at(root).path.filename().string() + "/" + path : path;
}

std::string thumbnail_path(std::uint32_t id) { return "thumbs/" + std::to_string(id) + ".jpg"; }

bool thumbnail_is_current(const fs::path& source, const fs::path& thumbnail) {
  std::error_code ec;
  if (!fs::is_regular_file(thumbnail, ec)) return false;
  const auto made = fs::last_write_time(thumbnail, ec);
  if (ec) return false;
  const auto changed = fs::last_write_time(source, ec);
  return !ec && made >= changed;
}

std::vector<std::string> sorted_labels(const std::vector<CollectionItem>& items) {
  std::set<std::string> labels;
  for (const auto& item : items)
    if (!item.label.empty()) labels.insert(item.label);
  return {labels.begin(), labels.end()};
}

std::string licence_note_for(const std::vector<CollectionItem>& items) {
  std::map<std::string, std::size_t> counts;
  std::size_t unknown = 0;
  for (const auto& item : items) {
    if (item.source.licence.empty() || item.source.licence == "unknown")
      ++unknown;
    else
      ++counts[item.source.licence];
  }
  if (counts.empty())
    return "No licence is recorded for these images: make sure you may republish them before publishing this site.";
  std::string note = "Images remain their owners' work, under the licence given with each item: ";
  bool first = true;
  for (const auto& [licence, count] : counts) {
    note += (first ? "" : ", ") + licence + " (" + std::to_string(count) + ")";
    first = false;
  }
  if (unknown > 0) note += "; " + std::to_string(unknown) + " without a known licence, which may not be republishable";
  return note + ".";
}

}  // namespace lookalike::cli
