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
#include "common/progress.h"
#include "common/text.h"
#include "common/version.h"
#include "lookalike/common/error.h"
#include "lookalike/common/parallel.h"
#include "lookalike/eval/measures.h"
#include "lookalike/features/feature.h"

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

// What an evaluation runs, checked before any image is decoded.
struct EvalPlan {
  std::vector<std::size_t> ks;  // sorted, unique, each at least 1
  std::vector<FeatureChoice> features;
  std::vector<Metric> metrics;
  std::vector<SearchSettings> searches;  // exact first: approximate ones are measured against it
  std::vector<std::unique_ptr<Ranker>> rankers;
};

EvalPlan plan_evaluation(const EvalDataset& input, const EvalConfig& config) {
  EvalPlan plan;
  plan.ks = config.ks;
  if (plan.ks.empty()) fail(ErrorKind::InvalidArgument, "--k needs at least one value");
  for (std::size_t k : plan.ks)
    if (k == 0) fail(ErrorKind::InvalidArgument, "--k values must be at least 1");
  std::sort(plan.ks.begin(), plan.ks.end());
  plan.ks.erase(std::unique(plan.ks.begin(), plan.ks.end()), plan.ks.end());
  plan.features = choose_features(config.features);
  if (plan.features.empty()) fail(ErrorKind::InvalidArgument, "no feature to evaluate");
  plan.metrics = config.metrics;
  if (plan.metrics.empty()) fail(ErrorKind::InvalidArgument, "no metric to evaluate");
  plan.searches = config.searches;
  if (plan.searches.empty()) fail(ErrorKind::InvalidArgument, "no search to evaluate");
  std::stable_sort(plan.searches.begin(), plan.searches.end(), [](const SearchSettings& a, const SearchSettings& b) {
    return a.kind == SearchKind::Exact && b.kind != SearchKind::Exact;
  });
  if (plan.searches.front().kind != SearchKind::Exact) plan.searches.insert(plan.searches.begin(), SearchSettings{});
  for (const auto& s : plan.searches)
    plan.rankers.push_back(config.ranker_factory ? config.ranker_factory(s) : make_ranker(s));
  if (input.images.empty()) fail(ErrorKind::Corrupt, "no images to evaluate in " + input.source);
  if (config.protocol == Protocol::Split && !input.has_split())
    fail(ErrorKind::InvalidArgument, "the split protocol needs train and test images: " + input.source +
                                         " has no split (run `lookalike prep` and evaluate its manifest)");
  return plan;
}

// Features, once per image; the images that could not be decoded are left
// out of report.dataset and listed in report.excluded. Empty matrices when
// interrupted.
std::vector<FeatureMatrix> dataset_features(const EvalDataset& input, const EvalPlan& plan, const EvalConfig& config,
                                            EvalReport& report) {
  std::vector<std::filesystem::path> files;
  for (const auto& image : input.images) files.push_back(image.file);
  const auto feature_start = std::chrono::steady_clock::now();
  ExtractionOptions extraction_options;
  extraction_options.threads = config.threads;
  extraction_options.show_progress = config.show_progress;
  extraction_options.model = config.model;
  FeatureExtraction extraction = extract_features(files, plan.features, extraction_options);
  report.feature_seconds = seconds_since(feature_start);
  if (extraction.interrupted) {
    report.interrupted = true;
    report.dataset = input;
    return {};
  }
  for (std::size_t i = 0; i < files.size(); ++i)
    if (!extraction.ok[i]) report.excluded.push_back({input.images[i].path, extraction.errors[i]});
  const std::size_t usable = std::size_t(std::count(extraction.ok.begin(), extraction.ok.end(), true));
  if (usable < 2) {
    // A report over fewer than two images would be all zeros: say why instead.
    const auto first =
        std::size_t(std::find(extraction.ok.begin(), extraction.ok.end(), false) - extraction.ok.begin());
    fail(extraction.error_kinds[first],
         std::to_string(files.size() - usable) + " of " + std::to_string(files.size()) + " images in " + input.source +
             " could not be decoded, too few to evaluate; the first: " + input.images[first].path + ": " +
             extraction.errors[first]);
  }
  report.dataset = keep_images(input, extraction.ok);
  for (auto& m : extraction.matrices) m = keep_rows(m, extraction.ok);
  return std::move(extraction.matrices);
}

