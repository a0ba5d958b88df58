// Partitioned index benchmark: lookalike's partitioned index, built by the
// real `lookalike index --embeddings … --kind partitioned` and searched
// natively through the files it wrote (as `lookalike query` reads them),
// against exact search and against FAISS's own inverted-list index (IVF
// with 64-byte product quantization and exact float re-ranking, Debian's
// libfaiss-dev) on the same vectors, in one run.
//
// For each collection: build time and peak memory of `lookalike index`, the
// files (largest, total, header), and for each nprobe: recall@10 against
// exact float32 search, warm query latency p50/p99 (one thread, one query at
// a time, lists already read: what a page does once it has them) and the
// index bytes a cold query needs (the header plus the lists it probes). The
// summary compares both systems at equal recall: the fastest setting of each
// that reaches the target, or, when one does not reach it, the best recall
// that one reaches.
//
//   partitioned_bench [--n 100000,1000000] [--metric cosine,l2,l1,correlation] [--queries 200]
//                     [--nprobe 1,2,4,…,128] [--faiss-lists L] [--faiss-nprobe 16,…,1024]
//                     [--faiss-refine 4,16]
//                     [--real NAME=embeddings.npy] [--out bench/out]
//                     [--target 0.95] [--no-faiss] [--rebuild] [--json]
//
// The synthetic data is index_bench's generator with its defaults (20 points
// per cluster, 32 latent directions, noise 0.6, d = 512, seed 1), written
// once to --out as .npy and reused. --real takes a matrix of real
// embeddings, holds its last --queries rows out as queries and indexes the
// rest. Ground truth is cached next to the data.
#include <faiss/IndexFlat.h>
#include <faiss/IndexIVFPQ.h>
#include <faiss/IndexRefine.h>
#include <omp.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "../tests/support/clustered_vectors.h"
#include "embed/npy_file.h"
#include "lookalike/common/error.h"
#include "lookalike/common/parallel.h"
#include "lookalike/index/partitioned_writer.h"
#include "lookalike/search/exact_search.h"
#include "partitioned/partitioned_files.h"
#include "vectors/npy_matrix.h"

using namespace lookalike;
using namespace lookalike::cli;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using json = nlohmann::json;

