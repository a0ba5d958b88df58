#include "partitioned/partitioned_bundle.h"

#include <optional>

#include "common/clock.h"
#include "common/log.h"
#include "common/progress.h"
#include "lookalike/index/partitioned_index.h"

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

}  // namespace lookalike::cli
