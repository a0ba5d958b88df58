#include "partitioned/partitioned_bundle.h"

#include <algorithm>
#include <optional>
#include <unordered_set>

#include "common/clock.h"
#include "common/log.h"
#include "common/progress.h"
#include "lookalike/common/error.h"
#include "lookalike/index/partitioned_index.h"
#include "lookalike/index/partitioned_writer.h"
#include "partitioned/partitioned_files.h"

namespace lookalike::cli {
namespace {

// The collection's entry for a partitioned index as written.
BuiltBundle partitioned_built(const IndexConfig& config, const std::string& slug, const std::string& header_file,
                              std::size_t count, std::uint64_t bytes, std::uint32_t data_files) {
  BuiltBundle built;
  built.entry.feature = config.feature_spec;
  built.entry.slug = slug;
  built.entry.metric = config.metric;
  built.entry.file = header_file;
  built.entry.kind = IndexKind::Partitioned;
  built.entry.element = ElementType::Int8;
  built.entry.dim = config.dim;
  built.entry.count = count;
  built.entry.bytes = bytes;
  built.entry.data_files = data_files;
  return built;
}

}  // namespace

BuiltBundle stage_partitioned_bundle(StagedFiles& staged, const std::filesystem::path& site,
                                     const std::string& header_file, const std::string& slug, const IndexConfig& config,
                                     const PartitionedRows& rows, const PartitionedChoices& choices, unsigned threads,
                                     bool show_progress) {
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t bytes = 0;
  std::uint32_t data_files = 0;
  const auto emit = [&](std::uint32_t file, const std::vector<std::uint8_t>& data) {
    staged.write(site / "index" / PartitionedIndex::data_file_name(header_file, file), data.data(), data.size());
    bytes += data.size();
    data_files = file + 1;
  };
  std::optional<Progress> progress;
  std::string stage;
  std::size_t reported = 0;
  const auto report = [&](const char* name, std::size_t done, std::size_t total) {
    if (!show_progress) return;
    if (stage != name) {
      if (progress) progress->finish();
      stage = name;
      progress.emplace(header_file + ": " + name, total, std::string(name) == "training" ? "steps" : "vectors");
      reported = 0;
    }
    if (done > reported) progress->advance(done - reported);
    reported = done;
  };
  PartitionedBuildStats stats;
  const std::vector<std::uint8_t> header =
      build_partitioned_index(config, rows, choices, threads, emit, report, &stats);
  if (progress) progress->finish();
  staged.write(site / "index" / header_file, header.data(), header.size());
  bytes += header.size();
  log_info(header_file + ": " + std::to_string(stats.choices.lists) + " lists (largest " +
           std::to_string(stats.largest_list) + " items, " + std::to_string(stats.empty_lists) + " empty), nprobe " +
           std::to_string(stats.choices.nprobe) + ", " + std::to_string(data_files) + " data file(s); k-means " +
           std::to_string(int(stats.train_seconds)) + " s, assignment " + std::to_string(int(stats.assign_seconds)) +
           " s, lists " + std::to_string(int(stats.write_seconds)) + " s");
  BuiltBundle built = partitioned_built(config, slug, header_file, rows.count, bytes, data_files);
  built.added = rows.count;
  built.seconds = seconds_since(start);
  return built;
}

namespace {

// A new item farther than this from its centroid (squared L2, against the
// indexed items' mean) means the centroids no longer describe the data; a
// list this many times the mean size makes its queries slow and heavy.
constexpr double kDriftDistanceRatio = 1.5;
constexpr double kDriftListRatio = 4.0;

// New items by the list of their nearest centroid, and their mean distance to it.
struct Joining {
  std::vector<std::vector<std::size_t>> rows;  // per list
  double mean_distance = 0;
};

Joining join_nearest_lists(const PartitionedIndex& index, const PartitionedRows& added) {
  const PartitionedHeader& h = index.header();
  const std::size_t dim = h.config.dim;
  Joining joining;
  joining.rows.resize(h.lists.size());
  std::vector<float> prepared(dim);
  double distance = 0;
  for (std::size_t r = 0; r < added.count; ++r) {
    const std::uint32_t l = index.nearest_list(added.vector(r));
    joining.rows[l].push_back(r);
    prepare_for_metric(h.config.metric, added.vector(r), prepared.data(), dim);
    distance += h.centroids.distance(prepared.data(), l);
  }
  joining.mean_distance = added.count ? distance / double(added.count) : 0;
  return joining;
}

// What rewriting the lists saw: the indexed items' mean distance to their
// centroid (a sample), the largest list and all items after the update.
struct RewriteStats {
  double mean_distance = 0;
  std::size_t largest = 0, total = 0;
};

// Every list again: its kept items, then the items joining it.
RewriteStats rewrite_lists(PartitionedFiles& files, PartitionedWriter& writer, const Joining& joining,
                           const std::unordered_set<std::uint32_t>& removed, const PartitionedRows& added,
                           const std::string& header_file, bool show_progress) {
  const PartitionedHeader& h = files.index().header();
  const std::size_t dim = h.config.dim, lists = h.lists.size();
  std::optional<Progress> progress;
  if (show_progress) progress.emplace(header_file + ": lists", lists, "lists");
  RewriteStats stats;
  double old_distance = 0;
  std::size_t old_count = 0;
  std::vector<std::uint32_t> ids;
  std::vector<float> vectors;
  for (std::uint32_t l = 0; l < lists; ++l) {
    const std::shared_ptr<const PartitionedList> list = files.list(l);
    for (std::size_t i = 0; i < list->count(); i += 8) {  // a sample of the indexed items
      old_distance += h.centroids.distance(list->vector(i).data(), l);
      ++old_count;
    }
    ids.clear();
    vectors.clear();
    for (const std::size_t r : joining.rows[l]) {
      ids.push_back(added.id(r));
      vectors.insert(vectors.end(), added.vector(r), added.vector(r) + dim);
    }
    std::size_t kept = 0;
    for (const std::uint32_t id : list->ids()) kept += !removed.count(id);
    stats.largest = std::max(stats.largest, kept + ids.size());
    stats.total += kept + ids.size();
    try {
      writer.add_list_updated(
          *list, [&removed](std::uint32_t id) { return removed.count(id) > 0; }, ids.data(), vectors.data(),
          ids.size());
    } catch (const Error& e) {
      fail(e.kind(), header_file + ": " + e.what() + " (rebuild the collection without --update)");
    }
    if (progress) progress->advance(1);
  }
  if (progress) progress->finish();
  stats.mean_distance = old_count ? old_distance / double(old_count) : 0;
  return stats;
}

void warn_if_drifted(const std::string& header_file, const Joining& joining, const RewriteStats& stats,
                     std::size_t lists) {
  const double mean_old = stats.mean_distance, mean_new = joining.mean_distance;
  const double mean_list = lists ? double(stats.total) / double(lists) : 0;
  if ((mean_old > 0 && mean_new > kDriftDistanceRatio * mean_old) ||
      (mean_list > 0 && double(stats.largest) > kDriftListRatio * mean_list))
    log_warning(header_file + ": the lists have drifted (new items " +
                std::to_string(mean_new / std::max(mean_old, 1e-30)) +
                "x as far from their centroids as the indexed ones; the largest list " +
                std::to_string(double(stats.largest) / std::max(mean_list, 1e-30)) +
                "x the mean): rebuilding without --update would train centroids that fit the collection again");
}

}  // namespace

BuiltBundle stage_partitioned_update(StagedFiles& staged, const std::filesystem::path& site,
                                     const std::string& header_file, const std::string& slug,
                                     const std::vector<std::uint32_t>& remove_ids, const PartitionedRows& added,
                                     bool show_progress) {
  const auto start = std::chrono::steady_clock::now();
  PartitionedFiles files = PartitionedFiles::open(site / "index" / header_file, 0);
  const PartitionedHeader& h = files.index().header();
  const Joining joining = join_nearest_lists(files.index(), added);

  std::uint64_t bytes = 0;
  std::uint32_t data_files = 0;
  PartitionedParams params;
  params.nprobe = h.default_nprobe;
  params.rerank = h.default_rerank;
  params.seed = h.seed;
  PartitionedWriter writer(
      h.config, h.centroids, params, [&](std::uint32_t file, const std::vector<std::uint8_t>& data) {
        staged.write(site / "index" / PartitionedIndex::data_file_name(header_file, file), data.data(), data.size());
        bytes += data.size();
        data_files = file + 1;
      });
  const std::unordered_set<std::uint32_t> removed(remove_ids.begin(), remove_ids.end());
  const RewriteStats stats = rewrite_lists(files, writer, joining, removed, added, header_file, show_progress);
  const std::vector<std::uint8_t> header = writer.finish();
  staged.write(site / "index" / header_file, header.data(), header.size());
  bytes += header.size();
  warn_if_drifted(header_file, joining, stats, h.lists.size());

  BuiltBundle built = partitioned_built(h.config, slug, header_file, stats.total, bytes, data_files);
  built.added = added.count;
  built.removed = remove_ids.size();
  built.seconds = seconds_since(start);
  return built;
}

}  // namespace lookalike::cli
