// Writes the fuzzer's seed corpus: small valid bundles of every kind, element
// type and metric, with and without removed items, into the given folder.
//   make_bundle_corpus <folder>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "index/index_test_support.h"
#include "lookalike/common/error.h"
#include "lookalike/index/vector_index.h"

using namespace lookalike;

namespace {

std::vector<std::uint8_t> bundle(Metric metric, IndexKind kind, ElementType element, bool keep_floats,
                                 std::uint32_t dim, std::uint32_t count, std::uint32_t removed) {
  IndexConfig config = testing::index_config(metric, dim, kind, element, keep_floats);
  config.feature_spec = "fuzz";
  config.hnsw.m = 3;
  config.hnsw.ef_construction = 20;
  VectorIndex index(config);
  std::mt19937 rng(count * 31 + dim);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> v(dim);
  for (std::uint32_t id = 0; id < count; ++id) {
    for (float& x : v) x = normal(rng);
    index.add(id * 5 + 1, v.data());
  }
  for (std::uint32_t id = 0; id < removed; ++id) index.remove(id * 5 + 1);
  return index.save();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_bundle_corpus <folder>\n");
    return 2;
  }
  struct Seed {
    const char* name;
    std::vector<std::uint8_t> bytes;
  };
  const Seed seeds[] = {
      {"hnsw-float32-cosine", bundle(Metric::Cosine, IndexKind::Hnsw, ElementType::Float32, false, 4, 24, 2)},
      {"hnsw-int8-l2", bundle(Metric::L2, IndexKind::Hnsw, ElementType::Int8, false, 5, 20, 1)},
      {"hnsw-int8-floats-correlation", bundle(Metric::Correlation, IndexKind::Hnsw, ElementType::Int8, true, 3, 12, 0)},
      {"hnsw-float32-l1-one", bundle(Metric::L1, IndexKind::Hnsw, ElementType::Float32, false, 2, 1, 0)},
      {"hnsw-empty", bundle(Metric::L2, IndexKind::Hnsw, ElementType::Float32, false, 3, 0, 0)},
      {"flat-float32-l1", bundle(Metric::L1, IndexKind::Flat, ElementType::Float32, false, 4, 10, 0)},
      {"flat-int8-cosine", bundle(Metric::Cosine, IndexKind::Flat, ElementType::Int8, false, 6, 8, 0)},
  };
  for (const Seed& seed : seeds) {
    const std::string path = std::string(argv[1]) + "/" + seed.name + ".lkx";
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f || std::fwrite(seed.bytes.data(), 1, seed.bytes.size(), f) != seed.bytes.size() || std::fclose(f) != 0) {
      std::fprintf(stderr, "make_bundle_corpus: cannot write %s\n", path.c_str());
      return 1;
    }
  }
  return 0;
}
