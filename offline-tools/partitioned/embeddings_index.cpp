#include "partitioned/embeddings_index.h"

#include <algorithm>
#include <optional>
#include <set>

#include "common/cli_context.h"
#include "common/clock.h"
#include "common/files.h"
#include "common/log.h"
#include "common/progress.h"
#include "common/staged_files.h"
#include "common/text.h"
#include "indexing/bundle_settings.h"
#include "indexing/site_models.h"
#include "lookalike/common/error.h"
#include "lookalike/common/parallel.h"
#include "lookalike/features/feature.h"
#include "lookalike/index/item_pages.h"
#include "lookalike/index/vector_index.h"
#include "partitioned/embeddings_input.h"
#include "partitioned/partitioned_bundle.h"
#include "site/bundle_files.h"
#include "site/collection_files.h"
#include "site/collection_items.h"

namespace lookalike::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kAddChunk = 4096;

// The one feature the vectors are: a feature this build knows (its dimension
// must match; a model's card goes into the site so the page can embed
// queries), or any other printable spec, which the page can search by item
// ("more like this") but cannot compute for a new image.
FeatureChoice embeddings_feature(const IndexOptions& options, std::size_t dim) {
  if (options.features.size() != 1)
    fail(ErrorKind::InvalidArgument,
         "--embeddings needs exactly one --feature: what made the vectors "
         "(e.g. model:clip-vit-b32)");
  const std::string& spec = options.features.front();
  try {
    FeatureChoice f = choose_feature(spec);
    if (f.dim != dim)
      fail(ErrorKind::InvalidArgument, "the embeddings have " + std::to_string(dim) + " columns but " + f.spec +
                                           " has dimension " + std::to_string(f.dim));
    return f;
  } catch (const Error& e) {
    if (is_model_spec(spec) || spec.find(':') == std::string::npos) throw;
  }
  FeatureChoice f;
  f.spec = spec;
  f.slug = feature_slug(spec);
  f.dim = dim;
  log_warning("feature " + spec + " is not one lookalike computes: the page searches it by vector and by item only");
  return f;
}

BuiltBundle stage_vector_bundle(StagedFiles& staged, const fs::path& site, const std::string& file,
                                const IndexConfig& config, const EmbeddingsInput& input,
                                const std::vector<std::uint32_t>& ids, const IndexOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  VectorIndex index(config);
  std::optional<Progress> progress;
  if (options.show_progress) progress.emplace(file, ids.size(), "vectors");
  for (std::size_t first = 0; first < ids.size(); first += kAddChunk) {
    const std::size_t count = std::min(kAddChunk, ids.size() - first);
    index.add_many(ids.data() + first, input.matrix.row(first), count,
                   options.reproducible ? 1 : thread_count(options.threads));
    if (progress) progress->advance(count);
    if (interrupted()) fail(ErrorKind::Io, "interrupted: nothing was changed in " + site.string());
  }
  if (progress) progress->finish();
  const std::vector<std::uint8_t> bytes = index.save();
  staged.write(site / "index" / file, bytes.data(), bytes.size());
  BuiltBundle built;
  built.entry = {config.feature_spec, feature_slug(config.feature_spec),
                 config.metric,       file,
                 config.kind,         config.element,
                 config.dim,          index.size(),
                 bytes.size()};
  built.added = ids.size();
  built.seconds = seconds_since(start);
  return built;
}

// One bundle per metric, of the kind chosen (settings.kinds), staged in the site.
std::vector<BuiltBundle> stage_bundles(const IndexOptions& options, const std::string& name,
                                       const BundleSettings& settings, const EmbeddingsInput& input,
                                       StagedFiles& staged) {
  const fs::path& site = options.site;
  const FeatureChoice& feature = settings.features.front();
  const IndexKind kind = settings.kinds.front().kind;
  const std::size_t count = input.matrix.rows();
  std::vector<std::uint32_t> ids(count);
  for (std::size_t i = 0; i < count; ++i) ids[i] = input.items[i].id;
  std::vector<BuiltBundle> bundles;
  for (const Metric metric : settings.metrics) {
    const IndexConfig config = bundle_config(settings, feature, metric);
    const std::string file = bundle_file_name(name, feature.slug, metric, kind);
    if (kind == IndexKind::Partitioned) {
      const PartitionedRows rows{count, [&input](std::size_t r) { return input.matrix.row(r); },
                                 [&ids](std::size_t r) { return ids[r]; }};
      bundles.push_back(stage_partitioned_bundle(staged, site, file, feature.slug, config, rows, options.partitioned,
                                                 thread_count(options.threads), options.show_progress));
    } else {
      bundles.push_back(stage_vector_bundle(staged, site, file, config, input, ids, options));
    }
    if (interrupted()) fail(ErrorKind::Io, "interrupted: nothing was changed in " + site.string());
  }
  return bundles;
}

