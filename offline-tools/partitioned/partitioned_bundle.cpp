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
#include "lookalike/metrics/kernels.h"
#include "partitioned/partitioned_files.h"

namespace lookalike::cli {

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
  BuiltBundle built;
  built.entry.feature = config.feature_spec;
  built.entry.slug = slug;
  built.entry.metric = config.metric;
  built.entry.file = header_file;
  built.entry.kind = IndexKind::Partitioned;
  built.entry.element = ElementType::Int8;
  built.entry.dim = config.dim;
  built.entry.count = rows.count;
  built.entry.bytes = bytes;
  built.entry.data_files = data_files;
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

double squared_distance(const float* a, const float* b, std::size_t dim) {
  return best_kernels().l2_squared(a, b, dim);
}

}  // namespace

BuiltBundle stage_partitioned_update(StagedFiles& staged, const std::filesystem::path& site,
                                     const std::string& header_file, const std::string& slug,
                                     const std::vector<std::uint32_t>& remove_ids, const PartitionedRows& added,
                                     bool show_progress) {
  const auto start = std::chrono::steady_clock::now();
  PartitionedFiles files = PartitionedFiles::open(site / "index" / header_file, 0);
  const PartitionedHeader& h = files.index().header();
  const IndexConfig& config = h.config;
  const std::size_t dim = config.dim, lists = h.lists.size();

  // New items to their nearest lists, and how far they are from them.
  std::vector<std::vector<std::size_t>> joining(lists);
  std::vector<float> prepared(dim);
  double new_distance = 0;
  for (std::size_t r = 0; r < added.count; ++r) {
    const std::uint32_t l = nearest_list(config.metric, h.centroids, dim, added.vector(r));
    joining[l].push_back(r);
    prepare_for_metric(config.metric, added.vector(r), prepared.data(), dim);
    new_distance += squared_distance(prepared.data(), &h.centroids[std::size_t(l) * dim], dim);
  }

  std::uint64_t bytes = 0;
  std::uint32_t data_files = 0;
  PartitionedParams params;
  params.nprobe = h.default_nprobe;
  params.rerank = h.default_rerank;
  params.seed = h.seed;
  PartitionedWriter writer(config, h.centroids, params, [&](std::uint32_t file, const std::vector<std::uint8_t>& data) {
    staged.write(site / "index" / PartitionedIndex::data_file_name(header_file, file), data.data(), data.size());
    bytes += data.size();
    data_files = file + 1;
  });
  const std::unordered_set<std::uint32_t> removed(remove_ids.begin(), remove_ids.end());
  std::optional<Progress> progress;
  if (show_progress) progress.emplace(header_file + ": lists", lists, "lists");
  double old_distance = 0;
  std::size_t old_count = 0, largest = 0, total = 0;
  std::vector<std::uint32_t> ids;
  std::vector<float> vectors;
  for (std::uint32_t l = 0; l < lists; ++l) {
    const std::shared_ptr<const PartitionedList> list = files.list(l);
    for (std::size_t i = 0; i < list->count(); i += 8) {  // a sample of the indexed items
      old_distance += squared_distance(list->vector(i).data(), &h.centroids[std::size_t(l) * dim], dim);
      ++old_count;
    }
    ids.clear();
    vectors.clear();
    for (const std::size_t r : joining[l]) {
      ids.push_back(added.id(r));
      vectors.insert(vectors.end(), added.vector(r), added.vector(r) + dim);
    }
    std::size_t kept = 0;
    for (const std::uint32_t id : list->ids()) kept += !removed.count(id);
    largest = std::max(largest, kept + ids.size());
    total += kept + ids.size();
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
  const std::vector<std::uint8_t> header = writer.finish();
  staged.write(site / "index" / header_file, header.data(), header.size());
  bytes += header.size();

  const double mean_old = old_count ? old_distance / double(old_count) : 0;
  const double mean_new = added.count ? new_distance / double(added.count) : 0;
  const double mean_list = lists ? double(total) / double(lists) : 0;
  if ((mean_old > 0 && mean_new > kDriftDistanceRatio * mean_old) ||
      (mean_list > 0 && double(largest) > kDriftListRatio * mean_list))
    log_warning(header_file + ": the lists have drifted (new items " +
                std::to_string(mean_new / std::max(mean_old, 1e-30)) +
                "x as far from their centroids as the indexed ones; the largest list " +
                std::to_string(double(largest) / std::max(mean_list, 1e-30)) +
                "x the mean): rebuilding without --update would train centroids that fit the collection again");

  BuiltBundle built;
  built.entry.feature = config.feature_spec;
  built.entry.slug = slug;
  built.entry.metric = config.metric;
  built.entry.file = header_file;
  built.entry.kind = IndexKind::Partitioned;
  built.entry.element = ElementType::Int8;
  built.entry.dim = config.dim;
  built.entry.count = total;
  built.entry.bytes = bytes;
  built.entry.data_files = data_files;
  built.added = added.count;
  built.removed = remove_ids.size();
  built.seconds = seconds_since(start);
  return built;
}

}  // namespace lookalike::cli