namespace {

constexpr std::size_t kK = 10;
// The two systems as rows name them.
const std::string kLookalike = "lookalike";
const std::string kFaiss = "faiss-ivfpq64+refine";

struct Options {
  std::vector<std::size_t> sizes{100000, 1000000};
  std::vector<Metric> metrics{Metric::Cosine};
  std::size_t dim = 512, queries = 200;
  std::vector<std::uint32_t> nprobes{1, 2, 4, 8, 16, 32, 64, 128};
  // FAISS with its own rule of thumb for lists (4·√N as a power of two) and
  // the nprobe values that rule needs: at equal recall, not at equal lists.
  std::size_t faiss_lists = 0;  // 0 = 4·√N
  std::vector<std::uint32_t> faiss_nprobes{16, 32, 64, 128, 256, 512, 1024};
  // Candidates FAISS re-ranks exactly, as multiples of k (IndexRefineFlat's
  // k_factor): 64-byte codes order candidates too loosely for 4·k to reach
  // 0.95 on the clustered vectors.
  std::vector<std::uint32_t> faiss_refines{4, 16};
  std::vector<std::pair<std::string, fs::path>> real;
  fs::path out = fs::path(LOOKALIKE_SOURCE_DIR) / "bench" / "out";
  double target = 0.95;
  bool faiss = true, rebuild = false, json_output = false;
  std::uint32_t seed = 1;
};

void log(const std::string& line) {
  std::fprintf(stderr, "[partitioned_bench] %s\n", line.c_str());
  std::fflush(stderr);
}

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::vector<std::size_t> parse_list(const std::string& text) {
  std::vector<std::size_t> out;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    out.push_back(std::stoull(text.substr(at, comma - at)));
    at = comma + 1;
  }
  return out;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--n") {
      o.sizes = parse_list(value());
    } else if (a == "--metric") {
      o.metrics.clear();
      std::string v = value();
      for (std::size_t at = 0; at < v.size();) {
        const std::size_t comma = std::min(v.find(',', at), v.size());
        o.metrics.push_back(parse_metric(v.substr(at, comma - at)));
        at = comma + 1;
      }
    } else if (a == "--queries") {
      o.queries = parse_list(value()).at(0);
    } else if (a == "--nprobe") {
      o.nprobes.clear();
      for (const std::size_t p : parse_list(value())) o.nprobes.push_back(std::uint32_t(p));
    } else if (a == "--faiss-nprobe") {
      o.faiss_nprobes.clear();
      for (const std::size_t p : parse_list(value())) o.faiss_nprobes.push_back(std::uint32_t(p));
    } else if (a == "--faiss-refine") {
      o.faiss_refines.clear();
      for (const std::size_t r : parse_list(value()))
        o.faiss_refines.push_back(std::uint32_t(std::max<std::size_t>(r, 1)));
    } else if (a == "--faiss-lists") {
      o.faiss_lists = parse_list(value()).at(0);
    } else if (a == "--real") {
      const std::string v = value();
      const std::size_t eq = v.find('=');
      if (eq == std::string::npos) throw std::runtime_error("--real takes NAME=embeddings.npy");
      o.real.push_back({v.substr(0, eq), v.substr(eq + 1)});
    } else if (a == "--out") {
      o.out = value();
    } else if (a == "--target") {
      o.target = std::stod(value());
    } else if (a == "--no-faiss") {
      o.faiss = false;
    } else if (a == "--rebuild") {
      o.rebuild = true;
    } else if (a == "--json") {
      o.json_output = true;
    } else if (a == "--help" || a == "-h") {
      std::printf(
          "usage: partitioned_bench [--n 100000,1000000] [--metric cosine,l2,l1,correlation] [--queries 200]\n"
          "                         [--nprobe 1,2,4,…] [--faiss-lists L] [--faiss-nprobe 16,32,…] [--faiss-refine "
          "4,16]\n"
          "                         [--real NAME=embeddings.npy] [--out bench/out]\n"
          "                         [--target 0.95] [--no-faiss] [--rebuild] [--json]\n"
          "Builds each collection with `lookalike index --kind partitioned` (once; --rebuild again), then prints\n"
          "recall@10, warm latency p50/p99 and cold bytes per nprobe for lookalike and FAISS IVF-PQ + re-ranking,\n"
          "and both at equal recall (the fastest setting reaching --target, or the weaker system's best recall when\n"
          "one does not reach it). --json prints the same as one JSON object.\n");
      std::exit(0);
    } else {
      throw std::runtime_error("unknown option " + a + " (see --help)");
    }
  }
  return o;
}

// ---- data ------------------------------------------------------------------

struct Dataset {
  std::string name;
  fs::path points, queries, items;
};

void write_rows(std::ofstream& out, const float* row, std::size_t dim) {
  out.write(reinterpret_cast<const char*>(row), std::streamsize(dim * sizeof(float)));
}

