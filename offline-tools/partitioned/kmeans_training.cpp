#include "partitioned/kmeans_training.h"

#include <faiss/Clustering.h>
#include <faiss/IndexFlat.h>
#include <faiss/VectorTransform.h>
#include <faiss/impl/ProductQuantizer.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <numeric>
#include <random>

#include "lookalike/common/error.h"
#include "lookalike/common/parallel.h"

namespace lookalike::cli {
namespace {

using FaissId = faiss::Index::idx_t;  // faiss::idx_t from FAISS 1.7.4 on

// Rows searched per FAISS call: its BLAS path takes a block of queries
// against every centroid; this keeps the block's distances (rows × lists
// floats) near 64 MB for 4096 lists.
constexpr std::size_t kAssignBatch = 4096;

class OmpThreads {
 public:
  explicit OmpThreads(unsigned threads) : before_(omp_get_max_threads()) {
    omp_set_num_threads(static_cast<int>(thread_count(threads)));
  }
  ~OmpThreads() { omp_set_num_threads(before_); }

 private:
  int before_;
};

}  // namespace

std::vector<float> train_centroids(const float* sample, std::size_t rows, std::size_t dim,
                                   const KmeansSettings& settings) {
  if (settings.lists == 0 || rows < settings.lists)
    fail(ErrorKind::InvalidArgument, "k-means: " + std::to_string(rows) + " vectors cannot train " +
                                         std::to_string(settings.lists) + " lists (use fewer lists)");
  OmpThreads threads(settings.threads);
  faiss::ClusteringParameters params;
  params.niter = settings.iterations;
  params.seed = static_cast<int>(settings.seed & 0x7fffffff);
  params.max_points_per_centroid = static_cast<int>(std::max<std::size_t>(settings.points_per_list, 1));
  params.min_points_per_centroid = 1;  // small lists are intended: no warning on stderr for them
  params.verbose = false;
  faiss::Clustering clustering(static_cast<int>(dim), static_cast<int>(settings.lists), params);
  faiss::IndexFlatL2 index(static_cast<FaissId>(dim));
  try {
    clustering.train(static_cast<FaissId>(rows), sample, index);
  } catch (const std::exception& e) {
    fail(ErrorKind::InvalidArgument, std::string("k-means (FAISS) failed: ") + e.what());
  }
  return clustering.centroids;
}

std::vector<std::uint32_t> assign_to_centroids(const std::vector<float>& centroids, std::size_t dim,
                                               const std::function<const float*(std::size_t)>& prepared_row,
                                               std::size_t rows, unsigned threads,
                                               const std::function<void(std::size_t)>& progress) {
  OmpThreads omp(threads);
  faiss::IndexFlatL2 index(static_cast<FaissId>(dim));
  index.add(static_cast<FaissId>(centroids.size() / dim), centroids.data());
  std::vector<std::uint32_t> lists(rows);
  std::vector<float> batch, distances(kAssignBatch);
  std::vector<FaissId> labels(kAssignBatch);
  for (std::size_t first = 0; first < rows; first += kAssignBatch) {
    const std::size_t count = std::min(kAssignBatch, rows - first);
    batch.resize(count * dim);
    for (std::size_t i = 0; i < count; ++i) std::memcpy(&batch[i * dim], prepared_row(first + i), dim * sizeof(float));
    index.search(static_cast<FaissId>(count), batch.data(), 1, distances.data(), labels.data());
    for (std::size_t i = 0; i < count; ++i) lists[first + i] = static_cast<std::uint32_t>(labels[i]);
    if (progress) progress(first + count);
  }
  return lists;
}

namespace {

// Rows handed to one thread at a time, and projected or searched per FAISS call.
constexpr std::size_t kRowBlock = 1024;
constexpr std::size_t kSearchBlock = 16384;
// Worst-fitting points considered per list seeded again (reseed_orphans).
constexpr std::size_t kReseedPool = 8;
// Rows whose covariance gives the sketches' principal components.
constexpr std::size_t kPcaSample = 65536;

std::vector<std::size_t> distinct_rows(std::size_t rows, std::size_t wanted, std::mt19937_64& rng) {
  std::vector<std::size_t> all(rows);
  std::iota(all.begin(), all.end(), std::size_t{0});
  wanted = std::min(wanted, rows);
  for (std::size_t i = 0; i < wanted; ++i)
    std::swap(all[i], all[std::uniform_int_distribution<std::size_t>(i, rows - 1)(rng)]);
  all.resize(wanted);
  return all;
}

float squared_l2(const float* a, const float* b, std::size_t dim) {
  float s = 0;
  for (std::size_t j = 0; j < dim; ++j) {
    const float t = a[j] - b[j];
    s += t * t;
  }
  return s;
}

// What one k-means with candidate lists holds between its steps.
class CandidateKmeans {
 public:
  CandidateKmeans(const std::function<void(std::size_t, float*)>& prepare, std::size_t rows, std::size_t dim,
                  const ManyListsSettings& s)
      : prepare_(prepare),
        rows_(rows),
        dim_(dim),
        s_(s),
        lists_(s.lists),
        t_(std::min(s.candidates, s.lists)),
        rng_(s.seed),
        centroids_(lists_ * dim),
        candidates_(rows * t_),
        list_of_(rows),
        fit_(rows) {}

