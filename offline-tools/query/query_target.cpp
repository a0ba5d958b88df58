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

// The site's card files for a model feature: its image card and, when it
// has one, its text tower's card (the page reads the same entries).
struct SiteModel {
  std::string feature, card, text_card;
};

std::vector<SiteModel> site_models(const Collection& c, const fs::path& site) {
  std::vector<SiteModel> models;
  for (const CollectionModel& m : c.models) {
    const LoadedCard loaded = load_model_card((site / m.card).string());
    models.push_back(
        {loaded.card.feature_spec(), loaded.path, m.text_card.empty() ? "" : (site / m.text_card).string()});
  }
  return models;
}

// Why a collection's feature cannot answer a text query, or "" when it can.
std::string text_problem(const std::string& feature, const std::vector<SiteModel>& models) {
  if (!is_model_spec(feature))
    return feature + " describes images only; a text query needs a model whose text tower shares its space (CLIP)";
  for (const SiteModel& m : models)
    if (m.feature == feature)
      return m.text_card.empty() ? "the site publishes no text tower for " + model_spec_card(feature) +
                                       " (index it with a text card that pairs with it installed, e.g. "
                                       "models/fetch.sh clip-vit-b32-text for clip-vit-b32)"
                                 : "";
  return "the collection lists no model card for " + feature;
}

// The feature a text query searches by default: the first, in the page's
// order of defaults, whose model has a text tower.
std::string text_feature(const Collection& c, const std::vector<std::string>& features,
                         const std::vector<SiteModel>& models) {
  std::vector<std::string> ordered;
  for (const CollectionChoice& d : c.defaults) ordered.push_back(d.feature);
  ordered.insert(ordered.end(), features.begin(), features.end());
  std::string reasons;
  for (const auto& f : ordered) {
    const std::string problem = text_problem(f, models);
    if (problem.empty()) return f;
    if (is_model_spec(f) && reasons.find(problem) == std::string::npos)
      reasons += (reasons.empty() ? "" : "; ") + problem;
  }
  fail(ErrorKind::InvalidArgument,
       "collection " + c.name + " cannot answer a text query: " +
           (reasons.empty() ? "it has no model feature (only " + list_of(features) +
                                  ", which describe images); text search needs a CLIP model indexed with "
                                  "--feature model:clip-vit-b32 and its text tower installed"
                            : reasons));
}

// The feature asked for, in either spelling (as listed, or its canonical
// spec), or the collection's first default: the page's choice. A text query
// only takes a model feature with a text tower.
std::string choose_feature_spec(const Collection& c, const QueryTargetRequest& request,
                                const std::vector<SiteModel>& models) {
  std::vector<std::string> features;
  for (const auto& b : c.bundles)
    if (std::find(features.begin(), features.end(), b.feature) == features.end()) features.push_back(b.feature);
  if (features.empty()) fail(ErrorKind::InvalidArgument, "collection " + c.name + " has no bundles to search");
  if (request.feature.empty() && request.text) return text_feature(c, features, models);
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
  if (request.text && !text_problem(feature, models).empty())
    fail(ErrorKind::InvalidArgument,
         "collection " + c.name + " cannot answer a text query with " + feature + ": " + text_problem(feature, models));
  return feature;
}

// The metric asked for, else the one the collection's defaults give the
// feature, else its first bundle listed.
const CollectionBundle& choose_bundle(const Collection& c, const QueryTargetRequest& request,
                                      const std::vector<SiteModel>& models) {
  const std::string feature = choose_feature_spec(c, request, models);
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
    if (request.text)
      fail(ErrorKind::InvalidArgument,
           "a text query needs a site (--site): its collection names the text tower that goes with the bundle");
    return QueryTarget{std::nullopt, {}, request.index_file, QueryIndex::open(request.index_file), {}, {}};
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
  const std::vector<SiteModel> models = site_models(collection, request.site);
  const CollectionBundle entry = choose_bundle(collection, request, models);
  const fs::path file = request.site / "index" / entry.file;
  QueryIndex index = QueryIndex::open(file);
  check_against_entry(index, entry, file);
  std::string card, text_card;
  if (is_model_spec(entry.feature)) {
    // As the page does: the listed card whose feature this is.
    for (const SiteModel& m : models)
      if (m.feature == entry.feature) card = m.card, text_card = request.text ? m.text_card : "";
    if (card.empty())
      fail(ErrorKind::Corrupt,
           "collection " + name + " has " + entry.feature + " bundles but lists no model card for them");
  }
  return QueryTarget{
      ItemLookup(request.site, std::move(collection)), request.site, file, std::move(index), card, text_card};
}

}  // namespace lookalike::cli