// index_bench's generator, streamed to .npy files once.
Dataset synthetic_dataset(const Options& o, std::size_t n) {
  Dataset d;
  d.name = "clustered-" + std::to_string(n);
  const fs::path base = o.out / ("clustered-n" + std::to_string(n) + "-d" + std::to_string(o.dim) + "-s" +
                                 std::to_string(o.seed) + "-q" + std::to_string(o.queries));
  d.points = base.string() + ".npy";
  d.queries = base.string() + ".queries.npy";
  d.items = base.string() + ".items.jsonl";
  const auto write_items = [&] {
    std::ofstream items(d.items);
    for (std::size_t i = 0; i < n; ++i) items << "{\"path\":\"" << i << "\"}\n";
    if (!items) throw std::runtime_error("cannot write " + d.items.string());
  };
  if (fs::exists(d.points) && fs::exists(d.queries)) {
    if (!fs::exists(d.items)) write_items();
    return d;
  }
  log(d.name + ": generating " + std::to_string(n) + " points");
  fs::create_directories(o.out);
  std::ofstream points(d.points.string() + ".tmp", std::ios::binary),
      queries(d.queries.string() + ".tmp", std::ios::binary);
  points << npy_header_float32(n, o.dim);
  queries << npy_header_float32(o.queries, o.dim);
  testing::generate_clustered_vectors(
      n, o.queries, o.dim, o.seed, std::max<std::size_t>(n / 20, 1), 32, 0.6f,
      [&](std::size_t, const float* p) { write_rows(points, p, o.dim); },
      [&](std::size_t, const float* p) { write_rows(queries, p, o.dim); });
  points.close();
  queries.close();
  write_items();
  if (!points || !queries) throw std::runtime_error("cannot write the data into " + o.out.string());
  fs::rename(d.points.string() + ".tmp", d.points);
  fs::rename(d.queries.string() + ".tmp", d.queries);
  return d;
}

// Real embeddings: the last `queries` rows become the queries.
Dataset real_dataset(const Options& o, const std::string& name, const fs::path& source) {
  Dataset d;
  d.name = name;
  const fs::path base = o.out / (name + "-q" + std::to_string(o.queries));
  d.points = base.string() + ".npy";
  d.queries = base.string() + ".queries.npy";
  d.items = base.string() + ".items.jsonl";
  if (fs::exists(d.points) && fs::exists(d.queries) && fs::exists(d.items)) return d;
  const NpyMatrix m = NpyMatrix::open(source);
  if (m.rows() <= o.queries) throw std::runtime_error(source.string() + " has too few rows for the queries");
  const std::size_t n = m.rows() - o.queries;
  fs::create_directories(o.out);
  write_npy_float32(d.points.string(), m.row(0), n, m.cols());
  write_npy_float32(d.queries.string(), m.row(n), o.queries, m.cols());
  std::ofstream items(d.items);
  for (std::size_t i = 0; i < n; ++i) items << "{\"path\":\"" << i << "\"}\n";
  return d;
}

// Exact top 10 (float32, the metric's value) of every query, cached.
std::vector<std::vector<std::uint32_t>> ground_truth(const Dataset& d, Metric metric, const NpyMatrix& points,
                                                     const NpyMatrix& queries) {
  const fs::path cache = d.points.string() + "." + metric_name(metric) + ".truth";
  std::vector<std::vector<std::uint32_t>> truth(queries.rows(), std::vector<std::uint32_t>(kK));
  std::ifstream in(cache, std::ios::binary);
  if (in) {
    for (auto& t : truth) in.read(reinterpret_cast<char*>(t.data()), kK * 4);
    if (in) return truth;
  }
  log(d.name + " " + metric_name(metric) + ": exact search for the ground truth");
  parallel_for(queries.rows(), thread_count(0), [&](std::size_t q) {
    const std::vector<Hit> hits = exact_search(metric, queries.row(q), points.row(0), points.rows(), points.cols(), kK);
    for (std::size_t i = 0; i < kK; ++i) truth[q][i] = hits[i].id;
  });
  std::ofstream out(cache, std::ios::binary);
  for (const auto& t : truth) out.write(reinterpret_cast<const char*>(t.data()), kK * 4);
  return truth;
}

double recall(const std::vector<std::uint32_t>& truth, const std::vector<std::uint32_t>& found) {
  const std::set<std::uint32_t> t(truth.begin(), truth.end());
  std::size_t hit = 0;
  for (const std::uint32_t id : found) hit += t.count(id);
  return double(hit) / double(truth.size());
}

// ---- build -----------------------------------------------------------------

