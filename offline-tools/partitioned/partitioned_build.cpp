#include "partitioned/partitioned_build.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "common/clock.h"
#include "lookalike/common/error.h"
#include "lookalike/index/partitioned_format.h"
#include "partitioned/kmeans_training.h"

namespace lookalike::cli {
namespace {

// Training sample size per list (kmeans_training.h says why 64).
constexpr std::size_t kPointsPerList = 64;

// Lists: about 4·√N (FAISS's rule of thumb) rounded to a power of two, so
// that a list holds about √N/4 items: 4096 lists of ~244 items at a million,
// 1024 of ~98 at 100 000. The centroids then weigh 2·dim bytes each in the
// header (4 MB at a million, d = 512), and a query's lists a few MB.
std::uint32_t automatic_lists(std::size_t items) {
  const double target = 4.0 * std::sqrt(double(std::max<std::size_t>(items, 1)));
  std::uint32_t lists = 1;
  while (lists * 2 <= target && lists * 2 <= items / 8) lists *= 2;
  return lists;
}

// Probed lists by default: 3/16 of them. On clustered synthetic vectors of
// d = 512 (docs/BENCHMARKS.md, partitioned_bench) that reaches recall@10
// 0.96 (cosine, correlation) to 0.99 (L1, L2) at 100 000 items and 1024
// lists; at a million items and 2048 lists it gives 0.85 (more lists must
// be probed there for 0.95, at a cost in bytes the benchmark shows).
std::uint32_t automatic_nprobe(std::uint32_t lists) {
  return std::min(lists, std::max<std::uint32_t>(8, lists * 3 / 16));
}

// Candidates scored with the metric's value: the int8 surrogate orders them
// almost exactly already, so a few times k is plenty.
constexpr std::uint32_t kAutomaticRerank = 40;

std::vector<std::size_t> training_rows(std::size_t count, std::size_t wanted, std::uint64_t seed) {
  std::vector<std::size_t> rows(count);
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  if (wanted >= count) return rows;
  std::mt19937_64 rng(seed);
  for (std::size_t i = 0; i < wanted; ++i) {
    std::uniform_int_distribution<std::size_t> pick(i, count - 1);
    std::swap(rows[i], rows[pick(rng)]);
  }
  rows.resize(wanted);
  std::sort(rows.begin(), rows.end());  // read the source in order
  return rows;
}

}  // namespace

PartitionedChoices resolve_partitioned_choices(const PartitionedChoices& asked, std::size_t items) {
  PartitionedChoices c = asked;
  if (c.lists == 0) c.lists = automatic_lists(items);
  if (c.lists > partitioned::kMaxLists)
    fail(ErrorKind::InvalidArgument,
         "--lists " + std::to_string(c.lists) + " is over the limit " + std::to_string(partitioned::kMaxLists));
  if (items > 0 && c.lists > items)
    fail(ErrorKind::InvalidArgument,
         "--lists " + std::to_string(c.lists) + " is more than the " + std::to_string(items) + " items to index");
  if (c.nprobe == 0) c.nprobe = automatic_nprobe(c.lists);
  if (c.nprobe > c.lists)
    fail(ErrorKind::InvalidArgument,
         "--nprobe " + std::to_string(c.nprobe) + " is more than the " + std::to_string(c.lists) + " lists");
  if (c.rerank == 0) c.rerank = kAutomaticRerank;
  if (c.rerank > partitioned::kMaxRerank)
    fail(ErrorKind::InvalidArgument,
         "--rerank " + std::to_string(c.rerank) + " is over the limit " + std::to_string(partitioned::kMaxRerank));
  return c;
}

std::vector<std::uint8_t> build_partitioned_index(
    const IndexConfig& config, const PartitionedRows& rows, const PartitionedChoices& asked, unsigned threads,
    const PartitionedWriter::EmitFile& emit, const std::function<void(const char*, std::size_t, std::size_t)>& progress,
    PartitionedBuildStats* stats) {
  const PartitionedChoices choices = resolve_partitioned_choices(asked, rows.count);
  const std::size_t dim = config.dim;
  PartitionedBuildStats local;
  PartitionedBuildStats& s = stats ? *stats : local;
  s.choices = choices;

  // 1. Centroids from a sample of prepared vectors.
  auto start = std::chrono::steady_clock::now();
  std::vector<float> centroids(dim, 0.0f);
  if (rows.count > 0) {
    const std::vector<std::size_t> sample = training_rows(rows.count, choices.lists * kPointsPerList, choices.seed);
    std::vector<float> prepared(sample.size() * dim);
    for (std::size_t i = 0; i < sample.size(); ++i)
      prepare_for_metric(config.metric, rows.vector(sample[i]), &prepared[i * dim], dim);
    if (progress) progress("training", 0, 1);
    KmeansSettings k;
    k.lists = choices.lists;
    k.seed = choices.seed;
    k.points_per_list = kPointsPerList;
    k.threads = threads;
    centroids = train_centroids(prepared.data(), sample.size(), dim, k);
    if (progress) progress("training", 1, 1);
  }
  centroids = stored_centroids(centroids);
  s.train_seconds = seconds_since(start);

  // 2. Every vector to its nearest centroid.
  start = std::chrono::steady_clock::now();
  std::vector<float> scratch(dim);
  const std::vector<std::uint32_t> assigned = assign_to_centroids(
      centroids, dim,
      [&](std::size_t row) {
        prepare_for_metric(config.metric, rows.vector(row), scratch.data(), dim);
        return scratch.data();
      },
      rows.count, threads,
      [&](std::size_t done) {
        if (progress) progress("assigning", done, rows.count);
      });
  s.assign_seconds = seconds_since(start);

  // 3. The lists, in order: rows grouped by list (a counting sort).
  start = std::chrono::steady_clock::now();
  const std::size_t lists = centroids.size() / dim;
  std::vector<std::size_t> first(lists + 1, 0);
  for (const std::uint32_t l : assigned) ++first[l + 1];
  for (std::size_t l = 0; l < lists; ++l) {
    s.largest_list = std::max(s.largest_list, first[l + 1]);
    s.empty_lists += first[l + 1] == 0;
    first[l + 1] += first[l];
  }
  std::vector<std::size_t> members(rows.count);
  {
    std::vector<std::size_t> next(first.begin(), first.end() - 1);
    for (std::size_t row = 0; row < rows.count; ++row) members[next[assigned[row]]++] = row;
  }
  PartitionedParams params;
  params.nprobe = choices.nprobe;
  params.rerank = choices.rerank;
  params.seed = choices.seed;
  PartitionedWriter writer(config, centroids, params, emit);
  std::vector<std::uint32_t> ids;
  std::vector<float> vectors;
  for (std::size_t l = 0; l < lists; ++l) {
    const std::size_t n = first[l + 1] - first[l];
    ids.resize(n);
    vectors.resize(n * dim);
    for (std::size_t j = 0; j < n; ++j) {
      const std::size_t row = members[first[l] + j];
      ids[j] = rows.id(row);
      std::copy(rows.vector(row), rows.vector(row) + dim, vectors.begin() + j * dim);
    }
    writer.add_list(ids.data(), vectors.data(), n);
    if (progress) progress("writing", first[l + 1], rows.count);
  }
  std::vector<std::uint8_t> header = writer.finish();
  s.write_seconds = seconds_since(start);
  return header;
}

}  // namespace lookalike::cli
