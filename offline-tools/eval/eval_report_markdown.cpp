#include <algorithm>

#include "common/text.h"
#include "eval/eval_report.h"

namespace lookalike::cli {
namespace {

// Markdown table cells: no pipes or newlines from dataset names.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : printable(text)) {
    if (c == '|')
      out += "\\|";
    else
      out += c;
  }
  return out;
}

std::string dataset_sentence(const EvalReport& r) {
  const auto& d = r.dataset;
  std::string s = "Dataset `" + cell(d.source) + "` (" + d.kind + ", " + std::to_string(d.images.size()) + " images, " +
                  std::to_string(d.labels.size()) + " classes";
  if (!r.excluded.empty()) s += "; " + std::to_string(r.excluded.size()) + " excluded: could not be decoded";
  s += "). Protocol: " + std::string(protocol_name(r.protocol)) + " (" + std::to_string(r.queries) + " queries over " +
       std::to_string(r.database) + " images" +
       (r.protocol == Protocol::LeaveOneOut ? ", a query never counts itself" : "") + ").";
  return s;
}

}  // namespace

std::size_t headline_k_index(const EvalReport& report) {
  std::size_t best = 0;
  for (std::size_t i = 0; i < report.ks.size(); ++i)
    if (report.ks[i] <= 10) best = i;
  return best;
}

std::string run_title(const RunResult& run) {
  return run.feature + " · " + metric_name(run.metric) + " · " + run.search.name();
}

std::string eval_summary_table(const EvalReport& report) {
  const bool approximate = std::any_of(report.runs.begin(), report.runs.end(),
                                       [](const RunResult& r) { return r.recall_vs_exact.has_value(); });
  std::vector<std::string> header{"feature", "metric", "search"};
  for (std::size_t k : report.ks) header.push_back("P@" + std::to_string(k));
  header.push_back("mAP");
  if (approximate) header.push_back("recall");
  header.push_back("seconds");
  std::vector<std::vector<std::string>> rows{header};
  for (const auto& run : report.runs) {
    std::vector<std::string> row{run.feature, metric_name(run.metric), run.search.description()};
    for (double p : run.overall.precision) row.push_back(fixed(p, 3));
    row.push_back(run.full_ranking ? fixed(run.overall.map, 3) : "-");
    if (approximate) row.push_back(run.recall_vs_exact ? fixed(*run.recall_vs_exact, 3) : "-");
    row.push_back(fixed(run.seconds, 1));
    rows.push_back(row);
  }
  return format_table(rows, 3);
}

std::string eval_report_markdown(const EvalReport& r) {
  const bool approximate =
      std::any_of(r.runs.begin(), r.runs.end(), [](const RunResult& x) { return x.recall_vs_exact.has_value(); });
  const std::size_t hk = headline_k_index(r);
  std::string md = "# Retrieval evaluation\n\n" + dataset_sentence(r) + "\n\n";
  md += "Mean over queries; ± is the standard error of the mean. mAP: average precision over the whole ranking.";
  if (approximate)
    md += " Recall: share of the exact top-" + std::to_string(r.ks.back()) +
          " that the approximate search returns; it ranks only that top-" + std::to_string(r.ks.back()) +
          ", so it has no mAP (—).";
  md += "\n\n| feature | metric | search |";
  for (std::size_t k : r.ks) md += " P@" + std::to_string(k) + " |";
  md += " mAP |";
  if (approximate) md += " recall |";
  md += " seconds |\n|---|---|---|";
  for (std::size_t i = 0; i < r.ks.size(); ++i) md += "---:|";
  md += "---:|";
  if (approximate) md += "---:|";
  md += "---:|\n";
  for (const auto& run : r.runs) {
    md += "| " + cell(run.feature) + " | " + metric_name(run.metric) + " | " + cell(run.search.description()) + " |";
    for (std::size_t i = 0; i < r.ks.size(); ++i) {
      md += " " + fixed(run.overall.precision[i], 3);
      if (i == hk) md += " ± " + fixed(run.overall.precision_stderr[i], 3);
      md += " |";
    }
    md += " " + (run.full_ranking ? fixed(run.overall.map, 3) : std::string("—")) + " |";
    if (approximate) md += " " + (run.recall_vs_exact ? fixed(*run.recall_vs_exact, 3) : std::string("—")) + " |";
    md += " " + fixed(run.seconds, 1) + " |\n";
  }
  if (!r.runs.empty() && !r.runs.front().per_class.empty()) {
    md += "\n## Per class: P@" + std::to_string(r.ks[hk]) + "\n\n| feature · metric · search |";
    for (const auto& c : r.runs.front().per_class) md += " " + cell(c.label) + " |";
    md += "\n|---|";
    for (std::size_t i = 0; i < r.runs.front().per_class.size(); ++i) md += "---:|";
    md += "\n";
    for (const auto& run : r.runs) {
      md += "| " + cell(run_title(run)) + " |";
      for (const auto& c : run.per_class) md += " " + fixed(c.scores.precision[hk], 3) + " |";
      md += "\n";
    }
  }
  md += "\nFeatures computed in " + fixed(r.feature_seconds, 1) + " s; whole evaluation " + fixed(r.total_seconds, 1) +
        " s on " + std::to_string(r.threads) + " thread(s). " + cell(r.tool) + ", " + r.created + ".\n";
  if (!r.excluded.empty()) {
    md += "\n## Excluded images\n\n";
    for (const auto& e : r.excluded) md += "- `" + cell(e.path) + "`: " + cell(e.error) + "\n";
  }
  if (r.interrupted) md += "\n**Interrupted: results are incomplete.**\n";
  return md;
}

}  // namespace lookalike::cli
