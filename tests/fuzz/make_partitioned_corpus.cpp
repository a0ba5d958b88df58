// Writes the partitioned loader fuzzer's seed corpus: small valid indexes of
// every metric (u32 header length, header, data file 0), into a folder.
//   make_partitioned_corpus <folder>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "../support/partitioned_build.h"
#include "lookalike/common/error.h"

using namespace lookalike;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_partitioned_corpus <folder>\n");
    return 2;
  }
  int written = 0;
  for (const Metric metric : kAllMetrics) {
    for (const std::uint32_t count : {0u, 1u, 9u, 40u}) {
      const std::uint32_t dim = 3 + count % 5;
      IndexConfig config;
      config.feature_spec = "fuzz";
      config.metric = metric;
      config.dim = dim;
      config.kind = IndexKind::Partitioned;
      config.element = ElementType::Int8;
      std::mt19937 rng(count * 7 + dim);
      std::normal_distribution<float> normal(0.0f, 1.0f);
      std::vector<float> vectors(std::size_t(count) * dim);
      for (float& x : vectors) x = normal(rng);
      std::vector<std::uint32_t> ids(count);
      for (std::uint32_t i = 0; i < count; ++i) ids[i] = i * 3 + 1;
      const std::size_t lists = count < 4 ? 1 : 4;
      const testing::BuiltPartitioned built =
          testing::build_partitioned(config, vectors.data(), ids.data(), count, lists, 1, 5);
      std::vector<std::uint8_t> input(4);
      const std::uint32_t n = static_cast<std::uint32_t>(built.header.size());
      for (int i = 0; i < 4; ++i) input[i] = static_cast<std::uint8_t>(n >> (8 * i));
      input.insert(input.end(), built.header.begin(), built.header.end());
      input.insert(input.end(), built.files[0].begin(), built.files[0].end());
      const std::string path = std::string(argv[1]) + "/" + metric_name(metric) + "-" + std::to_string(count);
      FILE* f = std::fopen(path.c_str(), "wb");
      if (!f || std::fwrite(input.data(), 1, input.size(), f) != input.size() || std::fclose(f) != 0) {
        std::fprintf(stderr, "cannot write %s\n", path.c_str());
        return 1;
      }
      ++written;
    }
  }
  std::printf("%d seeds written\n", written);
  return 0;
}
