#include <algorithm>
#include <map>
#include <set>

#include "common/text.h"
#include "eval/eval_report.h"

namespace lookalike::cli {
namespace {

// Dataset paths and labels may be crawled text: always escaped.
std::string esc(const std::string& text) {
  std::string out;
  for (char c : printable(text)) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

const char* metric_colour(Metric m) {
  switch (m) {
    case Metric::L1: return "#4e79a7";
    case Metric::L2: return "#f28e2b";
    case Metric::Cosine: return "#59a14f";
    case Metric::Correlation: return "#e15759";
  }
  return "#888";
}

struct Bar {
  std::string label;
  double value = 0, error = 0;
  Metric metric = Metric::L1;
  bool group_start = false;
};

// A horizontal bar chart of values in [0, 1], one bar per run, a gap between
// features, the standard error as a whisker.
std::string bar_chart(const std::string& title, const std::vector<Bar>& bars) {
  const int label_width = 300, plot_width = 380, row = 20, top = 28, gap = 8;
  int groups = 0;
  for (const auto& b : bars) groups += b.group_start ? 1 : 0;
  const int height = top + int(bars.size()) * row + groups * gap + 24;
  const int width = label_width + plot_width + 60;
  std::string s = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + std::to_string(width) + " " +
                  std::to_string(height) + "\" width=\"" + std::to_string(width) + "\" height=\"" +
                  std::to_string(height) + "\" xmlns=\"http://www.w3.org/2000/svg\">";
  s += "<title>" + esc(title) + "</title>";
  s += "<text x=\"0\" y=\"16\" class=\"ct\">" + esc(title) + "</text>";
  const int plot_bottom = height - 20;
  for (int t = 0; t <= 4; ++t) {
    const int x = label_width + plot_width * t / 4;
    s += "<line x1=\"" + std::to_string(x) + "\" y1=\"" + std::to_string(top - 4) + "\" x2=\"" + std::to_string(x) +
         "\" y2=\"" + std::to_string(plot_bottom) + "\" class=\"grid\"/>";
    s += "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(height - 6) + "\" class=\"tick\">" +
         fixed(t / 4.0, 2) + "</text>";
  }
  int y = top;
  bool first = true;
  for (const auto& b : bars) {
    if (b.group_start && !first) y += gap;
    first = false;
    const double v = std::clamp(b.value, 0.0, 1.0);
    const int w = int(v * plot_width + 0.5);
    s += "<g><title>" + esc(b.label) + ": " + fixed(b.value, 3) + " ± " + fixed(b.error, 3) + "</title>";
    s += "<text x=\"" + std::to_string(label_width - 6) + "\" y=\"" + std::to_string(y + 14) + "\" class=\"bl\">" +
         esc(b.label) + "</text>";
    s += "<rect x=\"" + std::to_string(label_width) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" +
         std::to_string(w) + "\" height=\"" + std::to_string(row - 6) + "\" fill=\"" + metric_colour(b.metric) + "\"/>";
    if (b.error > 0) {
      const int x0 = label_width + int(std::clamp(b.value - b.error, 0.0, 1.0) * plot_width);
      const int x1 = label_width + int(std::clamp(b.value + b.error, 0.0, 1.0) * plot_width);
      s += "<line x1=\"" + std::to_string(x0) + "\" y1=\"" + std::to_string(y + row / 2) + "\" x2=\"" +
           std::to_string(x1) + "\" y2=\"" + std::to_string(y + row / 2) + "\" class=\"err\"/>";
    }
    s += "<text x=\"" + std::to_string(label_width + w + 6) + "\" y=\"" + std::to_string(y + 14) + "\" class=\"bv\">" +
         fixed(b.value, 3) + "</text></g>";
    y += row;
  }
  return s + "</svg>\n";
}

std::string heat(double v) {
  const int hue = int(std::clamp(v, 0.0, 1.0) * 120.0);
  return "background:hsl(" + std::to_string(hue) + ",60%,82%)";
}

constexpr const char* kStyle = R"(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1200px;padding:0 16px;color:#222;background:#fff}
h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
p.meta{color:#555}table{border-collapse:collapse;margin:8px 0}th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:right;white-space:nowrap}
th:first-child,td:first-child,th.l,td.l{text-align:left}th{background:#f5f5f5;font-weight:600}
.chart{max-width:100%;height:auto;margin:8px 0}.chart .ct{font-weight:600;font-size:13px}.chart .tick{font-size:10px;text-anchor:middle;fill:#666}
.chart .grid{stroke:#e3e3e3}.chart .bl{font-size:11px;text-anchor:end}.chart .bv{font-size:11px;fill:#333}.chart .err{stroke:#222;stroke-width:1.5}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
.t{display:inline-block;width:64px;height:64px;background:#ccc center/cover no-repeat;border:3px solid transparent;border-radius:4px;margin:1px;vertical-align:middle}
.t.ok{border-color:#2e7d32}.t.no{border-color:#c62828}.t.q{width:96px;height:96px;border-color:#333}
.example{margin:16px 0}.example .head{display:flex;gap:12px;align-items:center;margin-bottom:6px}
table.ex td{text-align:left}table.ex th{text-align:left;font-weight:500;background:none;font-size:12px}
footer{margin-top:32px;color:#777;font-size:12px}
)";

}  // namespace

std::vector<std::size_t> report_thumbnail_indices(const EvalReport& r) {
  std::set<std::size_t> used(r.example_queries.begin(), r.example_queries.end());
  for (const auto& run : r.runs)
    for (const auto& hits : run.examples)
      for (const auto& h : hits) used.insert(h.id);
  return {used.begin(), used.end()};
}

namespace {

// The page's head: the title, the style and the example thumbnails, each
// embedded once as a CSS class.
std::string html_head(const EvalReport& r, const ThumbnailUri& thumbnail) {
  std::string thumbs_css;
  if (thumbnail)
    for (std::size_t i : report_thumbnail_indices(r)) {
      const std::string uri = thumbnail(i);
      if (!uri.empty()) thumbs_css += ".i" + std::to_string(i) + "{background-image:url(" + uri + ")}\n";
    }
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
         "<title>Retrieval evaluation: " +
         esc(r.dataset.source) + "</title><style>" + kStyle + thumbs_css + "</style></head><body>\n";
}

// What was evaluated how, the metric legend and the two bar charts.
std::string summary_and_charts(const EvalReport& r, std::size_t hk, const std::string& k_text) {
  const auto& d = r.dataset;
  std::string h = "<h1>Retrieval evaluation</h1>\n<p class=\"meta\">Dataset <code>" + esc(d.source) + "</code> (" +
                  esc(d.kind) + ", " + std::to_string(d.images.size()) + " images, " + std::to_string(d.labels.size()) +
                  " classes";
  if (!r.excluded.empty()) h += "; " + std::to_string(r.excluded.size()) + " excluded: could not be decoded";
  h += "). Protocol: <b>" + std::string(protocol_name(r.protocol)) + "</b>, " + std::to_string(r.queries) +
       " queries over " + std::to_string(r.database) + " images" +
       (r.protocol == Protocol::LeaveOneOut ? " (a query never counts itself)" : "") +
       ". Whiskers and ± show the standard error of the mean.</p>\n";
  h += "<p class=\"legend\">";
  for (Metric m : kAllMetrics)
    h += "<span><i style=\"background:" + std::string(metric_colour(m)) + "\"></i>" + metric_name(m) + "</span>";
  h += "</p>\n";
  std::vector<Bar> precision_bars, map_bars;
  std::string last_feature;
  for (const auto& run : r.runs) {
    const bool start = run.feature != last_feature;
    last_feature = run.feature;
    const std::string label = run_title(run);
    if (!run.overall.precision.empty())
      precision_bars.push_back({label, run.overall.precision[hk], run.overall.precision_stderr[hk], run.metric, start});
    if (run.full_ranking) map_bars.push_back({label, run.overall.map, run.overall.map_stderr, run.metric, start});
  }
  return h + bar_chart("Mean precision@" + k_text, precision_bars) +
         bar_chart("Mean average precision (mAP)", map_bars);
}

std::string measures_table(const EvalReport& r, std::size_t hk) {
  const bool approximate =
      std::any_of(r.runs.begin(), r.runs.end(), [](const RunResult& x) { return x.recall_vs_exact.has_value(); });
  std::string h =
      "<h2>All measures</h2>\n<table><tr><th>feature</th><th class=\"l\">metric</th><th "
      "class=\"l\">search</th>";
  for (std::size_t k : r.ks) h += "<th>P@" + std::to_string(k) + "</th>";
  h += "<th>mAP</th>";
  if (approximate) h += "<th>recall vs exact</th>";
  h += "<th>seconds</th></tr>\n";
  for (const auto& run : r.runs) {
    h += "<tr><td>" + esc(run.feature) + "</td><td class=\"l\">" + metric_name(run.metric) + "</td><td class=\"l\">" +
         esc(run.search.description()) + "</td>";
    for (std::size_t i = 0; i < run.overall.precision.size(); ++i)
      h += "<td>" + fixed(run.overall.precision[i], 3) +
           (i == hk ? " ± " + fixed(run.overall.precision_stderr[i], 3) : "") + "</td>";
    h += "<td>" + (run.full_ranking ? fixed(run.overall.map, 3) : std::string("—")) + "</td>";
    if (approximate) h += "<td>" + (run.recall_vs_exact ? fixed(*run.recall_vs_exact, 3) : std::string("—")) + "</td>";
    h += "<td>" + fixed(run.seconds, 1) + "</td></tr>\n";
  }
  return h + "</table>\n";
}

std::string per_class_table(const EvalReport& r, std::size_t hk, const std::string& k_text) {
  if (r.runs.empty() || r.runs.front().per_class.empty()) return {};
  std::string h = "<h2>Per class: precision@" + k_text + "</h2>\n<table><tr><th>feature · metric · search</th>";
  for (const auto& c : r.runs.front().per_class) h += "<th>" + esc(c.label) + "</th>";
  h += "</tr>\n";
  for (const auto& run : r.runs) {
    h += "<tr><td>" + esc(run_title(run)) + "</td>";
    for (const auto& c : run.per_class) {
      const double v = c.scores.precision.empty() ? 0.0 : c.scores.precision[hk];
      h += "<td style=\"" + heat(v) + "\">" + fixed(v, 3) + "</td>";
    }
    h += "</tr>\n";
  }
  return h + "</table>\n";
}

std::string example_queries(const EvalReport& r) {
  if (r.example_queries.empty()) return {};
  const auto& d = r.dataset;
  std::string h =
      "<h2>Example queries</h2>\n<p class=\"meta\">The best results of a few queries for every run; green: same "
      "class as the query, red: another class.</p>\n";
  for (std::size_t e = 0; e < r.example_queries.size(); ++e) {
    const std::size_t q = r.example_queries[e];
    const std::string qlabel = d.labels[std::size_t(d.images[q].label)];
    h += "<div class=\"example\"><div class=\"head\"><span class=\"t q i" + std::to_string(q) + "\" title=\"" +
         esc(d.images[q].path) + "\"></span><div><b>" + esc(qlabel) + "</b><br><code>" + esc(d.images[q].path) +
         "</code></div></div>\n<table class=\"ex\">";
    for (const auto& run : r.runs) {
      if (e >= run.examples.size()) continue;
      h += "<tr><th>" + esc(run_title(run)) + "</th><td>";
      for (const Hit& hit : run.examples[e]) {
        const auto& img = d.images[hit.id];
        const bool relevant = img.label == d.images[q].label;
        h += "<span class=\"t " + std::string(relevant ? "ok" : "no") + " i" + std::to_string(hit.id) + "\" title=\"" +
             esc(img.path + " (" + d.labels[std::size_t(img.label)] + ") " + fixed(hit.score, 4)) + "\"></span>";
      }
      h += "</td></tr>\n";
    }
    h += "</table></div>\n";
  }
  return h;
}

std::string html_end(const EvalReport& r) {
  std::string h;
  if (!r.excluded.empty()) {
    h += "<h2>Excluded images</h2>\n<ul>";
    for (const auto& x : r.excluded) h += "<li><code>" + esc(x.path) + "</code>: " + esc(x.error) + "</li>";
    h += "</ul>\n";
  }
  if (r.interrupted) h += "<p><b>Interrupted: results are incomplete.</b></p>\n";
  return h + "<footer>Features computed in " + fixed(r.feature_seconds, 1) + " s; whole evaluation " +
         fixed(r.total_seconds, 1) + " s on " + std::to_string(r.threads) + " thread(s). " + esc(r.tool) + ", " +
         esc(r.created) + ".</footer>\n</body></html>\n";
}

}  // namespace

std::string eval_report_html(const EvalReport& r, const ThumbnailUri& thumbnail) {
  const std::size_t hk = headline_k_index(r);
  const std::string k_text = r.ks.empty() ? "k" : std::to_string(r.ks[hk]);
  return html_head(r, thumbnail) + summary_and_charts(r, hk, k_text) + measures_table(r, hk) +
         per_class_table(r, hk, k_text) + example_queries(r) + html_end(r);
}

}  // namespace lookalike::cli
