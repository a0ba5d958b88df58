// Writing an evaluation as eval.json (for programs), eval.md (for docs and
// reviews) and eval.html (self-contained: inline CSS, SVG bar charts, and
// example queries with their results as inline thumbnails).
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

#include "eval/retrieval_eval.h"

namespace lookalike::cli {

nlohmann::json eval_report_json(const EvalReport& report);
std::string eval_report_markdown(const EvalReport& report);

// A data: URI (or "") for the thumbnail of a dataset image, by index.
using ThumbnailUri = std::function<std::string(std::size_t image_index)>;
std::string eval_report_html(const EvalReport& report, const ThumbnailUri& thumbnail);
// The dataset images eval_report_html shows (example queries and results).
std::vector<std::size_t> report_thumbnail_indices(const EvalReport& report);

// The k shown in per-class tables and charts: 10 when measured, else the
// largest k below 10, else the smallest.
std::size_t headline_k_index(const EvalReport& report);

// "pixels:size=32 · l1 · exact"
std::string run_title(const RunResult& run);

// The main table (feature, metric, search, P@k…, mAP, recall vs exact, time)
// as plain text for a terminal.
std::string eval_summary_table(const EvalReport& report);

}  // namespace lookalike::cli