// The collection of that name the site holds already: its files are
// replaced (its items are not needed), so a damaged one is only replaced.
std::optional<Collection> replaced_collection(const fs::path& site, const std::string& name) {
  if (!collection_exists(site, name)) return std::nullopt;
  try {
    return read_collection_document(site, name);
  } catch (const Error& e) {
    log_warning(std::string(e.what()) + ": replacing it");
    return std::nullopt;
  }
}

// The old collection's bundles and item pages that the new one does not use.
void remove_replaced_files(const fs::path& site, const Collection& old, const Collection& collection) {
  std::set<fs::path> keep, stale;
  for (const auto& b : collection.bundles)
    for (const std::string& f : bundle_file_names(b)) keep.insert(site / "index" / f);
  for (const auto& page : item_page_paths(site, collection)) keep.insert(page);
  for (const auto& b : old.bundles)
    for (const std::string& f : bundle_file_names(b)) stale.insert(site / "index" / f);
  for (const auto& page : item_page_paths(site, old)) stale.insert(page);
  remove_stale_site_files(site, stale, keep);
}

}  // namespace

IndexSummary run_index_from_embeddings(const IndexOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const fs::path& site = options.site;
  if (options.update)
    fail(ErrorKind::InvalidArgument, "--update takes images; rebuild a collection of precomputed embeddings instead");
  if (options.items.empty()) fail(ErrorKind::InvalidArgument, "--embeddings needs --items (the rows' JSON Lines)");
  if (options.thumbnails == ThumbnailChoice::Write)
    fail(ErrorKind::InvalidArgument,
         "--embeddings has no images to make thumbnails of: results show each item's own URL (its \"url\")");
  const std::string name = options.name.empty() ? options.embeddings.stem().string() : options.name;
  check_collection_name(name);
  const std::string created = build_timestamp();
  const EmbeddingsInput input = load_embeddings_input(options.embeddings, options.items);
  const std::size_t count = input.matrix.rows(), dim = input.matrix.cols();
  const FeatureChoice feature = embeddings_feature(options, dim);

  BundleSettings settings;
  settings.features = {feature};
  settings.metrics = options.metrics.empty() ? std::vector<Metric>{Metric::Cosine} : options.metrics;
  if (options.m) settings.hnsw.m = *options.m;
  if (options.ef_construction) settings.hnsw.ef_construction = *options.ef_construction;
  if (options.ef_search) settings.hnsw.ef_search = *options.ef_search;
  settings.kinds = {resolve_kind(options.kind.value_or(KindChoice::Auto), options.element, count, dim, settings.hnsw)};
  const IndexKind kind = settings.kinds.front().kind;
  // The model's text tower, published with its card: checked before the long work too.
  const auto text_towers = choose_text_towers(settings.features, options.text, site / "models");

  // The items are checked as the sidecar will be before the long work starts.
  Collection collection;
  collection.name = name;
  collection.title = options.title.empty() ? name : options.title;
  collection.created = created;
  collection.items = input.items;
  collection.labels = sorted_labels(collection.items);
  collection.licence_note = licence_note_for(collection.items);
  collection_to_json(collection);
  log_info("building " + name + " from " + std::to_string(count) + " precomputed " + std::to_string(dim) +
           "-d vectors: " + index_kind_name(kind) + ", " + std::to_string(settings.metrics.size()) + " metric(s)");

  IndexSummary summary;
  summary.name = name;
  summary.input_kind = "embeddings";
  StagedFiles staged(site, name);
  summary.bundles = stage_bundles(options, name, settings, input, staged);

  const std::optional<Collection> old = replaced_collection(site, name);
  for (const BuiltBundle& b : summary.bundles) collection.bundles.push_back(b.entry);
  if (feature.is_model())
    collection.models = stage_site_models(settings.features, text_towers, options.model, site, staged);
  if (pages_items(options.item_layout, collection.items.size())) {
    std::sort(collection.items.begin(), collection.items.end(),
              [](const CollectionItem& a, const CollectionItem& b) { return a.id < b.id; });
    collection.item_pages = page_items(collection);
  }
  const std::string sidecar = collection_to_json(collection);
  stage_item_pages(staged, site, collection);
  staged.commit();
  write_file_atomic(collection_file(site, name), sidecar);
  register_collection(site, collection, options.make_default);
  if (old) remove_replaced_files(site, *old, collection);
  summary.title = collection.title;
  summary.sidecar = collection_file(site, name).string();
  summary.items = count;
  summary.added = count;
  summary.thumbnails_linked = true;  // no images, no thumbnails: results show each item's source.url
  summary.item_pages = collection.item_pages.count;
  for (const auto& m : collection.models) {
    summary.models.push_back(m.card);
    if (!m.text_card.empty()) summary.models.push_back(m.text_card);
  }
  summary.seconds = seconds_since(start);
  return summary;
}

}  // namespace lookalike::cli
