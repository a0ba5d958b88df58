#include "indexing/index_build.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>
#include <set>

#include "common/cli_context.h"
#include "common/clock.h"
#include "common/files.h"
#include "common/log.h"
#include "common/progress.h"
#include "common/staged_files.h"
#include "common/text.h"
#include "crawl/sha256.h"
#include "embed/model_files.h"
#include "indexing/bundle_settings.h"
#include "indexing/index_input.h"
#include "indexing/index_plan.h"
#include "indexing/sample_queries.h"
#include "indexing/site_models.h"
#include "lookalike/common/error.h"
#include "lookalike/common/parallel.h"
#include "lookalike/index/item_pages.h"
#include "lookalike/index/vector_index.h"
#include "partitioned/embeddings_index.h"
#include "partitioned/partitioned_bundle.h"
#include "site/bundle_files.h"
#include "site/collection_files.h"
#include "site/collection_items.h"
#include "site/thumbnail.h"
#include "vectors/feature_matrix.h"

namespace lookalike::cli {
namespace {

namespace fs = std::filesystem;

// Vectors go into a bundle in chunks so that the progress bar moves while
// an HNSW graph is built (each chunk is inserted on every thread).
constexpr std::size_t kAddChunk = 1024;

void fail_if_interrupted(const fs::path& site) {
  if (interrupted()) fail(ErrorKind::Io, "interrupted: nothing was changed in " + site.string());
}

// Files that the new collection does not list: those of the old one
// (bundles of features or metrics a rebuild dropped, thumbnails and samples
// of removed items) and the thumbnails of images that failed after theirs
// was made. Only paths inside the site that a sidecar names or we wrote.
void remove_stale_files(const std::optional<Collection>& before, const Collection& after, std::set<fs::path> stale,
                        const fs::path& site) {
  std::set<fs::path> keep;
  for (const auto& b : after.bundles)
    for (const std::string& f : bundle_file_names(b)) keep.insert(site / "index" / f);
  for (const auto& i : after.items)
    if (!i.thumbnail.empty()) keep.insert(site / i.thumbnail);
  for (const auto& s : after.samples) keep.insert(site / s.file);
  for (const auto& page : item_page_paths(site, after)) keep.insert(page);
  if (before) {
    for (const auto& b : before->bundles)
      for (const std::string& f : bundle_file_names(b)) stale.insert(site / "index" / f);
    for (const auto& i : before->items)
      if (!i.thumbnail.empty()) stale.insert(site / i.thumbnail);
    for (const auto& s : before->samples) stale.insert(site / s.file);
    for (const auto& page : item_page_paths(site, *before)) stale.insert(page);
  }
  remove_stale_site_files(site, stale, keep);
}

std::vector<const CollectionItem*> planned_items(const IndexPlan& plan) {
  std::vector<const CollectionItem*> items;
  for (const PlannedItem& p : plan.items) items.push_back(&p.item);
  return items;
}

// Everything that can be checked without reading an image, checked first.
void check_before_reading(const IndexOptions& options) {
  if (!options.name.empty()) check_collection_name(options.name);
  std::error_code ec;
  if (fs::exists(options.site, ec) && !fs::is_directory(options.site, ec))
    fail(ErrorKind::Io, "--site " + options.site.string() + " is a file, not a folder");
  if (!options.update)
    fresh_settings(options, 0);
  else if (!options.features.empty())
    choose_features(options.features);
  if (options.thumbnail_side < 16) fail(ErrorKind::InvalidArgument, "thumbnails must be at least 16 px");
}

// The collection already in the site under this name, if any: what --update
// builds on, and whose files a rebuild replaces.
std::optional<Collection> existing_collection(const IndexOptions& options, const std::string& name) {
  const fs::path& site = options.site;
  std::optional<Collection> old;
  if (collection_exists(site, name)) {
    try {
      old = read_collection(site, name);
    } catch (const Error& e) {
      if (options.update) throw;
      log_warning(std::string(e.what()) + ": rebuilding it");
      try {
        old = read_collection_document(site, name);  // its files are replaced all the same
      } catch (const Error&) {
        // not even the document: its files cannot be known
      }
    }
  }
  if (options.update && !old)
    fail(ErrorKind::InvalidArgument, "--update: " + collection_file(site, name).string() +
                                         " does not exist; build the collection first (without --update)");
  // A damaged list of collections is reported before anything is written.
  if (fs::exists(collection_list_file(site))) read_collection_list(site);
  return old;
}

void log_plan(const IndexOptions& options, const std::string& name, const IndexPlan& plan,
              const BundleSettings& settings, bool rebuilding) {
  if (rebuilding) log_info("rebuilding collection " + name + " from scratch (new ids; --update keeps them)");
  log_info(std::string(options.update ? "updating " : "building ") + name + ": " + std::to_string(plan.items.size()) +
           " images (" + std::to_string(plan.added) + " new, " + std::to_string(plan.changed) + " changed, " +
           std::to_string(plan.kept) + " kept, " + std::to_string(plan.removed.size()) + " removed), " +
           std::to_string(settings.features.size()) + " feature(s) x " + std::to_string(settings.metrics.size()) +
           " metric(s)");
}

// Step 1: each new or changed image decoded once, for its thumbnail (staged;
// none when results link to the photos' own URLs) and every feature.
// `computed` are the positions in plan.items decoded.
FeatureExtraction decode_images(const IndexOptions& options, const Manifest& manifest, const IndexPlan& plan,
                                const BundleSettings& settings, bool linked_thumbnails, StagedFiles& staged,
                                std::vector<std::size_t>& computed) {
  std::vector<fs::path> files;
  for (std::size_t i = 0; i < plan.items.size(); ++i) {
    if (!plan.items[i].compute) continue;
    computed.push_back(i);
    files.push_back(manifest.file(manifest.images[plan.items[i].manifest_index]));
  }
  ExtractionOptions extraction_options;
  extraction_options.threads = options.threads;
  extraction_options.show_progress = options.show_progress;
  extraction_options.model = options.model;
  // A thumbnail that cannot be written (a full disk) stops the build: it is
  // not a problem of that one image.
  std::mutex write_error_mutex;
  std::string write_error;
  extraction_options.on_decoded_need = thumbnail_need(options.thumbnail_side);
  if (!linked_thumbnails) {
    extraction_options.on_decoded = [&](std::size_t k, const Image& image) {
      const auto jpeg = thumbnail_jpeg(image, options.thumbnail_side);
      try {
        staged.write(options.site / plan.items[computed[k]].item.thumbnail, jpeg.data(), jpeg.size());
      } catch (const Error& e) {
        std::lock_guard<std::mutex> lock(write_error_mutex);
        if (write_error.empty()) write_error = e.what();
        throw;
      }
    };
  }
  FeatureExtraction extraction = extract_features(files, settings.features, extraction_options);
  fail_if_interrupted(options.site);
  if (!write_error.empty()) fail(ErrorKind::Io, write_error);
  return extraction;
}

// The shards were made by the model file the site will ship: else the page
// would embed queries with another model than the collection's vectors.
void require_shipped_model(const IndexOptions& options, const FeatureChoice& feature, const PrecomputedFeature& pre) {
  const std::string shipped = locate_model_file(*feature.card, options.model.model_path);
  const std::string sha = crawl::file_sha256(shipped);
  if (sha != pre.model_sha256)
    fail(ErrorKind::Corrupt, "the shards were embedded with a model file of sha256 " + pre.model_sha256.substr(0, 16) +
                                 "… (" + pre.made_by + "/done.json), but this site would ship " + shipped +
                                 " (sha256 " + sha.substr(0, 16) + "…): pass --model with the shards' file");
}

// Step 1 for the shards of a sharded embedding job: the vectors and
// thumbnails they made, instead of decoding the images again.
FeatureExtraction take_precomputed(const IndexOptions& options, const PrecomputedFeature& pre, const IndexPlan& plan,
                                   const BundleSettings& settings, StagedFiles& staged,
                                   std::vector<std::size_t>& computed) {
  if (settings.features.size() != 1 || settings.features.front().spec != pre.feature)
    fail(ErrorKind::InvalidArgument, "the shards hold " + pre.feature + " vectors only: index them with --feature " +
                                         pre.feature + " (or without --feature)");
  if (options.thumbnail_side != pre.thumbnail_side)
    fail(ErrorKind::InvalidArgument, "the shards made " + std::to_string(pre.thumbnail_side) +
                                         " px thumbnails, this index wants " + std::to_string(options.thumbnail_side));
  const FeatureChoice& feature = settings.features.front();
  require_shipped_model(options, feature, pre);
  FeatureExtraction out;
  FeatureMatrix matrix;
  matrix.spec = feature.spec;
  matrix.version = feature.version;
  matrix.dim = pre.dim;
  for (std::size_t i = 0; i < plan.items.size(); ++i) {
    if (!plan.items[i].compute) continue;
    computed.push_back(i);
    const std::size_t m = plan.items[i].manifest_index;
    matrix.values.insert(matrix.values.end(), pre.rows.begin() + std::ptrdiff_t(m * pre.dim),
                         pre.rows.begin() + std::ptrdiff_t((m + 1) * pre.dim));
    if (!plan.items[i].item.thumbnail.empty())  // none when results link to the photos' own URLs
      staged.copy(options.site / plan.items[i].item.thumbnail, pre.thumbnails[m]);
  }
  out.matrices.push_back(std::move(matrix));
  out.ok.assign(computed.size(), true);
  out.errors.assign(computed.size(), std::string());
  out.error_kinds.assign(computed.size(), ErrorKind::Corrupt);
  return out;
}

// Step 2: the items that made it, and what changes in every bundle.
struct Outcome {
  std::vector<PlannedItem> items;  // in the collection, ascending ids
  std::vector<std::uint32_t> add_ids, remove_ids;
  std::set<fs::path> failed_thumbnails;
};

Outcome settle_items(const IndexPlan& plan, const std::vector<std::size_t>& computed,
                     const FeatureExtraction& extraction, const fs::path& site, IndexSummary& summary) {
  Outcome out;
  out.remove_ids = plan.removed;
  std::vector<bool> usable(plan.items.size(), true);
  for (std::size_t k = 0; k < computed.size(); ++k) {
    const PlannedItem& p = plan.items[computed[k]];
    if (!p.is_new) out.remove_ids.push_back(p.item.id);  // changed: its old vectors go
    if (extraction.ok[k]) {
      out.add_ids.push_back(p.item.id);
      if (p.is_new) ++summary.added;
    } else {
      usable[computed[k]] = false;
      if (!p.item.thumbnail.empty()) out.failed_thumbnails.insert(site / p.item.thumbnail);
      summary.failures.push_back(p.item.source.path + ": " + extraction.errors[k]);
    }
  }
  for (std::size_t i = 0; i < plan.items.size(); ++i)
    if (usable[i]) out.items.push_back(plan.items[i]);
  if (out.items.empty())
    fail(extraction.error_kinds.empty() ? ErrorKind::Corrupt : extraction.error_kinds.front(),
         "none of the " + std::to_string(plan.items.size()) + " images could be indexed; the first: " +
             (summary.failures.empty() ? std::string("(no images)") : summary.failures.front()));
  return out;
}

// Step 3, for one feature and metric: the bundle built afresh, or the
// existing one with the removed vectors taken out and the new ones added.
// A partitioned index: built afresh, or the existing one updated list by list.
BuiltBundle build_partitioned(const IndexOptions& options, const std::string& name,
                              const std::optional<Collection>& old, const BundleSettings& settings,
                              const FeatureChoice& feature, Metric metric, const FeatureMatrix& rows,
                              const Outcome& outcome, StagedFiles& staged) {
  const std::vector<std::uint32_t>& add_ids = outcome.add_ids;
  const PartitionedRows source{add_ids.size(), [&rows](std::size_t r) { return rows.row(r); },
                               [&add_ids](std::size_t r) { return add_ids[r]; }};
  if (options.update)
    for (const CollectionBundle& b : old->bundles)
      if (b.feature == feature.spec && b.metric == metric)
        return stage_partitioned_update(staged, options.site, b.file, feature.slug, outcome.remove_ids, source,
                                        options.show_progress);
  return stage_partitioned_bundle(staged, options.site,
                                  bundle_file_name(name, feature.slug, metric, IndexKind::Partitioned), feature.slug,
                                  bundle_config(settings, feature, metric), source, options.partitioned,
                                  thread_count(options.threads), options.show_progress);
}

BuiltBundle build_bundle(const IndexOptions& options, const std::string& name, const std::optional<Collection>& old,
                         const BundleSettings& settings, const FeatureChoice& feature, Metric metric,
                         const FeatureMatrix& rows, const Outcome& outcome, StagedFiles& staged,
                         std::optional<Progress>& progress) {
  if (settings.kind_of(feature).kind == IndexKind::Partitioned) {
    BuiltBundle built = build_partitioned(options, name, old, settings, feature, metric, rows, outcome, staged);
    if (progress) progress->advance(outcome.add_ids.size());
    return built;
  }
  const auto bundle_start = std::chrono::steady_clock::now();
  const fs::path& site = options.site;
  std::string file = bundle_file_name(name, feature.slug, metric);
  std::optional<VectorIndex> index;
  if (options.update) {
    for (const CollectionBundle& b : old->bundles)
      if (b.feature == feature.spec && b.metric == metric) file = b.file;
    index.emplace(load_bundle_file(site / "index" / file));
  } else {
    index.emplace(bundle_config(settings, feature, metric));
  }
  if (progress) progress->set_note(file);
  for (const std::uint32_t id : outcome.remove_ids) index->remove(id);
  const std::vector<std::uint32_t>& add_ids = outcome.add_ids;
  for (std::size_t first = 0; first < add_ids.size(); first += kAddChunk) {
    const std::size_t count = std::min(kAddChunk, add_ids.size() - first);
    index->add_many(add_ids.data() + first, rows.row(first), count,
                    options.reproducible ? 1 : thread_count(options.threads));
    if (progress) progress->advance(count);
    fail_if_interrupted(site);
  }
  if (index->size() != outcome.items.size())
    fail(ErrorKind::Corrupt, file + " would hold " + std::to_string(index->size()) + " items for " +
                                 std::to_string(outcome.items.size()) + " in the collection: rebuild without --update");
  const std::vector<std::uint8_t> bytes = index->save();
  staged.write(site / "index" / file, bytes.data(), bytes.size());
  BuiltBundle built;
  const IndexConfig& c = index->config();
  built.entry = {feature.spec, feature.slug, metric, file, c.kind, c.element, c.dim, index->size(), bytes.size()};
  built.added = add_ids.size();
  built.removed = outcome.remove_ids.size();
  built.seconds = seconds_since(bundle_start);
  return built;
}

void build_bundles(const IndexOptions& options, const std::string& name, const std::optional<Collection>& old,
                   const BundleSettings& settings, const FeatureExtraction& extraction, const Outcome& outcome,
                   StagedFiles& staged, IndexSummary& summary) {
  const std::size_t total_vectors = outcome.add_ids.size() * settings.features.size() * settings.metrics.size();
  std::optional<Progress> progress;
  if (options.show_progress && total_vectors > 0) progress.emplace("bundles", total_vectors, "vectors");
  for (std::size_t f = 0; f < settings.features.size(); ++f) {
    const FeatureMatrix rows = keep_rows(extraction.matrices[f], extraction.ok);
    for (const Metric metric : settings.metrics)
      summary.bundles.push_back(
          build_bundle(options, name, old, settings, settings.features[f], metric, rows, outcome, staged, progress));
  }
  if (progress) progress->finish();
}

// Step 4: model cards and files, sample queries, and the collection listing it all.
Collection assemble_collection(const IndexOptions& options, const std::string& name,
                               const std::optional<Collection>& old, const std::string& created,
                               const BundleSettings& settings,
                               const std::vector<std::optional<LoadedTextCard>>& text_towers, const Manifest& manifest,
                               const Outcome& outcome, const IndexSummary& summary, StagedFiles& staged) {
  Collection collection;
  collection.name = name;
  collection.title = !options.title.empty() ? options.title : old ? old->title : name;
  collection.created = created;
  for (const PlannedItem& p : outcome.items) collection.items.push_back(p.item);
  collection.labels = sorted_labels(collection.items);
  collection.licence_note = licence_note_for(collection.items);
  for (const BuiltBundle& b : summary.bundles) collection.bundles.push_back(b.entry);
  collection.defaults = preferred_defaults(collection.bundles);
  collection.models = stage_site_models(settings.features, text_towers, options.model, options.site, staged);
  collection.samples = stage_samples(pick_samples(outcome.items, options.samples), manifest, options.site, staged);
  if (pages_items(options.item_layout, collection.items.size())) collection.item_pages = page_items(collection);
  return collection;
}

}  // namespace

IndexSummary run_index(const IndexOptions& options) {
  if (!options.embeddings.empty()) return run_index_from_embeddings(options);
  const auto start = std::chrono::steady_clock::now();
  const fs::path& site = options.site;
  check_before_reading(options);
  const std::string created = build_timestamp();  // before any work: it refuses a bad SOURCE_DATE_EPOCH
  const IndexInput input = load_index_input(options.input, options.threads, options.show_progress);
  if (input.precomputed && options.update)
    fail(ErrorKind::InvalidArgument, "--update takes images or a manifest; build the collection from shards afresh");
  // Shards index their own feature unless told otherwise.
  IndexOptions chosen = options;
  if (input.precomputed && chosen.features.empty()) chosen.features = {input.precomputed->feature};
  const Manifest& manifest = input.manifest;
  const std::string name = options.name.empty() ? input.default_name : options.name;
  check_collection_name(name);
  const std::optional<Collection> old = existing_collection(options, name);

  IndexSummary summary;
  summary.name = name;
  summary.update = options.update;
  summary.input_kind = input.kind;
  IndexPlan plan = options.update ? plan_update(manifest, *old, site) : plan_fresh(manifest);
  const BundleSettings settings = options.update ? update_settings(options, *old, site, plan.items.size())
                                                 : fresh_settings(chosen, plan.items.size());
  // Checked before any feature is computed: a wrong --text-card fails early.
  const auto text_towers = choose_text_towers(settings.features, options.text, site / "models");
  const bool linked = links_thumbnails(options.thumbnails, planned_items(plan), old);
  if (linked) plan_linked_thumbnails(plan, manifest, collection_file(site, name));
  log_plan(options, name, plan, settings, !options.update && old);

  StagedFiles staged(site, name);
  std::vector<std::size_t> computed;
  const FeatureExtraction extraction =
      input.precomputed ? take_precomputed(options, *input.precomputed, plan, settings, staged, computed)
                        : decode_images(options, manifest, plan, settings, linked, staged, computed);
  const Outcome outcome = settle_items(plan, computed, extraction, site, summary);
  build_bundles(options, name, old, settings, extraction, outcome, staged, summary);
  const Collection collection =
      assemble_collection(options, name, old, created, settings, text_towers, manifest, outcome, summary, staged);
  const std::string sidecar = collection_to_json(collection);  // validated before anything moves
  stage_item_pages(staged, site, collection);
  fail_if_interrupted(site);

  staged.commit();
  write_file_atomic(collection_file(site, name), sidecar);
  register_collection(site, collection, options.make_default);
  remove_stale_files(old, collection, outcome.failed_thumbnails, site);

  summary.title = collection.title;
  summary.sidecar = collection_file(site, name).string();
  summary.items = collection.items.size();
  summary.removed = plan.removed.size();
  summary.changed = plan.changed;
  summary.kept = plan.kept;
  summary.thumbnails_written = linked ? 0 : outcome.add_ids.size();
  summary.thumbnails_reused = linked ? 0 : plan.kept;
  summary.thumbnails_linked = linked;
  summary.item_pages = collection.item_pages.count;
  for (const auto& m : collection.models) {
    summary.models.push_back(m.card);
    if (!m.text_card.empty()) summary.models.push_back(m.text_card);
  }
  summary.samples = collection.samples.size();
  summary.seconds = seconds_since(start);
  return summary;
}

}  // namespace lookalike::cli