struct Build {
  fs::path header;
  double seconds = 0, peak_gb = 0;
  std::uint64_t total_bytes = 0, largest_file = 0, header_bytes = 0;
  std::size_t files = 0;
  bool reused = false;
};

Build build_index(const Options& o, const Dataset& d, Metric metric) {
  Build b;
  const fs::path site = o.out / ("site-" + d.name + "-" + metric_name(metric));
  const fs::path timing = site / "build-timing.json";
  if (!o.rebuild && fs::exists(timing)) {
    const json t = json::parse(std::ifstream(timing));
    b.seconds = t["seconds"];
    b.peak_gb = t["peak_gb"];
    b.reused = true;
  } else {
    fs::remove_all(site);
    log(d.name + " " + metric_name(metric) + ": lookalike index --kind partitioned");
    const std::string metric_text = metric_name(metric);
    const std::vector<std::string> args{
        LOOKALIKE_CLI, "--quiet", "index", "--embeddings", d.points.string(),   "--items",  d.items.string(), "--site",
        site.string(), "--name",  d.name,  "--feature",    "vectors:synthetic", "--metric", metric_text,      "--kind",
        "partitioned"};
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const Clock::time_point start = Clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
      dup2(2, 1);  // its summary to stderr: stdout is this benchmark's table
      execv(argv[0], argv.data());
      _exit(127);
    }
    int status = 0;
    struct rusage usage {};
    wait4(pid, &status, 0, &usage);
    b.seconds = seconds_since(start);
    b.peak_gb = double(usage.ru_maxrss) / (1024.0 * 1024.0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      throw std::runtime_error("lookalike index failed (exit " + std::to_string(WEXITSTATUS(status)) + ")");
    std::ofstream(timing) << json{{"seconds", b.seconds}, {"peak_gb", b.peak_gb}}.dump();
  }
  for (const auto& entry : fs::directory_iterator(site / "index")) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".bin" && ext != ".lkp") continue;
    const std::uint64_t size = entry.file_size();
    b.total_bytes += size;
    b.largest_file = std::max(b.largest_file, size);
    b.files += ext == ".bin";
    if (ext == ".lkp") {
      b.header_bytes = size;
      b.header = entry.path();
    }
  }
  if (b.header.empty()) throw std::runtime_error("no .lkp header in " + (site / "index").string());
  return b;
}

// ---- searches ----------------------------------------------------------------

struct Row {
  std::string system;
  std::uint32_t nprobe = 0;
  std::uint32_t refine = 0;  // FAISS: candidates re-ranked, as a multiple of k
  double recall = 0, p50 = 0, p99 = 0, cold_mb = 0;
};

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, std::size_t(p * double(v.size())))];
}

template <class Search>
Row measure(const std::string& system, std::uint32_t nprobe, const NpyMatrix& queries,
            const std::vector<std::vector<std::uint32_t>>& truth, Search&& search) {
  Row row{system, nprobe};
  const std::size_t n = queries.rows();
  double r = 0;
  for (std::size_t q = 0; q < n; ++q) r += recall(truth[q], search(q));  // also warms every list
  std::vector<double> ms(n);
  for (std::size_t q = 0; q < n; ++q) {
    const Clock::time_point start = Clock::now();
    search(q);
    ms[q] = seconds_since(start) * 1000.0;
  }
  row.recall = r / double(n);
  row.p50 = percentile(ms, 0.5);
  row.p99 = percentile(ms, 0.99);
  return row;
}

