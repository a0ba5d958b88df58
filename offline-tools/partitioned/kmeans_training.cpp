#include "partitioned/kmeans_training.h"

#include <faiss/Clustering.h>
#include <faiss/IndexFlat.h>
#include <omp.h>

#include <algorithm>
#include <cstring>

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

}  // namespace lookalike::cli
