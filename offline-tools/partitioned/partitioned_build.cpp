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

// Items per list the automatic choice aims at (cosine and correlation). On index_bench's clustered
// vectors (clusters of 20 items) lists about the size of the clusters are
// what keeps a million items searchable: a query's neighbours are then in
// one or two lists, where lists of a few hundred mix dozens of clusters and
// a query must probe a fifth of them (docs/BENCHMARKS.md). Small lists are
// also small ranges: ~10 kB at d = 512.
constexpr std::size_t kItemsPerList = 20;
// Up to this many lists FAISS's own k-means (every sample point against
// every centroid) is quick; beyond, the candidate k-means of
// kmeans_training.h trains them on every item.
constexpr std::uint32_t kFaissKmeansLists = 1024;
// From this many lists the header stores product-quantised centroids
// (partitioned_centroids.h): half floats would make it 2·dim bytes a list
// (4 MB at 2 048 lists of d = 512), codes make it dim/8.
constexpr std::uint32_t kProductQuantizedFrom = 2048;
constexpr std::size_t kDimsPerCodeByte = 8;
// Multiply-adds of one comparison of every item with every centroid above
// which the candidate k-means searches the centroids on sketches, the
// projections on kSketchDims principal components (kmeans_training.h; as
// good as every coordinate at 200 000 items, docs/BENCHMARKS.md), for kSketchedIterations,
// the worst-fitting kSketchedRefitFraction searching again after the
// second (at 1 000 000 items and 50 000 lists each full search is minutes;
// 6 iterations gathered fewer clusters into lists: docs/BENCHMARKS.md).
constexpr double kExhaustiveWork = 5e11;
constexpr std::size_t kSketchDims = 128;
constexpr int kSketchedIterations = 12;
constexpr double kSketchedRefitFraction = 0.25;
// Sketches rank a point's own centroid less surely than full vectors: more
// candidates are compared in full (64 instead of 16: recall@10 0.89 instead
// of 0.83 at a million items, docs/BENCHMARKS.md).
constexpr std::size_t kSketchedCandidates = 64;

// Cosine and correlation (unit vectors): one list per kItemsPerList items.
// L1 and L2 keep FAISS's rule of thumb, about 4·√N lists as a power of
// two: on vectors that are not normalised, k-means into small lists gives
// lists of very unequal sizes (points gather at the centroids nearest the
// origin), and at 100 000 items 5 000 such lists recall 0.85 at nprobe 32
// where 1 024 lists recall 0.97 at 64 (docs/BENCHMARKS.md).
bool small_lists(Metric metric) { return metric == Metric::Cosine || metric == Metric::Correlation; }

std::uint32_t automatic_lists(std::size_t items, Metric metric) {
  if (small_lists(metric)) return static_cast<std::uint32_t>(std::max<std::size_t>(1, items / kItemsPerList));
  const double target = 4.0 * std::sqrt(double(std::max<std::size_t>(items, 1)));
  std::uint32_t lists = 1;
  while (lists * 2 <= target && lists * 2 <= items / 8) lists *= 2;
  return lists;
}