std::vector<Row> lookalike_rows(const Options& o, const Build& b, const NpyMatrix& queries,
                                const std::vector<std::vector<std::uint32_t>>& truth) {
  PartitionedFiles files = PartitionedFiles::open(b.header, ~std::size_t{0});
  std::vector<Row> rows;
  for (const std::uint32_t nprobe : o.nprobes) {
    if (nprobe > files.index().list_count()) continue;
    PartitionedSearchOptions options;
    options.nprobe = nprobe;
    double list_bytes = 0;
    for (std::size_t q = 0; q < queries.rows(); ++q) {
      PartitionedSearch probe(files.index(), queries.row(q), options);
      for (const std::uint32_t l : probe.wanted()) list_bytes += double(files.index().header().lists[l].bytes);
    }
    Row row = measure(kLookalike, nprobe, queries, truth, [&](std::size_t q) {
      std::vector<std::uint32_t> ids;
      for (const Hit& h : files.search(queries.row(q), options).hits()) ids.push_back(h.id);
      return ids;
    });
    row.cold_mb = (double(b.header_bytes) + list_bytes / double(queries.rows())) / 1e6;
    rows.push_back(row);
    log("lookalike nprobe " + std::to_string(nprobe) + ": recall " + std::to_string(row.recall));
  }
  return rows;
}

// FAISS IVF-PQ (64 bytes, 8 bits) with exact float re-ranking of r·k
// candidates (IndexRefineFlat, r from --faiss-refine), on vectors prepared for the metric (cosine
// and correlation become L2 on unit vectors), with FAISS's usual number of
// lists (--faiss-lists; lookalike's tens of thousands of small lists would
// take FAISS's k-means hours).
std::size_t faiss_lists(const Options& o, std::size_t n) {
  if (o.faiss_lists) return o.faiss_lists;
  std::size_t lists = 1;
  while (lists * 2 <= 4.0 * std::sqrt(double(n)) && lists * 2 <= n / 64) lists *= 2;
  return lists;
}

std::vector<Row> faiss_rows(const Options& o, Metric metric, std::size_t lists, const NpyMatrix& points,
                            const NpyMatrix& queries, const std::vector<std::vector<std::uint32_t>>& truth,
                            double& build_seconds) {
  const std::size_t n = points.rows(), dim = points.cols();
  const Clock::time_point start = Clock::now();
  std::vector<float> prepared(n * dim);
  for (std::size_t i = 0; i < n; ++i) prepare_for_metric(metric, points.row(i), &prepared[i * dim], dim);
  faiss::IndexFlatL2 quantizer(dim);
  faiss::IndexIVFPQ ivf(&quantizer, dim, lists, 64, 8);
  ivf.cp.max_points_per_centroid = 64;
  ivf.cp.niter = 10;
  ivf.cp.seed = 1;
  const std::size_t sample = std::min(n, lists * 64);
  omp_set_num_threads(int(thread_count(0)));
  ivf.train(sample, prepared.data());  // the first rows: the data is in random order
  faiss::IndexRefineFlat refine(&ivf);
  refine.add(n, prepared.data());
  prepared = {};
  build_seconds = seconds_since(start);
  omp_set_num_threads(1);
  std::vector<Row> rows;
  std::vector<float> query(dim), distances(kK);
  std::vector<faiss::Index::idx_t> labels(kK);
  for (const std::uint32_t factor : o.faiss_refines)
    for (const std::uint32_t nprobe : o.faiss_nprobes) {
      if (nprobe > lists) continue;
      ivf.nprobe = nprobe;
      refine.k_factor = float(factor);
      rows.push_back(measure(kFaiss, nprobe, queries, truth, [&](std::size_t q) {
        prepare_for_metric(metric, queries.row(q), query.data(), dim);
        refine.search(1, query.data(), kK, distances.data(), labels.data());
        return std::vector<std::uint32_t>(labels.begin(), labels.end());
      }));
      rows.back().refine = factor;
      log("faiss nprobe " + std::to_string(nprobe) + " refine " + std::to_string(factor) + "·k: recall " +
          std::to_string(rows.back().recall));
    }
  return rows;
}

// The fastest (lowest p50) row of `system` with recall ≥ `recall`.
const Row* fastest_reaching(const std::vector<Row>& rows, const std::string& system, double recall) {
  const Row* best = nullptr;
  for (const Row& r : rows)
    if (r.system == system && r.recall >= recall && (!best || r.p50 < best->p50)) best = &r;
  return best;
}

