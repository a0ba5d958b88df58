#include <cmath>

#include "eval/eval_report.h"

namespace lookalike::cli {
namespace {

using nlohmann::json;

json by_k(const std::vector<std::size_t>& ks, const std::vector<double>& values) {
  json j = json::object();
  for (std::size_t i = 0; i < ks.size() && i < values.size(); ++i) j[std::to_string(ks[i])] = values[i];
  return j;
}

json search_json(const SearchSettings& s) {
  if (s.kind == SearchKind::Exact) return {{"kind", "exact"}};
  if (s.kind == SearchKind::Partitioned) return {{"kind", s.name()}, {"lists", s.lists}, {"nprobe", s.nprobe}};
  return {{"kind", s.name()}, {"m", s.m}, {"ef_construction", s.ef_construction}, {"ef", s.ef}};
}

json score_json(float score) { return std::isfinite(score) ? json(score) : json(nullptr); }

}  // namespace

json eval_report_json(const EvalReport& report) {
  const EvalDataset& d = report.dataset;
  json j;
  j["schema"] = 1;
  j["kind"] = "lookalike-eval";
  j["created"] = report.created;
  j["tool"] = report.tool;
  j["dataset"] = {{"source", d.source}, {"kind", d.kind}, {"images", d.images.size()}, {"labels", d.labels}};
  j["dataset"]["excluded"] = json::array();
  for (const auto& e : report.excluded) j["dataset"]["excluded"].push_back({{"path", e.path}, {"error", e.error}});
  j["protocol"] = protocol_name(report.protocol);
  j["queries"] = report.queries;
  j["database"] = report.database;
  j["k"] = report.ks;
  j["threads"] = report.threads;
  j["feature_seconds"] = report.feature_seconds;
  j["total_seconds"] = report.total_seconds;
  j["interrupted"] = report.interrupted;
  j["example_queries"] = json::array();
  for (std::size_t q : report.example_queries)
    j["example_queries"].push_back(
        {{"index", q}, {"path", d.images[q].path}, {"label", d.labels[std::size_t(d.images[q].label)]}});
  j["runs"] = json::array();
  for (const auto& run : report.runs) {
    json r;
    r["feature"] = run.feature;
    r["feature_version"] = run.feature_version;
    r["dim"] = run.dim;
    r["metric"] = metric_name(run.metric);
    r["search"] = search_json(run.search);
    r["queries"] = run.overall.queries;
    r["skipped_queries"] = run.skipped_queries;
    r["precision"] = by_k(report.ks, run.overall.precision);
    r["precision_stderr"] = by_k(report.ks, run.overall.precision_stderr);
    r["full_ranking"] = run.full_ranking;
    r["map"] = run.full_ranking ? json(run.overall.map) : json(nullptr);
    r["map_stderr"] = run.full_ranking ? json(run.overall.map_stderr) : json(nullptr);
    r["recall_vs_exact"] = run.recall_vs_exact ? json(*run.recall_vs_exact) : json(nullptr);
    r["seconds"] = run.seconds;
    r["per_class"] = json::array();
    for (const auto& c : run.per_class)
      r["per_class"].push_back({{"label", c.label},
                                {"queries", c.scores.queries},
                                {"precision", by_k(report.ks, c.scores.precision)},
                                {"map", run.full_ranking ? json(c.scores.map) : json(nullptr)}});
    r["examples"] = json::array();
    for (std::size_t e = 0; e < run.examples.size() && e < report.example_queries.size(); ++e) {
      const std::size_t q = report.example_queries[e];
      json results = json::array();
      for (const Hit& h : run.examples[e])
        results.push_back({{"index", h.id},
                           {"path", d.images[h.id].path},
                           {"label", d.labels[std::size_t(d.images[h.id].label)]},
                           {"score", score_json(h.score)},
                           {"relevant", d.images[h.id].label == d.images[q].label}});
      r["examples"].push_back({{"query", q}, {"results", results}});
    }
    j["runs"].push_back(std::move(r));
  }
  return j;
}

}  // namespace lookalike::cli
