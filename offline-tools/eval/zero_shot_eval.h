// Zero-shot evaluation of a CLIP-like model on a labelled image set: each
// class name, put in a prompt template ("a photo of a {}."), is a text
// query, embedded by the text tower that pairs with the model's image card.
//   classification  each image gets the class whose prompt is closest
//                   (by the metric): top-1 accuracy (and top-5 with ≥ 5
//                   classes), overall and per class;
//   retrieval       each class prompt ranks every image: precision@k and
//                   average precision (relevant = the class's images), per
//                   class and as the mean over classes.
// Images are embedded once (extract_features, as `eval` does); class names
// are prompted as written, with '_' read as a space.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "eval/eval_dataset.h"
#include "lookalike/metrics/metric.h"
#include "vectors/text_towers.h"

namespace lookalike::cli {

constexpr const char* kDefaultZeroShotPrompt = "a photo of a {}.";

struct ZeroShotConfig {
  std::vector<std::string> features;  // model:<card> specs
  TextTowerRequest text;              // which text towers (default: the installed ones that pair)
  std::string prompt = kDefaultZeroShotPrompt;
  std::vector<Metric> metrics{Metric::Cosine};
  std::vector<std::size_t> ks{1, 5, 10, 20};
  ModelRunOptions model;
  unsigned threads = 0;
  bool show_progress = true;
};

struct ZeroShotClass {
  std::string label, prompt;
  std::size_t images = 0;
  double accuracy = 0;            // of its images, the share classified as this class
  std::vector<double> precision;  // its prompt's precision@k, one per k
  double average_precision = 0;
};

struct ZeroShotRun {
  std::string feature, text_card;
  std::size_t dim = 0;
  Metric metric = Metric::Cosine;
  double accuracy = 0;                  // top-1 over all images
  std::optional<double> top5_accuracy;  // with 5 classes or more
  std::vector<double> precision;        // mean over classes of precision@k
  double map = 0;                       // mean over classes of average precision
  std::vector<ZeroShotClass> classes;
  double text_seconds = 0;
};

struct ZeroShotReport {
  std::string created, tool, prompt;
  EvalDataset dataset;                                        // the images evaluated (failed ones removed)
  std::vector<std::pair<std::string, std::string>> excluded;  // path, why
  std::vector<std::size_t> ks;
  std::vector<ZeroShotRun> runs;  // feature-major, then metric
  double feature_seconds = 0, total_seconds = 0;
  bool interrupted = false;
};

// The prompt for a class name: the template with "{}" replaced by the name
// ('_' read as a space). Throws Error(InvalidArgument) for a template without "{}".
std::string zero_shot_prompt(const std::string& prompt_template, const std::string& label);

// Throws Error(InvalidArgument) for a feature that is not a model, a model
// without a text tower, a bad k or template; Error(Corrupt) when fewer than
// two images decode or fewer than two classes remain.
ZeroShotReport run_zero_shot(const EvalDataset& dataset, const ZeroShotConfig& config);

nlohmann::json zero_shot_report_json(const ZeroShotReport& report);
std::string zero_shot_report_markdown(const ZeroShotReport& report);
std::string zero_shot_summary_table(const ZeroShotReport& report);

}  // namespace lookalike::cli