// Who queries whom under the protocol, and what counts as relevant.
struct QuerySet {
  std::vector<int> labels;                              // per dataset image
  std::vector<std::uint32_t> queries, database;         // dataset indices
  std::vector<std::size_t> relevant_in_database;        // per label
  bool query_in_database = true;                        // leave-one-out: a query is in the database, never counted
  std::vector<std::vector<std::size_t>> class_members;  // per label: query positions
  std::vector<std::size_t> all_queries;                 // every query position
  std::vector<std::size_t> examples;                    // query positions kept for the report
};

QuerySet make_query_set(const EvalDataset& dataset, const EvalConfig& config) {
  QuerySet qs;
  for (const auto& image : dataset.images) qs.labels.push_back(image.label);
  for (std::uint32_t i = 0; i < dataset.images.size(); ++i) {
    const Split split = dataset.images[i].split;
    if (config.protocol == Protocol::LeaveOneOut || split == Split::Test) qs.queries.push_back(i);
    if (config.protocol == Protocol::LeaveOneOut || split == Split::Train) qs.database.push_back(i);
  }
  qs.relevant_in_database.assign(dataset.labels.size(), 0);
  for (std::uint32_t i : qs.database) ++qs.relevant_in_database[std::size_t(qs.labels[i])];
  qs.query_in_database = config.protocol == Protocol::LeaveOneOut;
  qs.class_members.resize(dataset.labels.size());
  for (std::size_t q = 0; q < qs.queries.size(); ++q)
    qs.class_members[std::size_t(qs.labels[qs.queries[q]])].push_back(q);
  qs.all_queries.resize(qs.queries.size());
  for (std::size_t q = 0; q < qs.queries.size(); ++q) qs.all_queries[q] = q;
  qs.examples = pick_examples(qs.queries, qs.labels, config.examples);
  return qs;
}

// Mean recall of each query's exact top-k among the approximate top-k.
double recall_against(const std::vector<std::vector<std::uint32_t>>& exact_top,
                      const std::vector<std::vector<std::uint32_t>>& top) {
  std::vector<double> recalls;
  for (std::size_t q = 0; q < exact_top.size(); ++q) {
    if (exact_top[q].empty()) continue;
    const std::set<std::uint32_t> truth(exact_top[q].begin(), exact_top[q].end());
    std::size_t found = 0;
    for (std::uint32_t id : top[q]) found += truth.count(id);
    recalls.push_back(double(found) / double(truth.size()));
  }
  return mean(recalls);
}

// One search of one feature and metric: every query's measures, its top
// k_max (kept for recall when `keep_top`) and the example queries' results.
struct SearchRun {
  QueryMeasures measures;
  std::vector<std::vector<std::uint32_t>> top;
  std::vector<std::vector<Hit>> example_hits;
};

