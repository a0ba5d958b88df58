#include "query/query_target.h"

#include <algorithm>

#include "embed/model_files.h"
#include "lookalike/common/error.h"
#include "site/bundle_files.h"
#include "site/collection_files.h"
#include "vectors/feature_set.h"

namespace lookalike::cli {
namespace {

namespace fs = std::filesystem;

std::string list_of(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "none" : out;
}

// The feature asked for, in either spelling (as listed, or its canonical
// spec), or the collection's first default: the page's choice.
std::string choose_feature_spec(const Collection& c, const QueryTargetRequest& request) {
  std::vector<std::string> features;
  for (const auto& b : c.bundles)
    if (std::find(features.begin(), features.end(), b.feature) == features.end()) features.push_back(b.feature);
  if (features.empty()) fail(ErrorKind::InvalidArgument, "collection " + c.name + " has no bundles to search");
  if (request.feature.empty()) return c.defaults.empty() ? features.front() : c.defaults.front().feature;
  std::string feature = request.feature;
  if (std::find(features.begin(), features.end(), feature) == features.end()) {
    try {
      feature = choose_feature(request.feature).spec;
    } catch (const Error&) {
      // Not a feature this build knows: reported below as not in the collection.
    }
  }
  if (std::find(features.begin(), features.end(), feature) == features.end())
    fail(ErrorKind::InvalidArgument, "collection " + c.name + " has no bundles for feature " + request.feature +
                                         " (it has: " + list_of(features) + ")");
  return feature;
}

// The metric asked for, else the one the collection's defaults give the
// feature, else its first bundle listed.
const CollectionBundle& choose_bundle(const Collection& c, const QueryTargetRequest& request) {
  const std::string feature = choose_feature_spec(c, request);
  std::vector<const CollectionBundle*> candidates;
  for (const auto& b : c.bundles)
    if (b.feature == feature) candidates.push_back(&b);
  if (!request.metric.empty()) {
    const Metric metric = parse_metric(request.metric);
    for (const auto* b : candidates)
      if (b->metric == metric) return *b;
    std::vector<std::string> metrics;
    for (const auto* b : candidates) metrics.push_back(metric_name(b->metric));
    fail(ErrorKind::InvalidArgument, "collection " + c.name + " has no " + request.metric + " bundle for " + feature +
                                         " (it has: " + list_of(metrics) + ")");
  }
  for (const CollectionChoice& d : c.defaults)
    for (const auto* b : candidates)
      if (d.feature == feature && b->metric == d.metric) return *b;
  return *candidates.front();
}

// The checks the page makes before it searches a bundle.
void check_against_entry(const QueryIndex& index, const CollectionBundle& entry, const fs::path& file) {
  const IndexConfig& c = index.config();
  std::string problems;
  const auto problem = [&](const std::string& p) { problems += (problems.empty() ? "" : "; ") + p; };
  if (c.feature_spec != entry.feature)
    problem("its feature is " + c.feature_spec + ", the collection says " + entry.feature);
  if (c.metric != entry.metric)
    problem(std::string("its metric is ") + metric_name(c.metric) + ", the collection says " +
            metric_name(entry.metric));
  if (c.dim != entry.dim)
    problem("its dimension is " + std::to_string(c.dim) + ", the collection says " + std::to_string(entry.dim));
  if (index.size() != entry.count)
    problem("it holds " + std::to_string(index.size()) + " items, the collection says " + std::to_string(entry.count));
  if (!problems.empty())
    fail(ErrorKind::Corrupt, file.string() + " does not match its collection: " + problems + " (rebuild the index)");
}

}  // namespace

const CollectionItem* QueryTarget::item(std::uint32_t id) const { return items ? items->item(id) : nullptr; }

QueryTarget open_query_target(const QueryTargetRequest& request) {
  if (!request.index_file.empty()) {
    if (!request.site.empty()) fail(ErrorKind::InvalidArgument, "give either --site or --index, not both");
    return QueryTarget{std::nullopt, {}, request.index_file, QueryIndex::open(request.index_file), {}};
  }
  if (request.site.empty())
    fail(ErrorKind::InvalidArgument, "say what to search: --site DIR (a built site) or --index FILE.lkx");
  const CollectionList list = read_collection_list(request.site);
  const std::string name = request.collection.empty() ? list.default_name : request.collection;
  if (std::none_of(list.collections.begin(), list.collections.end(),
                   [&](const CollectionEntry& e) { return e.name == name; })) {
    std::vector<std::string> names;
    for (const auto& e : list.collections) names.push_back(e.name);
    fail(ErrorKind::InvalidArgument,
         "the site " + request.site.string() + " has no collection " + name + " (it has: " + list_of(names) + ")");
  }
  Collection collection = read_collection_document(request.site, name);
  const CollectionBundle entry = choose_bundle(collection, request);
  const fs::path file = request.site / "index" / entry.file;
  QueryIndex index = QueryIndex::open(file);
  check_against_entry(index, entry, file);
  std::string card;
  if (is_model_spec(entry.feature)) {
    // As the page does: the listed card whose feature this is.
    for (const CollectionModel& m : collection.models) {
      const LoadedCard loaded = load_model_card((request.site / m.card).string());
      if (loaded.card.feature_spec() == entry.feature) card = loaded.path;
    }
    if (card.empty())
      fail(ErrorKind::Corrupt,
           "collection " + name + " has " + entry.feature + " bundles but lists no model card for them");
  }
  return QueryTarget{ItemLookup(request.site, std::move(collection)), request.site, file, std::move(index), card};
}

}  // namespace lookalike::cli