  // Initial centroids: distinct random rows.
  void start() { gather(distinct_rows(rows_, lists_, rng_), centroids_); }

  // Sketches: every vector projected on the `projected_dims` principal
  // components of a sample (FAISS's PCAMatrix). Where the data's variance
  // lies in fewer directions than it has coordinates (learned embeddings,
  // the clustered benchmark vectors), distances between sketches keep the
  // order of the full distances far better than a random projection of the
  // same width, which keeps only its share of every direction. Computed anew
  // for each search, which costs seconds where holding them would cost
  // rows × projected_dims floats (0.5 GB at a million rows).
  void start_sketches() {
    if (s_.projected_dims == 0) return;
    auto pca = std::make_unique<faiss::PCAMatrix>(static_cast<int>(dim_), static_cast<int>(s_.projected_dims));
    std::mt19937_64 rng(s_.seed ^ 0x9e3779b97f4a7c15ULL);  // a draw apart from the initial centroids
    std::vector<std::size_t> sample = distinct_rows(rows_, kPcaSample, rng);
    std::sort(sample.begin(), sample.end());
    std::vector<float> block;
    gather(sample, block);
    pca->train(static_cast<FaissId>(sample.size()), block.data());
    projection_ = std::move(pca);
  }

  // The `t_` nearest centroids (FAISS, exhaustively, in full or on the
  // sketches) of every row, or from `partial_from` on of the worst-fitting
  // rows only.
  void refresh_candidates(int iteration) {
    const std::size_t width = s_.projected_dims ? s_.projected_dims : dim_;
    faiss::IndexFlatL2 index(static_cast<FaissId>(width));
    if (projection_) {
      std::vector<float> sketched(lists_ * width);
      projection_->apply_noalloc(static_cast<FaissId>(lists_), centroids_.data(), sketched.data());
      index.add(static_cast<FaissId>(lists_), sketched.data());
    } else {
      index.add(static_cast<FaissId>(lists_), centroids_.data());
    }
    search_in_blocks(index, rows_to_search(iteration), t_, true,
                     [&](const std::vector<std::size_t>& some, const float*, const FaissId* labels) {
                       for (std::size_t i = 0; i < some.size() * t_; ++i)  // fewer than t_ found: repeat the nearest
                         candidates_[some[i / t_] * t_ + i % t_] =
                             std::uint32_t(labels[i] < 0 ? labels[(i / t_) * t_] : labels[i]);
                     });
  }

  // Every row to its nearest candidate or its current list, in full dimension.
  void assign(bool first) {
    const std::size_t blocks = (rows_ + kRowBlock - 1) / kRowBlock;
    parallel_for(blocks, thread_count(s_.threads), [&](std::size_t b) {
      std::vector<float> x(dim_);
      for (std::size_t i = b * kRowBlock; i < std::min(rows_, (b + 1) * kRowBlock); ++i) {
        prepare_(i, x.data());
        std::uint32_t best = first ? candidates_[i * t_] : list_of_[i];
        float best_distance = squared_l2(x.data(), &centroids_[std::size_t(best) * dim_], dim_);
        for (std::size_t c = 0; c < t_; ++c) {
          const std::uint32_t l = candidates_[i * t_ + c];
          const float d = squared_l2(x.data(), &centroids_[std::size_t(l) * dim_], dim_);
          if (d < best_distance || (d == best_distance && l < best)) {
            best = l;
            best_distance = d;
          }
        }
        list_of_[i] = best;
        fit_[i] = best_distance;
      }
    });
  }