// The recall at which both systems are compared: the target, or the best
// recall the weaker system reaches when that is less.
double comparison_recall(const std::vector<Row>& rows, double target) {
  double ours = -1, theirs = -1;
  for (const Row& r : rows) {
    double& best = r.system == kFaiss ? theirs : ours;
    best = std::max(best, r.recall);
  }
  double level = target;
  if (ours >= 0) level = std::min(level, ours);
  if (theirs >= 0) level = std::min(level, theirs);
  return level;
}

std::string mb(double bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", bytes / 1e6);
  return text;
}

// One collection × metric as measured: both systems' rows and how each was built.
struct Measured {
  std::string collection;
  std::size_t items = 0, dim = 0;
  Metric metric = Metric::Cosine;
  std::size_t lists = 0;
  Build build;
  std::size_t faiss_lists = 0;  // 0: FAISS not run
  double faiss_build_seconds = 0;
  std::vector<Row> rows;
};

// Both systems at equal recall (comparison_recall): the fastest row of each.
struct Comparison {
  double recall = 0;
  const Row* ours = nullptr;
  const Row* theirs = nullptr;
};

Comparison compare(const Measured& m, double target) {
  Comparison c;
  c.recall = comparison_recall(m.rows, target);
  c.ours = fastest_reaching(m.rows, kLookalike, c.recall);
  c.theirs = fastest_reaching(m.rows, kFaiss, c.recall);
  return c;
}

json measured_json(const Measured& m, double target) {
  const Build& b = m.build;
  json c{{"collection", m.collection},
         {"items", m.items},
         {"dim", m.dim},
         {"metric", metric_name(m.metric)},
         {"lists", m.lists},
         {"build_seconds", b.seconds},
         {"build_peak_gb", b.peak_gb},
         {"build_reused", b.reused},
         {"files", b.files + 1},
         {"largest_file_bytes", b.largest_file},
         {"total_bytes", b.total_bytes},
         {"header_bytes", b.header_bytes},
         {"faiss_build_seconds", m.faiss_build_seconds},
         {"faiss_lists", m.faiss_lists ? json(m.faiss_lists) : json(nullptr)},
         {"rows", json::array()}};
  for (const Row& r : m.rows)
    c["rows"].push_back({{"system", r.system},
                         {"nprobe", r.nprobe},
                         {"refine", r.system == kFaiss ? json(r.refine) : json(nullptr)},
                         {"recall", r.recall},
                         {"p50_ms", r.p50},
                         {"p99_ms", r.p99},
                         {"cold_mb", r.system == kLookalike ? json(r.cold_mb) : json(nullptr)}});
  const Comparison e = compare(m, target);
  c["at_equal_recall"] = {{"recall", e.recall},
                          {"lookalike_nprobe", e.ours ? json(e.ours->nprobe) : json(nullptr)},
                          {"lookalike_p50_ms", e.ours ? json(e.ours->p50) : json(nullptr)},
                          {"faiss_nprobe", e.theirs ? json(e.theirs->nprobe) : json(nullptr)},
                          {"faiss_refine", e.theirs ? json(e.theirs->refine) : json(nullptr)},
                          {"faiss_p50_ms", e.theirs ? json(e.theirs->p50) : json(nullptr)},
                          {"p50_ratio", e.ours && e.theirs ? json(e.ours->p50 / e.theirs->p50) : json(nullptr)}};
  return c;
}

