#include "eval/retrieval_eval.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "common/cli_context.h"
#include "common/clock.h"
#include "common/parallel.h"
#include "common/progress.h"
#include "common/text.h"
#include "lookalike/common/error.h"
#include "lookalike/eval/measures.h"
#include "lookalike/features/feature.h"

#ifndef LOOKALIKE_VERSION
#define LOOKALIKE_VERSION "0.0.0"
#endif

namespace lookalike::cli {
namespace {

// Per-query measures of one run, indexed by query position.
struct QueryMeasures {
  std::vector<std::vector<double>> precision;  // [k index][query]
  std::vector<double> ap;
  // Had at least one relevant item. One byte per query, not vector<bool>:
  // rankers call the visitor from several threads at once, and neighbouring
  // bits of a vector<bool> share a word, so concurrent writes would race.
  std::vector<char> counted;
};

Scores aggregate(const QueryMeasures& m, const std::vector<std::size_t>& members) {
  Scores s;
  std::vector<double> values;
  for (std::size_t k = 0; k < m.precision.size(); ++k) {
    values.clear();
    for (std::size_t q : members)
      if (m.counted[q]) values.push_back(m.precision[k][q]);
    double mean = 0, se = 0;
    mean_and_stderr(values, mean, se);
    s.precision.push_back(mean);
    s.precision_stderr.push_back(se);
  }
  values.clear();
  for (std::size_t q : members)
    if (m.counted[q]) values.push_back(m.ap[q]);
  mean_and_stderr(values, s.map, s.map_stderr);
  s.queries = values.size();
  return s;
}

// Up to `count` queries spread over the labels: the first query of labels
// evenly spaced through the sorted label list.
std::vector<std::size_t> pick_examples(const std::vector<std::uint32_t>& queries, const std::vector<int>& labels,
                                       std::size_t count) {
  std::map<int, std::size_t> first_of_label;
  for (std::size_t q = 0; q < queries.size(); ++q) first_of_label.emplace(labels[queries[q]], q);
  std::vector<std::size_t> out;
  if (count == 0 || first_of_label.empty()) return out;
  std::vector<int> present;
  for (const auto& [label, q] : first_of_label) present.push_back(label);
  const std::size_t n = std::min(count, present.size());
  for (std::size_t i = 0; i < n; ++i) out.push_back(first_of_label[present[i * present.size() / n]]);
  return out;
}

}  // namespace

const char* protocol_name(Protocol protocol) { return protocol == Protocol::Split ? "split" : "leave-one-out"; }

Protocol parse_protocol(const std::string& name) {
  if (name == "leave-one-out" || name == "loo") return Protocol::LeaveOneOut;
  if (name == "split" || name == "train-test") return Protocol::Split;
  fail(ErrorKind::InvalidArgument, "unknown protocol \"" + name + "\" (expected leave-one-out or split)");
}

void mean_and_stderr(const std::vector<double>& values, double& mean_value, double& stderr_of_mean) {
  mean_value = mean(values);
  stderr_of_mean = 0;
  if (values.size() < 2) return;
  double squares = 0;
  for (double v : values) squares += (v - mean_value) * (v - mean_value);
  stderr_of_mean = std::sqrt(squares / double(values.size() - 1)) / std::sqrt(double(values.size()));
}

EvalReport run_evaluation(const EvalDataset& input, const EvalConfig& config) {
  const auto start = std::chrono::steady_clock::now();
  EvalReport report;
  report.created = utc_timestamp();
  report.tool = std::string("lookalike ") + LOOKALIKE_VERSION + " eval";
  report.protocol = config.protocol;
  report.threads = thread_count(config.threads);

  // Check every argument before any image is decoded.
  std::vector<std::size_t> ks = config.ks;
  if (ks.empty()) fail(ErrorKind::InvalidArgument, "--k needs at least one value");
  for (std::size_t k : ks)
    if (k == 0) fail(ErrorKind::InvalidArgument, "--k values must be at least 1");
  std::sort(ks.begin(), ks.end());
  ks.erase(std::unique(ks.begin(), ks.end()), ks.end());
  report.ks = ks;
  const std::vector<FeatureChoice> features = choose_features(config.features);
  if (features.empty()) fail(ErrorKind::InvalidArgument, "no feature to evaluate");
  std::vector<Metric> metrics = config.metrics;
  if (metrics.empty()) fail(ErrorKind::InvalidArgument, "no metric to evaluate");
  // Exact first: approximate searches are measured against its results.
  std::vector<SearchSettings> searches = config.searches;
  if (searches.empty()) fail(ErrorKind::InvalidArgument, "no search to evaluate");
  std::stable_sort(searches.begin(), searches.end(), [](const SearchSettings& a, const SearchSettings& b) {
    return a.kind == SearchKind::Exact && b.kind != SearchKind::Exact;
  });
  if (searches.front().kind != SearchKind::Exact) searches.insert(searches.begin(), SearchSettings{});
  std::vector<std::unique_ptr<Ranker>> rankers;
  for (const auto& s : searches) rankers.push_back(config.ranker_factory ? config.ranker_factory(s) : make_ranker(s));
  if (input.images.empty()) fail(ErrorKind::Corrupt, "no images to evaluate in " + input.source);
  if (config.protocol == Protocol::Split && !input.has_split())
    fail(ErrorKind::InvalidArgument, "the split protocol needs train and test images: " + input.source +
                                         " has no split (run `lookalike prep` and evaluate its manifest)");

  // Features, once per image.
  std::vector<std::filesystem::path> files;
  for (const auto& image : input.images) files.push_back(image.file);
  const auto feature_start = std::chrono::steady_clock::now();
  ExtractionOptions extraction_options;
  extraction_options.threads = config.threads;
  extraction_options.show_progress = config.show_progress;
  extraction_options.model = config.model;
  FeatureExtraction extraction = extract_features(files, features, extraction_options);
  report.feature_seconds = seconds_since(feature_start);
  if (extraction.interrupted) {
    report.interrupted = true;
    report.dataset = input;
    return report;
  }
  for (std::size_t i = 0; i < files.size(); ++i)
    if (!extraction.ok[i]) report.excluded.push_back({input.images[i].path, extraction.errors[i]});
  const std::size_t usable = std::size_t(std::count(extraction.ok.begin(), extraction.ok.end(), true));
  if (usable < 2) {
    // A report over fewer than two images would be all zeros: say why instead.
    const auto first = std::find(extraction.ok.begin(), extraction.ok.end(), false) - extraction.ok.begin();
    fail(extraction.error_kinds[std::size_t(first)],
         std::to_string(files.size() - usable) + " of " + std::to_string(files.size()) + " images in " + input.source +
             " could not be decoded, too few to evaluate; the first: " + input.images[std::size_t(first)].path + ": " +
             extraction.errors[std::size_t(first)]);
  }
  report.dataset = keep_images(input, extraction.ok);
  for (auto& m : extraction.matrices) m = keep_rows(m, extraction.ok);
  const EvalDataset& dataset = report.dataset;

  std::vector<int> labels;
  for (const auto& image : dataset.images) labels.push_back(image.label);
  std::vector<std::uint32_t> queries, database;
  for (std::uint32_t i = 0; i < dataset.images.size(); ++i) {
    const Split split = dataset.images[i].split;
    if (config.protocol == Protocol::LeaveOneOut || split == Split::Test) queries.push_back(i);
    if (config.protocol == Protocol::LeaveOneOut || split == Split::Train) database.push_back(i);
  }
  report.queries = queries.size();
  report.database = database.size();
  std::vector<std::size_t> relevant_in_database(dataset.labels.size(), 0);
  for (std::uint32_t i : database) ++relevant_in_database[std::size_t(labels[i])];
  const bool query_in_database = config.protocol == Protocol::LeaveOneOut;

  std::vector<std::vector<std::size_t>> class_members(dataset.labels.size());
  for (std::size_t q = 0; q < queries.size(); ++q) class_members[std::size_t(labels[queries[q]])].push_back(q);
  std::vector<std::size_t> all_queries(queries.size());
  for (std::size_t q = 0; q < queries.size(); ++q) all_queries[q] = q;
  const auto examples = pick_examples(queries, labels, config.examples);
  for (std::size_t e : examples) report.example_queries.push_back(queries[e]);
  const std::size_t k_max = ks.back();

  for (const auto& matrix : extraction.matrices) {
    for (const Metric metric : metrics) {
      // The exact top-k_max of each query, kept when an approximate search
      // is measured against it.
      std::vector<std::vector<std::uint32_t>> exact_top;
      for (std::size_t s = 0; s < rankers.size(); ++s) {
        if (interrupted()) break;
        const SearchSettings& search = searches[s];
        // An approximate search returns its top k, not a whole ranking: it
        // is measured by precision@k and recall, not by average precision.
        const bool full_ranking = search.kind == SearchKind::Exact;
        const auto run_start = std::chrono::steady_clock::now();
        QueryMeasures measures;
        measures.precision.assign(ks.size(), std::vector<double>(queries.size(), 0.0));
        measures.ap.assign(queries.size(), 0.0);
        measures.counted.assign(queries.size(), 0);
        std::vector<std::vector<Hit>> example_hits(examples.size());
        std::vector<std::vector<std::uint32_t>> top(queries.size());
        const bool keep_top = searches.size() > 1;
        std::optional<Progress> progress;
        if (config.show_progress)
          progress.emplace(matrix.spec + " " + metric_name(metric) + " " + search.name(), queries.size(), "queries");
        rankers[s]->rank(matrix, metric, queries, database, full_ranking ? 0 : k_max, config.threads,
                         [&](std::size_t q, const std::vector<Hit>& ranking) {
                           const std::uint32_t query = queries[q];
                           const std::vector<bool> relevance = leave_one_out_relevance(ranking, query, labels);
                           std::size_t total = relevant_in_database[std::size_t(labels[query])];
                           if (query_in_database) --total;
                           if (total > 0) {
                             measures.counted[q] = 1;
                             for (std::size_t k = 0; k < ks.size(); ++k)
                               measures.precision[k][q] = precision_at_k(relevance, ks[k]);
                             if (full_ranking) measures.ap[q] = average_precision(relevance, total);
                           }
                           if (keep_top)
                             for (std::size_t r = 0; r < ranking.size() && r < k_max; ++r)
                               top[q].push_back(ranking[r].id);
                           for (std::size_t e = 0; e < examples.size(); ++e)
                             if (examples[e] == q)
                               example_hits[e].assign(
                                   ranking.begin(),
                                   ranking.begin() + std::ptrdiff_t(std::min(ranking.size(), config.example_depth)));
                           if (progress) progress->advance();
                         });
        if (progress) progress->finish();
        if (interrupted()) break;
        RunResult run;
        run.feature = matrix.spec;
        run.feature_version = matrix.version;
        run.dim = matrix.dim;
        run.metric = metric;
        run.search = search;
        run.full_ranking = full_ranking;
        run.overall = aggregate(measures, all_queries);
        run.skipped_queries = queries.size() - run.overall.queries;
        for (std::size_t c = 0; c < dataset.labels.size(); ++c) {
          if (class_members[c].empty()) continue;
          run.per_class.push_back({dataset.labels[c], aggregate(measures, class_members[c])});
        }
        if (search.kind == SearchKind::Exact && exact_top.empty()) exact_top = top;
        if (search.kind != SearchKind::Exact && !exact_top.empty()) {
          std::vector<double> recalls;
          for (std::size_t q = 0; q < queries.size(); ++q) {
            if (exact_top[q].empty()) continue;
            const std::set<std::uint32_t> truth(exact_top[q].begin(), exact_top[q].end());
            std::size_t found = 0;
            for (std::uint32_t id : top[q]) found += truth.count(id);
            recalls.push_back(double(found) / double(truth.size()));
          }
          run.recall_vs_exact = mean(recalls);
        }
        run.examples = std::move(example_hits);
        run.seconds = seconds_since(run_start);
        report.runs.push_back(std::move(run));
      }
    }
  }
  report.interrupted = interrupted();
  report.total_seconds = seconds_since(start);
  return report;
}

}  // namespace lookalike::cli
