// The traditional features checked on real photographs: WANG (Corel-1K,
// 1000 images in 10 classes of 100), leave-one-out, every image querying the
// other 999 with exact search, ties to the lower index, exactly as the
// dataset README's reference table was measured.
//
// - pixels:size=32 and colour:bins=8x4x4 must agree with that independent
//   reference, P@10 and mAP within 0.002. The reference is rounded to the
//   third decimal and the gaps measured here are at most 0.0013 (P@10,
//   colour with L2 and cosine) and 0.0006 (mAP), so 0.002 leaves rounding
//   room only: an implementation difference (resize filter, HSV binning)
//   moves them further.
// - colour-texture must reach P@10 ≥ 0.80 with every metric, and stay within
//   0.002 of what it measured when it was designed (0.833, 0.809, 0.809, 0.815).
//
// Skips, saying so, when ../shared/datasets/wang1k is absent.
#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <exception>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "lookalike/eval/measures.h"
#include "lookalike/features/feature.h"
#include "lookalike/image/decode.h"
#include "lookalike/metrics/metric.h"
#include "lookalike/search/exact_search.h"
#include "support/skip.h"
#include "support/test_images.h"

using namespace lookalike;
using namespace lookalike::testing;

namespace {

const std::string kWangDir = std::string(LOOKALIKE_SHARED_DIR) + "/datasets/wang1k";

struct Dataset {
  std::vector<std::string> paths;  // relative to kWangDir, in labels.csv order (the index order)
  std::vector<int> labels;
  std::map<int, std::size_t> class_sizes;
};

bool dataset_present() { return std::ifstream(kWangDir + "/labels.csv").good(); }

Dataset read_dataset() {
  Dataset data;
  std::istringstream csv(testing::read_text_file(kWangDir + "/labels.csv"));
  std::string line;
  std::getline(csv, line);  // header: path,label,split
  std::map<std::string, int> label_ids;
  while (std::getline(csv, line)) {
    if (line.empty()) continue;
    const auto comma = line.find(',');
    const auto second = line.find(',', comma + 1);
    const std::string label = line.substr(comma + 1, second - comma - 1);
    const int id = label_ids.emplace(label, int(label_ids.size())).first->second;
    data.paths.push_back(line.substr(0, comma));
    data.labels.push_back(id);
    ++data.class_sizes[id];
  }
  return data;
}

// Calls fn(i) for i in [0, count) on every hardware thread; rethrows the
// first exception.
template <class Fn>
void parallel_for(std::size_t count, Fn fn) {
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (std::size_t i = next++; i < count; i = next++) {
        try {
          fn(i);
        } catch (...) {
          std::lock_guard<std::mutex> lock(error_mutex);
          if (!error) error = std::current_exception();
          next = count;
        }
      }
    });
  for (auto& thread : pool) thread.join();
  if (error) std::rethrow_exception(error);
}

// Decodes every image once and computes the features named, row-major.
std::map<std::string, std::vector<float>> extract(const Dataset& data, const std::vector<std::string>& specs) {
  std::vector<std::unique_ptr<Feature>> features;
  for (const auto& spec : specs) features.push_back(make_feature(spec));
  std::map<std::string, std::vector<float>> matrices;
  std::vector<float*> rows;  // the threads write through these, never into the map itself
  for (const auto& feature : features) {
    auto& matrix = matrices[feature->spec()];
    matrix.resize(data.paths.size() * feature->dim());
    rows.push_back(matrix.data());
  }
  parallel_for(data.paths.size(), [&](std::size_t i) {
    const testing::Bytes bytes = testing::read_file(kWangDir + "/" + data.paths[i]);
    const Image image = decode_image(bytes.data(), bytes.size()).image;
    for (std::size_t f = 0; f < features.size(); ++f) {
      const std::vector<float> v = features[f]->compute(image);
      std::copy(v.begin(), v.end(), rows[f] + i * features[f]->dim());
    }
  });
  return matrices;
}

struct Quality {
  double precision_at_10 = 0, map = 0, map_standard_error = 0;
};