  // Centroids to their rows' means; an empty list takes the worst-fitting rows.
  void update() {
    std::vector<double> sums(lists_ * dim_, 0.0);
    std::vector<std::size_t> counts(lists_, 0);
    std::vector<float> x(dim_);
    for (std::size_t i = 0; i < rows_; ++i) {
      prepare_(i, x.data());
      double* sum = &sums[std::size_t(list_of_[i]) * dim_];
      for (std::size_t j = 0; j < dim_; ++j) sum[j] += x[j];
      ++counts[list_of_[i]];
    }
    std::vector<std::size_t> worst(rows_);
    std::iota(worst.begin(), worst.end(), std::size_t{0});
    const std::size_t empty = static_cast<std::size_t>(std::count(counts.begin(), counts.end(), 0));
    std::partial_sort(worst.begin(), worst.begin() + std::min(empty, rows_), worst.end(), worse_fit());
    std::size_t next_worst = 0;
    for (std::size_t l = 0; l < lists_; ++l) {
      float* c = &centroids_[l * dim_];
      if (counts[l] == 0) {
        prepare_(worst[next_worst++], c);
        continue;
      }
      double norm = 0;
      for (std::size_t j = 0; j < dim_; ++j) norm += sums[l * dim_ + j] * sums[l * dim_ + j];
      const double scale = s_.spherical && norm > 0 ? 1.0 / std::sqrt(norm) : 1.0 / double(counts[l]);
      for (std::size_t j = 0; j < dim_; ++j) c[j] = static_cast<float>(sums[l * dim_ + j] * scale);
    }
  }

  // Lloyd's iterations leave some clusters of the data without a list of
  // their own: no initial centroid fell in them, so their points are
  // scattered over unrelated lists, each far from its centroid, and no
  // update gathers them (a query from such a cluster finds its neighbours
  // nowhere near the top of its probe order). Each call frees the
  // smallest lists (fragments of at most `small` times the mean size), up
  // to `share` of all, and seeds each freed list with one of the
  // worst-fitting points, one seed per orphan cluster: a candidate nearer
  // an earlier seed than twice the median fit (points of one cluster are
  // about that far apart) is passed over. The freed lists' points and the
  // worst-fitting ones search their nearest lists again in the next
  // iteration; the number of lists stays the same. Returns the lists
  // seeded again (docs/BENCHMARKS.md: recall@10 at 100 000 items 0.955 →
  // 0.97 at nprobe 32).
  std::size_t reseed_orphans(double share, double small) {
    std::vector<std::size_t> counts(lists_, 0);
    for (const std::uint32_t l : list_of_) ++counts[l];
    const double mean = double(rows_) / double(lists_);
    std::vector<std::uint32_t> tiny;
    for (std::uint32_t l = 0; l < lists_; ++l)
      if (double(counts[l]) <= small * mean) tiny.push_back(l);
    std::sort(tiny.begin(), tiny.end(),
              [&](auto a, auto b) { return counts[a] < counts[b] || (counts[a] == counts[b] && a < b); });
    const std::size_t wanted = std::min(tiny.size(), static_cast<std::size_t>(share * double(lists_)));
    if (wanted == 0) return 0;
    std::vector<std::uint8_t> freed(lists_, 0);
    for (std::size_t i = 0; i < wanted; ++i) freed[tiny[i]] = 1;

    std::vector<float> fits(fit_);
    std::nth_element(fits.begin(), fits.begin() + fits.size() / 2, fits.end());
    const float near = 2.0f * fits[fits.size() / 2];
    std::vector<std::size_t> worst;
    for (std::size_t i = 0; i < rows_; ++i)
      if (!freed[list_of_[i]]) worst.push_back(i);
    const std::size_t pool = std::min(worst.size(), wanted * kReseedPool);
    std::partial_sort(worst.begin(), worst.begin() + pool, worst.end(), worse_fit());
    worst.resize(pool);

    std::vector<float> seeds, x(dim_);
    std::size_t seeded = 0;
    for (const std::size_t row : worst) {
      if (seeded == wanted) break;
      prepare_(row, x.data());
      bool taken = false;
      for (std::size_t k = 0; k < seeded && !taken; ++k) taken = squared_l2(x.data(), &seeds[k * dim_], dim_) < near;
      if (taken) continue;
      seeds.insert(seeds.end(), x.begin(), x.end());
      std::copy(x.begin(), x.end(), centroids_.begin() + std::size_t(tiny[seeded]) * dim_);
      ++seeded;
    }
    for (std::size_t i = 0; i < rows_; ++i)
      if (freed[list_of_[i]]) fit_[i] = std::numeric_limits<float>::infinity();  // search again
    return seeded;
  }

