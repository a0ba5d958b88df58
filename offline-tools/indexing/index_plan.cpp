#include "indexing/index_plan.h"

#include <algorithm>
#include <map>
#include <set>

#include "lookalike/common/error.h"
#include "site/collection_items.h"

namespace lookalike::cli {

IndexPlan plan_fresh(const Manifest& manifest) {
  IndexPlan plan;
  for (std::size_t i = 0; i < manifest.images.size(); ++i) {
    PlannedItem p;
    p.item = collection_item(manifest, manifest.images[i], std::uint32_t(i));
    p.manifest_index = i;
    plan.items.push_back(std::move(p));
  }
  plan.added = plan.items.size();
  return plan;
}

IndexPlan plan_update(const Manifest& manifest, const Collection& existing, const std::filesystem::path& site) {
  std::map<std::string, const CollectionItem*> old_by_path;
  std::uint32_t next_id = 0;
  for (const CollectionItem& item : existing.items) {
    if (!item.source.path.empty()) old_by_path.emplace(item.source.path, &item);
    next_id = std::max(next_id, item.id + 1);
  }

  IndexPlan plan;
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < manifest.images.size(); ++i) {
    CollectionItem fresh = collection_item(manifest, manifest.images[i], 0);
    const std::string& key = fresh.source.path;
    if (!seen.emplace(key, i).second)
      fail(ErrorKind::Corrupt, "two images of the manifest have the source path " + key +
                                   ": rename one of their source folders so that an update can tell them apart");
    PlannedItem p;
    p.manifest_index = i;
    const auto old = old_by_path.find(key);
    const bool is_new = old == old_by_path.end();
    fresh.id = is_new ? next_id++ : old->second->id;
    fresh.thumbnail = thumbnail_path(fresh.id);
    p.item = std::move(fresh);
    if (is_new) {
      ++plan.added;
    } else {
      p.is_new = false;
      p.compute = !thumbnail_is_current(manifest.file(manifest.images[i]), site / p.item.thumbnail);
      ++(p.compute ? plan.changed : plan.kept);
      old_by_path.erase(old);
    }
    plan.items.push_back(std::move(p));
  }
  // Every old id not carried over is removed (also items without a source
  // path, which no image can match).
  std::set<std::uint32_t> kept_ids;
  for (const PlannedItem& p : plan.items)
    if (!p.is_new) kept_ids.insert(p.item.id);
  for (const CollectionItem& item : existing.items)
    if (!kept_ids.count(item.id)) plan.removed.push_back(item.id);
  std::sort(plan.items.begin(), plan.items.end(),
            [](const PlannedItem& a, const PlannedItem& b) { return a.item.id < b.item.id; });
  std::sort(plan.removed.begin(), plan.removed.end());
  return plan;
}

void plan_linked_thumbnails(IndexPlan& plan, const Manifest& manifest, const std::filesystem::path& collection_file) {
  std::error_code ec;
  const auto written = std::filesystem::last_write_time(collection_file, ec);
  const bool known = !ec;
  plan.changed = plan.kept = 0;
  for (PlannedItem& p : plan.items) {
    p.item.thumbnail.clear();
    if (p.is_new) continue;
    const auto changed = std::filesystem::last_write_time(manifest.file(manifest.images[p.manifest_index]), ec);
    p.compute = !known || ec || changed > written;
    ++(p.compute ? plan.changed : plan.kept);
  }
}

}  // namespace lookalike::cli