// Probed lists by default: recall@10 ≥ 0.95 on the clustered vectors at
// 100 000 items for every metric (docs/BENCHMARKS.md): 32 small lists, or
// 3/16 of the larger lists of L1 and L2.
std::uint32_t automatic_nprobe(std::uint32_t lists, Metric metric) {
  if (small_lists(metric)) return std::min<std::uint32_t>(lists, 32);
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

// FAISS's k-means on a sample and FAISS's assignment of every vector, for
// few lists; the candidate k-means on every vector for many.
Partition train_partition(const IndexConfig& config, const PartitionedRows& rows, const PartitionedChoices& choices,
                          unsigned threads, const std::function<void(const char*, std::size_t, std::size_t)>& progress,
                          PartitionedBuildStats& s) {
  const std::size_t dim = config.dim;
  const auto prepare = [&](std::size_t row, float* out) {
    prepare_for_metric(config.metric, rows.vector(row), out, dim);
  };
  if (rows.count == 0) return {std::vector<float>(dim, 0.0f), {}};
  if (choices.lists > kFaissKmeansLists) {
    ManyListsSettings k;
    k.lists = choices.lists;
    // Compare with every centroid in full while that is quick (100 000
    // items in 5 000 lists: seconds an iteration), on sketches beyond.
    if (double(rows.count) * double(choices.lists) * double(dim) > kExhaustiveWork) {
      k.projected_dims = std::min<std::size_t>(dim, kSketchDims);
      k.iterations = kSketchedIterations;
      k.refit_fraction = kSketchedRefitFraction;
      k.candidates = kSketchedCandidates;
    }
    k.seed = choices.seed;
    k.spherical = config.metric == Metric::Cosine || config.metric == Metric::Correlation;
    k.threads = threads;
    return train_many_lists(prepare, rows.count, dim, k, [&](std::size_t done, std::size_t total) {
      if (progress) progress("training", done, total);
    });
  }
  const std::vector<std::size_t> sample = training_rows(rows.count, choices.lists * kPointsPerList, choices.seed);
  std::vector<float> prepared(sample.size() * dim);
  for (std::size_t i = 0; i < sample.size(); ++i) prepare(sample[i], &prepared[i * dim]);
  if (progress) progress("training", 0, 1);
  KmeansSettings k;
  k.lists = choices.lists;
  k.seed = choices.seed;
  k.points_per_list = kPointsPerList;
  k.threads = threads;
  Partition partition;
  partition.centroids =
      PartitionedCentroids::halves(train_centroids(prepared.data(), sample.size(), dim, k), dim).values();
  if (progress) progress("training", 1, 1);
  const auto start = std::chrono::steady_clock::now();
  std::vector<float> scratch(dim);
  partition.list_of = assign_to_centroids(
      partition.centroids, dim,
      [&](std::size_t row) {
        prepare(row, scratch.data());
        return scratch.data();
      },
      rows.count, threads,
      [&](std::size_t done) {
        if (progress) progress("assigning", done, rows.count);
      });
  s.assign_seconds = seconds_since(start);
  return partition;
}

// The centroids as the header stores them: half floats, or product-quantised for many lists.
PartitionedCentroids stored_centroids(const std::vector<float>& centroids, std::size_t dim, std::uint32_t lists,
                                      unsigned threads) {
  if (lists < kProductQuantizedFrom || dim % kDimsPerCodeByte != 0) return PartitionedCentroids::halves(centroids, dim);
  const auto code_bytes = static_cast<std::uint32_t>(dim / kDimsPerCodeByte);
  CentroidCodes codes = quantize_centroids(centroids, dim, code_bytes, threads);
  return PartitionedCentroids::product_quantized(dim, code_bytes, codes.codebook, std::move(codes.codes));
}

}  // namespace

PartitionedChoices resolve_partitioned_choices(const PartitionedChoices& asked, std::size_t items, Metric metric) {
  PartitionedChoices c = asked;
  if (c.lists == 0) c.lists = automatic_lists(items, metric);
  if (c.lists > partitioned::kMaxLists)
    fail(ErrorKind::InvalidArgument,
         "--lists " + std::to_string(c.lists) + " is over the limit " + std::to_string(partitioned::kMaxLists));
  if (items > 0 && c.lists > items)
    fail(ErrorKind::InvalidArgument,
         "--lists " + std::to_string(c.lists) + " is more than the " + std::to_string(items) + " items to index");
  if (c.nprobe == 0) c.nprobe = automatic_nprobe(c.lists, metric);
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
  const PartitionedChoices choices = resolve_partitioned_choices(asked, rows.count, config.metric);
  const std::size_t dim = config.dim;
  PartitionedBuildStats local;
  PartitionedBuildStats& s = stats ? *stats : local;
  s.choices = choices;

  // 1 and 2. Centroids, and every vector's list.
  auto start = std::chrono::steady_clock::now();
  Partition partition = train_partition(config, rows, choices, threads, progress, s);
  s.train_seconds = seconds_since(start);
  const std::vector<std::uint32_t>& assigned = partition.list_of;
  const PartitionedCentroids centroids = stored_centroids(partition.centroids, dim, choices.lists, threads);

  // 3. The lists, in order: rows grouped by list (a counting sort).
  start = std::chrono::steady_clock::now();
  const std::size_t lists = centroids.count();
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