  // Candidates found on sketches miss some points' nearest centroid, and
  // such a point stays in an unrelated list, far from its neighbours' list.
  // At the end, the worst-fitting `fraction` of the points (where those
  // are) search every centroid on every coordinate (FAISS, by BLAS) and
  // move to their nearest.
  void polish(double fraction) {
    const auto count = static_cast<std::size_t>(fraction * double(rows_));
    if (count == 0) return;
    std::vector<std::size_t> ids(rows_);
    std::iota(ids.begin(), ids.end(), std::size_t{0});
    std::partial_sort(ids.begin(), ids.begin() + count, ids.end(), worse_fit());
    ids.resize(count);
    std::sort(ids.begin(), ids.end());
    faiss::IndexFlatL2 index(static_cast<FaissId>(dim_));
    index.add(static_cast<FaissId>(lists_), centroids_.data());
    search_in_blocks(index, ids, 1, false,
                     [&](const std::vector<std::size_t>& some, const float* distances, const FaissId* labels) {
                       for (std::size_t i = 0; i < some.size(); ++i)
                         if (labels[i] >= 0) {  // the nearest of the final centroids
                           list_of_[some[i]] = static_cast<std::uint32_t>(labels[i]);
                           fit_[some[i]] = distances[i];
                         }
                     });
  }

  Partition result() { return {std::move(centroids_), std::move(list_of_)}; }

 private:
  // Orders rows worst-fitting first (the largest distance to their list), ties by row.
  struct WorseFit {
    const std::vector<float>& fit;
    bool operator()(std::size_t a, std::size_t b) const { return fit[a] > fit[b] || (fit[a] == fit[b] && a < b); }
  };
  WorseFit worse_fit() const { return {fit_}; }

  // The `k` nearest of `index`'s vectors for each row of `ids`, searched by
  // FAISS kSearchBlock rows at a time (as sketches when `sketched` and the
  // k-means has them); `found` gets each block's rows, distances and labels.
  void search_in_blocks(
      const faiss::Index& index, const std::vector<std::size_t>& ids, std::size_t k, bool sketched,
      const std::function<void(const std::vector<std::size_t>&, const float*, const FaissId*)>& found) const {
    const bool project = sketched && projection_;
    std::vector<float> block, sketches, distances(kSearchBlock * k);
    std::vector<FaissId> labels(kSearchBlock * k);
    for (std::size_t first = 0; first < ids.size(); first += kSearchBlock) {
      const std::size_t n = std::min(kSearchBlock, ids.size() - first);
      const std::vector<std::size_t> some(ids.begin() + first, ids.begin() + first + n);
      gather(some, block);
      if (project) {
        sketches.resize(n * s_.projected_dims);
        projection_->apply_noalloc(static_cast<FaissId>(n), block.data(), sketches.data());
        block.swap(sketches);
      }
      index.search(static_cast<FaissId>(n), block.data(), static_cast<FaissId>(k), distances.data(), labels.data());
      found(some, distances.data(), labels.data());
    }
  }

  void gather(const std::vector<std::size_t>& ids, std::vector<float>& out) const {
    out.resize(ids.size() * dim_);
    for (std::size_t i = 0; i < ids.size(); ++i) prepare_(ids[i], &out[i * dim_]);
  }