SearchRun run_search(Ranker& ranker, const FeatureMatrix& matrix, Metric metric, const SearchSettings& search,
                     const QuerySet& qs, const std::vector<std::size_t>& ks, bool keep_top, const EvalConfig& config) {
  // An approximate search returns its top k, not a whole ranking: it is
  // measured by precision@k and recall, not by average precision.
  const bool full_ranking = search.kind == SearchKind::Exact;
  const std::size_t k_max = ks.back();
  SearchRun run;
  run.measures.precision.assign(ks.size(), std::vector<double>(qs.queries.size(), 0.0));
  run.measures.ap.assign(qs.queries.size(), 0.0);
  run.measures.counted.assign(qs.queries.size(), 0);
  run.top.resize(qs.queries.size());
  run.example_hits.resize(qs.examples.size());
  std::optional<Progress> progress;
  if (config.show_progress)
    progress.emplace(matrix.spec + " " + metric_name(metric) + " " + search.name(), qs.queries.size(), "queries");
  ranker.rank(matrix, metric, qs.queries, qs.database, full_ranking ? 0 : k_max, config.threads,
              [&](std::size_t q, const std::vector<Hit>& ranking) {
                const std::uint32_t query = qs.queries[q];
                const std::vector<bool> relevance = leave_one_out_relevance(ranking, query, qs.labels);
                std::size_t total = qs.relevant_in_database[std::size_t(qs.labels[query])];
                if (qs.query_in_database) --total;
                if (total > 0) {
                  run.measures.counted[q] = 1;
                  for (std::size_t k = 0; k < ks.size(); ++k)
                    run.measures.precision[k][q] = precision_at_k(relevance, ks[k]);
                  if (full_ranking) run.measures.ap[q] = average_precision(relevance, total);
                }
                if (keep_top)
                  for (std::size_t r = 0; r < ranking.size() && r < k_max; ++r) run.top[q].push_back(ranking[r].id);
                for (std::size_t e = 0; e < qs.examples.size(); ++e)
                  if (qs.examples[e] == q)
                    run.example_hits[e].assign(
                        ranking.begin(),
                        ranking.begin() + std::ptrdiff_t(std::min(ranking.size(), config.example_depth)));
                if (progress) progress->advance();
              });
  if (progress) progress->finish();
  return run;
}

RunResult run_result(const FeatureMatrix& matrix, Metric metric, const SearchSettings& search,
                     const SearchRun& measured, const QuerySet& qs, const EvalDataset& dataset) {
  RunResult run;
  run.feature = matrix.spec;
  run.feature_version = matrix.version;
  run.dim = matrix.dim;
  run.metric = metric;
  run.search = search;
  run.full_ranking = search.kind == SearchKind::Exact;
  run.overall = aggregate(measured.measures, qs.all_queries);
  run.skipped_queries = qs.queries.size() - run.overall.queries;
  for (std::size_t c = 0; c < dataset.labels.size(); ++c) {
    if (qs.class_members[c].empty()) continue;
    run.per_class.push_back({dataset.labels[c], aggregate(measured.measures, qs.class_members[c])});
  }
  run.examples = measured.example_hits;
  return run;
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
  report.tool = tool_signature("eval");
  report.protocol = config.protocol;
  report.threads = thread_count(config.threads);
  const EvalPlan plan = plan_evaluation(input, config);
  report.ks = plan.ks;
  const std::vector<FeatureMatrix> matrices = dataset_features(input, plan, config, report);
  if (report.interrupted) return report;
  const QuerySet qs = make_query_set(report.dataset, config);
  report.queries = qs.queries.size();
  report.database = qs.database.size();
  for (std::size_t e : qs.examples) report.example_queries.push_back(qs.queries[e]);

  for (const auto& matrix : matrices) {
    for (const Metric metric : plan.metrics) {
      // The exact top-k_max of each query, kept when an approximate search
      // is measured against it.
      std::vector<std::vector<std::uint32_t>> exact_top;
      for (std::size_t s = 0; s < plan.rankers.size() && !interrupted(); ++s) {
        const SearchSettings& search = plan.searches[s];
        const auto run_start = std::chrono::steady_clock::now();
        const SearchRun measured =
            run_search(*plan.rankers[s], matrix, metric, search, qs, plan.ks, plan.searches.size() > 1, config);
        if (interrupted()) break;
        RunResult run = run_result(matrix, metric, search, measured, qs, report.dataset);
        if (search.kind == SearchKind::Exact && exact_top.empty()) exact_top = measured.top;
        if (search.kind != SearchKind::Exact && !exact_top.empty())
          run.recall_vs_exact = recall_against(exact_top, measured.top);
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
