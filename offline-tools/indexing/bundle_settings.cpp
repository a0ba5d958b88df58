#include "indexing/bundle_settings.h"

#include <algorithm>
#include <set>

#include "common/files.h"
#include "lookalike/common/error.h"
#include "lookalike/model/model_card.h"
#include "site/bundle_files.h"

namespace lookalike::cli {
namespace {

constexpr const char* kRebuild = ": rebuild the collection without --update (its ids are then assigned afresh)";

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::vector<std::string> metric_names(const std::vector<Metric>& metrics) {
  std::vector<std::string> names;
  for (const Metric m : metrics) names.push_back(metric_name(m));
  return names;
}

std::vector<Metric> chosen_metrics(const std::vector<Metric>& given) {
  std::vector<Metric> metrics;
  for (const Metric m : given.empty() ? std::vector<Metric>(kAllMetrics.begin(), kAllMetrics.end()) : given)
    if (std::find(metrics.begin(), metrics.end(), m) == metrics.end()) metrics.push_back(m);
  return metrics;
}

// A model feature of a built site is the card the site carries, when it is there.
FeatureChoice existing_feature(const std::string& spec, const std::filesystem::path& site) {
  if (is_model_spec(spec)) {
    const std::filesystem::path card = site / "models" / (model_spec_card(spec) + ".json");
    std::error_code ec;
    if (std::filesystem::is_regular_file(card, ec)) return choose_feature(kModelSpecPrefix + card.string());
  }
  return choose_feature(spec);
}

// The sha256 the site's copy of a card names, or "" when there is no copy.
std::string site_card_sha256(const std::filesystem::path& site, const std::string& name) {
  const std::filesystem::path card = site / "models" / (name + ".json");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(card, ec)) return "";
  return parse_model_card(read_text_file(card)).sha256;
}

}  // namespace

KindChoice parse_kind_choice(const std::string& name) {
  if (name == "auto") return KindChoice::Auto;
  if (name == "flat" || name == "exact") return KindChoice::Flat;
  if (name == "hnsw") return KindChoice::Hnsw;
  if (name == "partitioned") return KindChoice::Partitioned;
  fail(ErrorKind::InvalidArgument, "unknown index kind \"" + name + "\" (expected flat, hnsw, partitioned or auto)");
}

std::uint64_t whole_bundle_bytes(IndexKind kind, ElementType element, std::size_t items, std::size_t dim,
                                 const HnswParams& hnsw) {
  std::uint64_t per_item = 4 + std::uint64_t(dim) * (element == ElementType::Int8 ? 1 : 4);
  if (element == ElementType::Int8) per_item += 8;                             // offset and scale
  if (kind == IndexKind::Hnsw) per_item += 1 + 2 + 8 * std::uint64_t(hnsw.m);  // layer, link count, 2·M links
  return std::uint64_t(items) * per_item;
}

BundleKind resolve_kind(KindChoice choice, std::optional<ElementType> element, std::size_t items, std::size_t dim,
                        const HnswParams& hnsw) {
  const ElementType given = element.value_or(ElementType::Float32);
  const IndexKind whole = items <= kAutoFlatMaxItems ? IndexKind::Flat : IndexKind::Hnsw;
  switch (choice) {
    case KindChoice::Flat: return {IndexKind::Flat, given};
    case KindChoice::Hnsw: return {IndexKind::Hnsw, given};
    case KindChoice::Partitioned:
      // Its lists hold int8 items (re-ranked with the metric's value).
      if (element == ElementType::Float32)
        fail(ErrorKind::InvalidArgument, "a partitioned index stores int8 vectors: leave out --element float32");
      return {IndexKind::Partitioned, ElementType::Int8};
    case KindChoice::Auto: break;
  }
  if (whole_bundle_bytes(whole, given, items, dim, hnsw) <= kAutoWholeBundleMaxBytes || element == ElementType::Float32)
    return {whole, given};
  return {IndexKind::Partitioned, ElementType::Int8};
}

IndexConfig bundle_config(const BundleSettings& settings, const FeatureChoice& feature, Metric metric) {
  const BundleKind kind = settings.kind_of(feature);
  IndexConfig config;
  config.feature_spec = feature.spec;
  config.feature_version = std::uint32_t(feature.version);
  config.metric = metric;
  config.dim = std::uint32_t(feature.dim);
  config.kind = kind.kind;
  config.element = kind.element;
  config.hnsw = settings.hnsw;
  return config;
}