  // Every row, or from `partial_from` on the `refit_fraction` that fit
  // their lists worst (the largest distances), in row order.
  std::vector<std::size_t> rows_to_search(int iteration) const {
    std::vector<std::size_t> ids;
    if (iteration < s_.partial_from || s_.refit_fraction >= 1) {
      ids.resize(rows_);
      std::iota(ids.begin(), ids.end(), std::size_t{0});
      return ids;
    }
    const auto worst = static_cast<std::size_t>(s_.refit_fraction * double(rows_));
    if (worst == 0) return ids;
    std::vector<float> fits(fit_);
    std::nth_element(fits.begin(), fits.begin() + (rows_ - worst), fits.end());
    const float threshold = fits[rows_ - worst];
    for (std::size_t i = 0; i < rows_; ++i)
      if (fit_[i] >= threshold) ids.push_back(i);
    return ids;
  }

  const std::function<void(std::size_t, float*)>& prepare_;
  std::size_t rows_, dim_;
  ManyListsSettings s_;
  std::size_t lists_, t_;
  std::mt19937_64 rng_;
  std::vector<float> centroids_;
  std::vector<std::uint32_t> candidates_, list_of_;
  std::vector<float> fit_;
  std::unique_ptr<faiss::LinearTransform> projection_;
};

}  // namespace

Partition train_many_lists(const std::function<void(std::size_t, float*)>& prepare, std::size_t rows, std::size_t dim,
                           const ManyListsSettings& settings,
                           const std::function<void(std::size_t, std::size_t)>& progress) {
  if (settings.lists == 0 || rows < settings.lists)
    fail(ErrorKind::InvalidArgument, "k-means: " + std::to_string(rows) + " vectors cannot train " +
                                         std::to_string(settings.lists) + " lists (use fewer lists)");
  OmpThreads omp(settings.threads);
  CandidateKmeans kmeans(prepare, rows, dim, settings);
  const std::size_t steps = static_cast<std::size_t>(std::max(settings.iterations, 1));
  const bool polish = settings.projected_dims > 0 && settings.polish_fraction > 0;
  const std::size_t total = steps + (polish ? 1 : 0);  // the final search counts as a step
  if (progress) progress(0, total);
  try {
    kmeans.start();
    kmeans.start_sketches();
    for (std::size_t it = 0; it < steps; ++it) {
      kmeans.refresh_candidates(static_cast<int>(it));
      kmeans.assign(it == 0);
      kmeans.update();
      // Not in the last iterations: the freed lists' points need them to settle.
      if (settings.reseed_share > 0 && it + 2 < steps)
        kmeans.reseed_orphans(settings.reseed_share, settings.reseed_small);
      if (progress) progress(it + 1, total);
    }
    if (polish) {
      kmeans.polish(settings.polish_fraction);
      if (progress) progress(total, total);
    }
  } catch (const std::exception& e) {
    fail(ErrorKind::InvalidArgument, std::string("k-means (FAISS) failed: ") + e.what());
  }
  return kmeans.result();
}

CentroidCodes quantize_centroids(const std::vector<float>& centroids, std::size_t dim, std::uint32_t code_bytes,
                                 unsigned threads) {
  const std::size_t lists = centroids.size() / dim;
  if (lists < 256 || code_bytes == 0 || dim % code_bytes != 0)
    fail(ErrorKind::InvalidArgument,
         "product-quantised centroids need at least 256 lists and code bytes dividing "
         "the dimension (" +
             std::to_string(lists) + " lists, " + std::to_string(code_bytes) + " bytes, dimension " +
             std::to_string(dim) + ")");
  OmpThreads omp(threads);
  faiss::ProductQuantizer pq(dim, code_bytes, 8);
  pq.verbose = false;
  pq.cp.min_points_per_centroid = 1;  // a few thousand centroids train 256 sub-vectors well: no warning
  CentroidCodes out;
  try {
    pq.train(static_cast<FaissId>(lists), centroids.data());
    out.codes.resize(lists * code_bytes);
    pq.compute_codes(centroids.data(), out.codes.data(), lists);
  } catch (const std::exception& e) {
    fail(ErrorKind::InvalidArgument, std::string("product quantisation (FAISS) failed: ") + e.what());
  }
  out.codebook = pq.centroids;
  return out;
}

}  // namespace lookalike::cli
