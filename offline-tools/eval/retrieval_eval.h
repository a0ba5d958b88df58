// Retrieval quality of features × metrics × searches over a labelled image
// set: precision@k for several k and mean average precision, overall and per
// class, under one of two protocols:
//   leave-one-out  every image queries all the others (a query never counts
//                  itself); relevant = same label.
//   split          test images query the train images; relevant = same label.
// Average precision runs over the whole ranking, divided by all relevant
// items (the usual mAP); queries without any relevant item are skipped and
// counted. Features are computed once per image and shared by every metric.
// An approximate (HNSW) search ranks only the top max(k) and has no mAP; its
// recall against the exact top-k says how much it misses.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eval/eval_dataset.h"
#include "eval/ranker.h"
#include "lookalike/metrics/metric.h"
#include "lookalike/search/hit.h"
#include "vectors/feature_set.h"

namespace lookalike::cli {

enum class Protocol { LeaveOneOut, Split };
const char* protocol_name(Protocol protocol);  // "leave-one-out", "split"
Protocol parse_protocol(const std::string& name);

struct EvalConfig {
  std::vector<std::string> features;  // specs for choose_feature: traditional or model:<card>
  ModelRunOptions model;              // how model features run
  std::vector<Metric> metrics;
  // Exact search always runs first; an approximate search without it adds it
  // (recall against exact needs it).
  std::vector<SearchSettings> searches{SearchSettings{}};
  std::vector<std::size_t> ks{1, 5, 10, 20};
  Protocol protocol = Protocol::LeaveOneOut;
  std::size_t examples = 4;       // example queries kept for the report
  std::size_t example_depth = 8;  // results kept per example query
  unsigned threads = 0;
  bool show_progress = true;
  // Makes the ranker of a search; empty = make_ranker (tests inject their own).
  std::function<std::unique_ptr<Ranker>(const SearchSettings&)> ranker_factory;
};

struct Scores {
  std::size_t queries = 0;        // queries with at least one relevant item
  std::vector<double> precision;  // mean precision@k, one per config k
  std::vector<double> precision_stderr;
  double map = 0, map_stderr = 0;
};

struct ClassScores {
  std::string label;
  Scores scores;
};

struct RunResult {
  std::string feature;  // canonical spec
  int feature_version = 1;
  std::size_t dim = 0;
  Metric metric = Metric::L1;
  SearchSettings search;
  bool full_ranking = true;  // false: only the top max(k) was ranked, the mAP fields are not measured
  Scores overall;
  std::vector<ClassScores> per_class;     // in label order, classes with queries only
  std::size_t skipped_queries = 0;        // no relevant item in the database
  std::optional<double> recall_vs_exact;  // approximate searches: mean recall@k_max of the exact top-k
  double seconds = 0;
  std::vector<std::vector<Hit>> examples;  // per example query: its best results (dataset indices)
};

struct ExcludedImage {
  std::string path, error;
};

struct EvalReport {
  std::string created, tool;
  EvalDataset dataset;                  // the images evaluated (failed ones removed)
  std::vector<ExcludedImage> excluded;  // images that could not be decoded
  Protocol protocol = Protocol::LeaveOneOut;
  std::vector<std::size_t> ks;
  std::size_t queries = 0, database = 0;     // per run, before skipping
  std::vector<std::size_t> example_queries;  // dataset indices
  std::vector<RunResult> runs;               // feature-major, then metric, then search
  double feature_seconds = 0, total_seconds = 0;
  unsigned threads = 1;
  bool interrupted = false;
};

// Throws Error(InvalidArgument) for an unknown feature, a k of 0, a split
// protocol on a dataset without a split, or an unavailable search.
EvalReport run_evaluation(const EvalDataset& dataset, const EvalConfig& config);

// Mean and standard error of the mean (sample standard deviation / √n).
void mean_and_stderr(const std::vector<double>& values, double& mean, double& stderr_of_mean);

}  // namespace lookalike::cli