BundleKind BundleSettings::kind_of(const FeatureChoice& feature) const {
  for (std::size_t f = 0; f < features.size() && f < kinds.size(); ++f)
    if (features[f].spec == feature.spec) return kinds[f];
  fail(ErrorKind::InvalidArgument, "no index kind chosen for " + feature.spec);
}

BundleSettings fresh_settings(const IndexOptions& options, std::size_t items) {
  BundleSettings s;
  s.features = choose_features(options.features.empty() ? traditional_feature_names() : options.features);
  if (s.features.empty()) fail(ErrorKind::InvalidArgument, "no feature to index");
  s.metrics = chosen_metrics(options.metrics);
  if (options.m) s.hnsw.m = *options.m;
  if (options.ef_construction) s.hnsw.ef_construction = *options.ef_construction;
  if (options.ef_search) s.hnsw.ef_search = *options.ef_search;
  for (const auto& f : s.features) {
    s.kinds.push_back(resolve_kind(options.kind.value_or(KindChoice::Auto), options.element, items, f.dim, s.hnsw));
    // Wrong --lists etc. before any work.
    if (s.kinds.back().kind == IndexKind::Partitioned && items > 0)
      resolve_partitioned_choices(options.partitioned, items);
  }
  for (const auto& f : s.features) validate_index_config(bundle_config(s, f, s.metrics.front()));
  return s;
}

namespace {

// The features and metrics of an existing collection, as its sidecar lists
// them; every feature must have every metric.
void listed_features_and_metrics(const Collection& existing, const std::string& what, std::vector<std::string>& specs,
                                 std::vector<Metric>& metrics) {
  for (const CollectionBundle& b : existing.bundles) {
    if (std::find(specs.begin(), specs.end(), b.feature) == specs.end()) specs.push_back(b.feature);
    if (std::find(metrics.begin(), metrics.end(), b.metric) == metrics.end()) metrics.push_back(b.metric);
  }
  for (const std::string& spec : specs)
    for (const Metric m : metrics)
      if (std::none_of(existing.bundles.begin(), existing.bundles.end(),
                       [&](const CollectionBundle& b) { return b.feature == spec && b.metric == m; }))
        fail(ErrorKind::Corrupt, what + " has no " + metric_name(m) + " bundle for " + spec + kRebuild);
}

// Features and metrics given with --update must be those of the collection
// (and a model card must name the model file the site has).
void check_asked(const IndexOptions& options, const std::vector<std::string>& specs, const std::vector<Metric>& metrics,
                 const std::filesystem::path& site, const std::string& what) {
  if (!options.features.empty()) {
    std::vector<FeatureChoice> asked = choose_features(options.features);
    std::set<std::string> asked_specs, have_specs(specs.begin(), specs.end());
    for (const auto& f : asked) asked_specs.insert(f.spec);
    if (asked_specs != have_specs)
      fail(ErrorKind::InvalidArgument, what + " was built with the features " + joined(specs) + ", not " +
                                           joined(std::vector<std::string>(asked_specs.begin(), asked_specs.end())) +
                                           kRebuild);
    for (const FeatureChoice& f : asked) {
      if (!f.is_model()) continue;
      const std::string have = site_card_sha256(site, f.card->card.name);
      if (!have.empty() && have != f.card->card.sha256)
        fail(ErrorKind::InvalidArgument, "the model card " + f.card->path + " names another model file (sha256 " +
                                             f.card->card.sha256.substr(0, 12) + "…) than the one " + what +
                                             " was built with (" + have.substr(0, 12) + "…)" + kRebuild);
    }
  }
  if (!options.metrics.empty()) {
    const std::vector<Metric> asked = chosen_metrics(options.metrics);
    if (std::set<Metric>(asked.begin(), asked.end()) != std::set<Metric>(metrics.begin(), metrics.end()))
      fail(ErrorKind::InvalidArgument, what + " was built with the metrics " + joined(metric_names(metrics)) +
                                           ", not " + joined(metric_names(asked)) + kRebuild);
  }
}

// One existing bundle, loaded: what the sidecar says, the feature this
// build computes, the sidecar's ids, and every index option given.
IndexConfig check_bundle(const CollectionBundle& b, const FeatureChoice& f, const IndexOptions& options,
                         std::size_t items, const std::vector<std::uint32_t>& item_ids,
                         const std::filesystem::path& site) {
  const std::filesystem::path file = site / "index" / b.file;
  const IndexFacts index = read_index_facts(file);
  const IndexConfig& c = index.config;
  const std::string where = file.string();
  if (c.feature_spec != b.feature || c.metric != b.metric)
    fail(ErrorKind::Corrupt, where + " holds " + c.feature_spec + " with metric " + metric_name(c.metric) +
                                 ", but the sidecar lists it as " + b.feature + " with " + metric_name(b.metric) +
                                 kRebuild);
  if (c.feature_version != std::uint32_t(f.version))
    fail(ErrorKind::InvalidArgument, where + " was built with " + b.feature + " version " +
                                         std::to_string(c.feature_version) + ", this lookalike computes version " +
                                         std::to_string(f.version) + kRebuild);
  if (c.dim != f.dim)
    fail(ErrorKind::InvalidArgument, where + " holds " + std::to_string(c.dim) + "-d vectors, " + f.spec + " now has " +
                                         std::to_string(f.dim) + kRebuild);
  if (index.ids != item_ids) fail(ErrorKind::Corrupt, where + " does not hold the ids the sidecar lists" + kRebuild);
  const IndexKind asked = options.kind ? resolve_kind(*options.kind, c.element, items, c.dim, c.hnsw).kind : c.kind;
  if (asked != c.kind)
    fail(ErrorKind::InvalidArgument,
         where + " is a " + index_kind_name(c.kind) + " index, not " + index_kind_name(asked) + kRebuild);
  if (options.element && c.element != *options.element)
    fail(ErrorKind::InvalidArgument, where + " stores " + element_type_name(c.element) + " vectors, not " +
                                         element_type_name(*options.element) + kRebuild);
  const auto check_param = [&](const std::optional<std::uint32_t>& asked, std::uint32_t have, const char* name) {
    if (asked && *asked != have)
      fail(ErrorKind::InvalidArgument, where + " was built with " + name + " " + std::to_string(have) + ", not " +
                                           std::to_string(*asked) + kRebuild);
  };
  check_param(options.m, c.hnsw.m, "--m");
  check_param(options.ef_construction, c.hnsw.ef_construction, "--ef-construction");
  check_param(options.ef_search, c.hnsw.ef_search, "--ef-search");
  return c;
}

}  // namespace