void print_measured(const Measured& m, double target) {
  const Build& b = m.build;
  std::printf("### %s, %zu × %zu, %s: %zu lists\n\n", m.collection.c_str(), m.items, m.dim, metric_name(m.metric),
              m.lists);
  std::printf("`lookalike index`: %.0f s, peak %.2f GB%s; %zu files, largest %s MB, total %s MB, header %s MB. %s\n\n",
              b.seconds, b.peak_gb, b.reused ? " (an earlier run's build)" : "", b.files + 1,
              mb(double(b.largest_file)).c_str(), mb(double(b.total_bytes)).c_str(), mb(double(b.header_bytes)).c_str(),
              m.faiss_lists ? ("FAISS build (" + std::to_string(m.faiss_lists) + " lists) " +
                               std::to_string(static_cast<long>(std::lround(m.faiss_build_seconds))) + " s.")
                                  .c_str()
                            : "FAISS not run.");
  std::printf(
      "| system | nprobe | re-ranked | recall@10 | p50 ms | p99 ms | cold query MB |\n"
      "|---|---:|---:|---:|---:|---:|---:|\n");
  for (const Row& r : m.rows)
    std::printf("| %s | %u | %s | %.3f | %.2f | %.2f | %s |\n", r.system.c_str(), r.nprobe,
                r.system == kFaiss ? (std::to_string(r.refine) + "·k").c_str() : "–", r.recall, r.p50, r.p99,
                r.system == kLookalike ? mb(r.cold_mb * 1e6).c_str() : "–");
  const Comparison e = compare(m, target);
  if (e.ours && e.theirs)
    std::printf(
        "\nAt recall@10 ≥ %.3f%s: lookalike nprobe %u, p50 %.2f ms; FAISS nprobe %u with %u·k re-ranked, "
        "p50 %.2f ms: lookalike/FAISS %.2f×.\n\n",
        e.recall, e.recall < target ? " (the best both reached; the target is not)" : "", e.ours->nprobe, e.ours->p50,
        e.theirs->nprobe, e.theirs->refine, e.theirs->p50, e.ours->p50 / e.theirs->p50);
  else if (!e.ours || m.faiss_lists)
    std::printf("\nNo setting of %s reached recall@10 %.3f.\n\n", !e.ours ? "lookalike" : "FAISS", e.recall);
  else
    std::printf("\nAt recall@10 ≥ %.3f%s: lookalike nprobe %u, p50 %.2f ms (FAISS not run).\n\n", e.recall,
                e.recall < target ? " (the best reached; the target is not)" : "", e.ours->nprobe, e.ours->p50);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    o = parse(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "partitioned_bench: %s\n", e.what());
    return 2;
  }
  json report{{"target_recall", o.target}, {"queries", o.queries}, {"k", kK}, {"collections", json::array()}};
  try {
    std::vector<Dataset> datasets;
    for (const std::size_t n : o.sizes) datasets.push_back(synthetic_dataset(o, n));
    for (const auto& r : o.real) datasets.push_back(real_dataset(o, r.first, r.second));
    if (!o.json_output)
      std::printf(
          "Partitioned index benchmark: recall@10 against exact float32 search, %zu queries, target %.2f, "
          "kernels %s.\n\n",
          o.queries, o.target, best_kernels().name);
    for (const Dataset& d : datasets) {
      const NpyMatrix points = NpyMatrix::open(d.points), queries = NpyMatrix::open(d.queries);
      for (const Metric metric : o.metrics) {
        const auto truth = ground_truth(d, metric, points, queries);
        Measured m;
        m.collection = d.name;
        m.items = points.rows();
        m.dim = points.cols();
        m.metric = metric;
        m.build = build_index(o, d, metric);
        m.rows = lookalike_rows(o, m.build, queries, truth);
        m.lists = PartitionedFiles::open(m.build.header).index().list_count();
        if (o.faiss && metric != Metric::L1) {
          m.faiss_lists = faiss_lists(o, points.rows());
          const std::vector<Row> f =
              faiss_rows(o, metric, m.faiss_lists, points, queries, truth, m.faiss_build_seconds);
          m.rows.insert(m.rows.end(), f.begin(), f.end());
        }
        report["collections"].push_back(measured_json(m, o.target));
        if (!o.json_output) print_measured(m, o.target);
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "partitioned_bench: %s\n", e.what());
    return 1;
  }
  if (o.json_output) std::cout << report.dump(2) << "\n";
  return 0;
}