Quality leave_one_out(const Dataset& data, const std::vector<float>& matrix, Metric metric) {
  const std::size_t n = data.paths.size(), dim = matrix.size() / n;
  std::vector<double> precision(n), ap(n);
  parallel_for(n, [&](std::size_t q) {
    const auto ranking = exact_search(metric, matrix.data() + q * dim, matrix.data(), n, dim, n);
    const auto relevance = leave_one_out_relevance(ranking, std::uint32_t(q), data.labels);
    precision[q] = precision_at_k(relevance, 10);
    ap[q] = average_precision(relevance, data.class_sizes.at(data.labels[q]) - 1);
  });
  Quality quality;
  quality.precision_at_10 = mean(precision);
  quality.map = mean(ap);
  double variance = 0;
  for (double a : ap) variance += (a - quality.map) * (a - quality.map);
  quality.map_standard_error = std::sqrt(variance / double(n - 1) / double(n));
  return quality;
}

struct Reference {
  double precision_at_10, map;
};

// ../shared/datasets/wang1k/README.md, "Reference numbers", by metric L1, L2, cosine, Pearson.
const std::map<std::string, std::array<Reference, 4>> kReference = {
    {"pixels:size=32", {{{0.511, 0.386}, {0.488, 0.376}, {0.426, 0.307}, {0.531, 0.372}}}},
    {"colour:bins=8x4x4", {{{0.722, 0.497}, {0.632, 0.375}, {0.637, 0.441}, {0.627, 0.440}}}},
};
// colour-texture's own figures (docs/EVALUATION.md), P@10 by metric L1, L2, cosine, Pearson.
constexpr std::array<double, 4> kColourTextureMeasured = {0.833, 0.809, 0.809, 0.815};
constexpr double kTolerance = 0.002;  // rounding of the reference to 0.001, and the gaps seen (header comment)
constexpr double kColourTextureTarget = 0.80;

}  // namespace

TEST_CASE("WANG leave-one-out: pixels and colour match the reference, colour-texture reaches 0.80", "[dataset]") {
  if (!dataset_present())
    skip_test("the WANG dataset is not at " + std::string(kWangDir) +
              " (labels.csv missing; set LOOKALIKE_SHARED_DIR)");
  const Dataset data = read_dataset();
  REQUIRE(data.paths.size() == 1000);
  REQUIRE(data.class_sizes.size() == 10);

  const std::vector<std::string> specs = {"pixels:size=32", "colour:bins=8x4x4", "colour-texture"};
  const auto matrices = extract(data, specs);

  std::printf(
      "WANG leave-one-out, %zu queries\n| feature | metric | P@10 | mAP | s.e. of mAP |\n|---|---|---|---|---|\n",
      data.paths.size());
  for (const auto& spec : specs) {
    for (std::size_t m = 0; m < kAllMetrics.size(); ++m) {
      const Metric metric = kAllMetrics[m];
      const Quality q = leave_one_out(data, matrices.at(spec), metric);
      std::printf("| %s | %s | %.4f | %.4f | %.4f |\n", spec.c_str(), metric_name(metric), q.precision_at_10, q.map,
                  q.map_standard_error);
      std::fflush(stdout);
      INFO(spec << " " << metric_name(metric) << ": P@10 " << q.precision_at_10 << ", mAP " << q.map
                << " (standard error of mAP " << q.map_standard_error << ")");
      const auto reference = kReference.find(spec);
      if (reference != kReference.end()) {
        const Reference& want = reference->second[m];
        INFO("reference P@10 " << want.precision_at_10 << ", mAP " << want.map);
        CHECK(std::fabs(q.precision_at_10 - want.precision_at_10) <= kTolerance);
        CHECK(std::fabs(q.map - want.map) <= kTolerance);
      } else {
        INFO("measured when designed: P@10 " << kColourTextureMeasured[m]);
        CHECK(q.precision_at_10 >= kColourTextureTarget);
        CHECK(std::fabs(q.precision_at_10 - kColourTextureMeasured[m]) <= kTolerance);
      }
    }
  }
}