BundleSettings update_settings(const IndexOptions& options, const Collection& existing,
                               const std::filesystem::path& site, std::size_t items) {
  const std::string what = "collection " + existing.name;
  if (existing.bundles.empty()) fail(ErrorKind::Corrupt, what + " has no bundles to update" + kRebuild);
  std::vector<std::string> specs;
  std::vector<Metric> metrics;
  listed_features_and_metrics(existing, what, specs, metrics);
  BundleSettings s;
  for (const std::string& spec : specs) s.features.push_back(existing_feature(spec, site));
  s.metrics = metrics;
  check_asked(options, specs, metrics, site, what);

  std::vector<std::uint32_t> item_ids;
  for (const CollectionItem& item : existing.items) item_ids.push_back(item.id);
  std::sort(item_ids.begin(), item_ids.end());
  // Each feature keeps its own kind and element (a site may mix kinds), the same for all its metrics.
  std::vector<std::optional<BundleKind>> kinds(s.features.size());
  for (std::size_t i = 0; i < existing.bundles.size(); ++i) {
    const CollectionBundle& b = existing.bundles[i];
    const std::size_t fi = std::size_t(std::find_if(s.features.begin(), s.features.end(),
                                                    [&](const FeatureChoice& x) { return x.spec == b.feature; }) -
                                       s.features.begin());
    const IndexConfig c = check_bundle(b, s.features[fi], options, items, item_ids, site);
    if (!kinds[fi]) kinds[fi] = BundleKind{c.kind, c.element};
    if (kinds[fi]->kind != c.kind || kinds[fi]->element != c.element)
      fail(ErrorKind::Corrupt, what + " has " + b.feature + " indexes of different kinds or elements" + kRebuild);
    if (i == 0) s.hnsw = c.hnsw;
  }
  for (const auto& kind : kinds) s.kinds.push_back(*kind);
  return s;
}

}  // namespace lookalike::cli
