// Throughput of every metric kernel set this machine offers (scalar, SSE2,
// AVX2 natively), for each metric at d = 512 (a colour-texture or embedding
// vector) and d = 12288 (64×64 raw pixels), and the speed-up of the best
// vectorised set over scalar.
//
// One query is compared with a database of vectors (about 4–6 MB, larger
// than L2 so memory bandwidth counts, as in a real exact search). Kernel sets
// are timed in interleaved rounds (scalar, SSE2, AVX2, scalar, ...), so a
// burst of load on a shared machine hits all of them alike; each figure is
// the median over the rounds. Time is this thread's CPU time, not wall
// time: on a machine shared with other work the thread may get a fraction
// of a core, which wall time would count as slowness. GB/s counts the
// database bytes streamed (d × 4 bytes per pair).
//
//   metrics_bench [--rounds N] [--min-ms MS]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "bench_args.h"
#include "lookalike/metrics/kernels.h"
#include "lookalike/metrics/metric.h"

using namespace lookalike;

namespace {

struct Options {
  int rounds = 7;
  double min_ms = 40;  // each timed batch runs at least this long
};

constexpr const char* kUsage =
    "usage: metrics_bench [--rounds N] [--min-ms MS]\n"
    "Prints a markdown table: pairs per second and GB/s for each metric x dimension x kernel set,\n"
    "and the ratio of the best vectorised set to scalar, measured in one run (interleaved rounds,\n"
    "median). Defaults: --rounds 7 --min-ms 40.";

Options parse(int argc, char** argv) {
  Options o;
  BenchArgs args("metrics_bench", argc, argv, kUsage);
  while (args.next()) {
    if (args.is("--rounds"))
      o.rounds = int(args.positive_number());
    else if (args.is("--min-ms"))
      o.min_ms = args.positive_number();
    else
      args.unknown();
  }
  return o;
}

// CPU time consumed by the calling thread, in milliseconds.
double thread_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

volatile float g_sink;  // keeps the compiler from dropping the work

// Pairs per CPU second for one batch: passes over the database until min_ms.
double time_batch(Metric metric, const Kernels& kernels, const std::vector<float>& query,
                  const std::vector<float>& database, std::size_t dim, double min_ms) {
  const std::size_t count = database.size() / dim;
  std::size_t pairs = 0;
  float sum = 0;
  const double start = thread_cpu_ms();
  double elapsed_ms = 0;
  do {
    for (std::size_t row = 0; row < count; ++row)
      sum += metric_value(metric, query.data(), database.data() + row * dim, dim, kernels);
    pairs += count;
    elapsed_ms = thread_cpu_ms() - start;
  } while (elapsed_ms < min_ms);
  g_sink = sum;
  return double(pairs) / (elapsed_ms / 1000.0);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  const std::vector<const Kernels*> sets = available_kernels();
  std::printf("kernel sets here:");
  for (const Kernels* k : sets) std::printf(" %s", k->name);
  std::printf(" (best: %s); %d interleaved rounds, median; thread CPU time\n\n", best_kernels().name, options.rounds);

  std::printf("| metric | d | kernels | pairs/s | GB/s | × scalar |\n|---|---|---|---|---|---|\n");
  std::vector<std::string> summary;
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  for (const std::size_t dim : {std::size_t(512), std::size_t(12288)}) {
    const std::size_t count = dim == 512 ? 2048 : 128;  // 4 MB and 6 MB of vectors
    std::vector<float> query(dim), database(dim * count);
    for (float& x : query) x = unit(rng);
    for (float& x : database) x = unit(rng);
    for (Metric metric : kAllMetrics) {
      std::vector<std::vector<double>> rates(sets.size());
      for (int round = 0; round < options.rounds; ++round)
        for (std::size_t s = 0; s < sets.size(); ++s)
          rates[s].push_back(time_batch(metric, *sets[s], query, database, dim, options.min_ms));
      const double scalar = median(rates[0]);
      double best_vector = 0;
      std::string best_name = "-";
      for (std::size_t s = 0; s < sets.size(); ++s) {
        const double rate = median(rates[s]);
        std::printf("| %s | %zu | %s | %.3g | %.2f | %.2f |\n", metric_name(metric), dim, sets[s]->name, rate,
                    rate * double(dim) * sizeof(float) / 1e9, rate / scalar);
        if (s > 0 && rate > best_vector) best_vector = rate, best_name = sets[s]->name;
      }
      char line[160];
      std::snprintf(line, sizeof line, "| %s | %zu | %s | %.2f |", metric_name(metric), dim, best_name.c_str(),
                    sets.size() > 1 ? best_vector / scalar : 1.0);
      summary.push_back(line);
      std::fflush(stdout);
    }
  }
  std::printf("\nBest vectorised set against scalar:\n\n| metric | d | best set | × scalar |\n|---|---|---|---|\n");
  for (const auto& line : summary) std::printf("%s\n", line.c_str());
  return 0;
}
