#include "indexing/sample_queries.h"

#include <map>

#include "common/files.h"
#include "common/log.h"
#include "common/text.h"
#include "lookalike/common/error.h"
#include "lookalike/image/decode.h"
#include "site/thumbnail.h"

namespace lookalike::cli {
namespace {

std::string sample_title(const CollectionItem& item) {
  if (!item.source.title.empty()) return item.source.title;
  const std::string file = std::filesystem::path(item.source.path).filename().string();
  return item.label.empty() ? file : item.label + " · " + file;
}

}  // namespace

std::vector<const PlannedItem*> pick_samples(const std::vector<PlannedItem>& items, std::size_t count) {
  std::map<std::string, std::vector<const PlannedItem*>> by_label;  // items are in id order
  for (const PlannedItem& p : items) by_label[p.item.label].push_back(&p);
  std::vector<const PlannedItem*> picked;
  for (std::size_t round = 0; picked.size() < count; ++round) {
    bool any = false;
    for (const auto& [label, members] : by_label) {
      if (round >= members.size() || picked.size() == count) continue;
      picked.push_back(members[round]);
      any = true;
    }
    if (!any) break;
  }
  return picked;
}

std::vector<CollectionSample> stage_samples(const std::vector<const PlannedItem*>& picked, const Manifest& manifest,
                                            const std::filesystem::path& site, StagedFiles& staged) {
  std::vector<CollectionSample> samples;
  for (const PlannedItem* p : picked) {
    const std::string file = "samples/" + std::to_string(p->item.id) + ".jpg";
    std::error_code ec;
    if (p->compute || !std::filesystem::is_regular_file(site / file, ec)) {
      try {
        const auto bytes = read_file(manifest.file(manifest.images[p->manifest_index]));
        const DecodedImage decoded = decode_image(bytes.data(), bytes.size());
        const auto jpeg = thumbnail_jpeg(decoded.image, kSampleSide, 90);
        staged.write(site / file, jpeg.data(), jpeg.size());
      } catch (const Error& e) {
        log_warning("sample query " + printable(p->item.source.path) + " left out: " + e.what());
        continue;
      }
    }
    samples.push_back({file, sample_title(p->item)});
  }
  return samples;
}

}  // namespace lookalike::cli
