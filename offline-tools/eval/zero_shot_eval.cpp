#include "eval/zero_shot_eval.h"

#include <algorithm>
#include <chrono>
#include <numeric>

#include "common/clock.h"
#include "common/text.h"
#include "common/version.h"
#include "embed/text_embedder.h"
#include "lookalike/common/error.h"
#include "lookalike/eval/measures.h"
#include "vectors/feature_matrix.h"

namespace lookalike::cli {
namespace {

// Checks the arguments and finds each feature's text tower, before any image is read.
std::vector<LoadedTextCard> text_towers_for(const std::vector<FeatureChoice>& features, const ZeroShotConfig& config) {
  if (features.empty()) fail(ErrorKind::InvalidArgument, "zero-shot: give a model feature (--feature model:<card>)");
  for (const auto& f : features)
    if (!f.is_model())
      fail(ErrorKind::InvalidArgument, "zero-shot: " + f.spec +
                                           " describes images only; the zero-shot protocol needs a model whose text "
                                           "tower shares its space (e.g. --feature model:clip-vit-b32)");
  const auto towers = choose_text_towers(features, config.text);
  std::vector<LoadedTextCard> chosen;
  for (std::size_t i = 0; i < features.size(); ++i) {
    if (!towers[i])
      fail(ErrorKind::InvalidArgument,
           "zero-shot: " + features[i].spec + " has no installed text tower (a text card naming " +
               features[i].card->card.name + " in pairs_with, with its model file; e.g. models/fetch.sh " +
               "clip-vit-b32-text for clip-vit-b32), or give one with --text-card");
    chosen.push_back(*towers[i]);
  }
  return chosen;
}

// Ranks positions 0..n-1 by their scores under `metric`, the lower position first among equals.
std::vector<std::size_t> ranked(const std::vector<float>& scores, Metric metric) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return score_ranks_before(metric, scores[a], scores[b]); });
  return order;
}

// One feature × metric: classification of every image, retrieval for every class prompt.
ZeroShotRun measure(const FeatureMatrix& images, const std::vector<float>& prompts,
                    const std::vector<std::string>& prompt_texts, const EvalDataset& dataset, Metric metric,
                    const std::vector<std::size_t>& ks) {
  const std::size_t n = images.rows(), classes = dataset.labels.size(), dim = images.dim;
  std::vector<std::vector<float>> by_class(classes, std::vector<float>(n));  // [class][image]
  std::vector<std::size_t> correct(classes, 0), members(classes, 0);
  std::size_t top1 = 0, top5 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<float> scores(classes);
    for (std::size_t c = 0; c < classes; ++c)
      by_class[c][i] = scores[c] = metric_value(metric, images.row(i), prompts.data() + c * dim, dim);
    const std::vector<std::size_t> order = ranked(scores, metric);
    const auto label = std::size_t(dataset.images[i].label);
    ++members[label];
    if (order[0] == label) ++top1, ++correct[label];
    if (std::find(order.begin(), order.begin() + std::ptrdiff_t(std::min<std::size_t>(5, classes)), label) !=
        order.begin() + std::ptrdiff_t(std::min<std::size_t>(5, classes)))
      ++top5;
  }
  ZeroShotRun run;
  run.feature = images.spec;
  run.dim = dim;
  run.metric = metric;
  run.accuracy = double(top1) / double(n);
  if (classes >= 5) run.top5_accuracy = double(top5) / double(n);
  std::vector<std::vector<double>> precision(ks.size());
  std::vector<double> aps;
  for (std::size_t c = 0; c < classes; ++c) {
    if (members[c] == 0) continue;  // a class without images is only a distractor for classification
    ZeroShotClass result{
        dataset.labels[c], prompt_texts[c], members[c], double(correct[c]) / double(members[c]), {}, 0};
    std::vector<bool> relevance;
    for (const std::size_t i : ranked(by_class[c], metric))
      relevance.push_back(std::size_t(dataset.images[i].label) == c);
    for (std::size_t k = 0; k < ks.size(); ++k) {
      result.precision.push_back(precision_at_k(relevance, ks[k]));
      precision[k].push_back(result.precision.back());
    }
    result.average_precision = average_precision(relevance, members[c]);
    aps.push_back(result.average_precision);
    run.classes.push_back(std::move(result));
  }
  for (const auto& p : precision) run.precision.push_back(mean(p));
  run.map = mean(aps);
  return run;
}

std::string percent(double v) { return fixed(100 * v, 1) + " %"; }

}  // namespace

std::string zero_shot_prompt(const std::string& prompt_template, const std::string& label) {
  const std::size_t at = prompt_template.find("{}");
  if (at == std::string::npos)
    fail(ErrorKind::InvalidArgument, "zero-shot: the prompt \"" + prompt_template +
                                         "\" has no {} where the class name goes (e.g. \"a photo of a {}.\")");
  std::string name = label;
  std::replace(name.begin(), name.end(), '_', ' ');
  return prompt_template.substr(0, at) + name + prompt_template.substr(at + 2);
}

ZeroShotReport run_zero_shot(const EvalDataset& input, const ZeroShotConfig& config) {
  const auto start = std::chrono::steady_clock::now();
  ZeroShotReport report;
  report.created = utc_timestamp();
  report.tool = tool_signature("eval --protocol zero-shot");
  report.prompt = config.prompt;
  zero_shot_prompt(config.prompt, "x");  // the template is checked first
  report.ks = config.ks;
  std::sort(report.ks.begin(), report.ks.end());
  report.ks.erase(std::unique(report.ks.begin(), report.ks.end()), report.ks.end());
  if (report.ks.empty() || report.ks.front() == 0) fail(ErrorKind::InvalidArgument, "--k values must be at least 1");
  if (config.metrics.empty()) fail(ErrorKind::InvalidArgument, "no metric to evaluate");
  const std::vector<FeatureChoice> features = choose_features(config.features);
  const std::vector<LoadedTextCard> towers = text_towers_for(features, config);
  if (input.images.empty()) fail(ErrorKind::Corrupt, "no images to evaluate in " + input.source);
  if (input.labels.size() < 2)
    fail(ErrorKind::InvalidArgument, "zero-shot: " + input.source + " has " + std::to_string(input.labels.size()) +
                                         " class; classifying needs two or more");

  std::vector<std::filesystem::path> files;
  for (const auto& image : input.images) files.push_back(image.file);
  ExtractionOptions extraction_options;
  extraction_options.threads = config.threads;
  extraction_options.show_progress = config.show_progress;
  extraction_options.model = config.model;
  const auto feature_start = std::chrono::steady_clock::now();
  FeatureExtraction extraction = extract_features(files, features, extraction_options);
  report.feature_seconds = seconds_since(feature_start);
  report.dataset = input;
  if ((report.interrupted = extraction.interrupted)) return report;
  for (std::size_t i = 0; i < files.size(); ++i)
    if (!extraction.ok[i]) report.excluded.emplace_back(input.images[i].path, extraction.errors[i]);
  if (std::count(extraction.ok.begin(), extraction.ok.end(), true) < 2)
    fail(ErrorKind::Corrupt, "zero-shot: fewer than two images of " + input.source + " could be decoded");
  report.dataset = keep_images(input, extraction.ok);

  std::vector<std::string> prompts;
  for (const auto& label : report.dataset.labels) prompts.push_back(zero_shot_prompt(config.prompt, label));
  for (std::size_t f = 0; f < features.size(); ++f) {
    const FeatureMatrix images = keep_rows(extraction.matrices[f], extraction.ok);
    TextEmbedderOptions options;
    options.model_threads = config.model.model_threads;
    TextEmbedder embedder(towers[f], options);
    if (embedder.dim() != images.dim)
      fail(ErrorKind::InvalidArgument, "zero-shot: " + towers[f].card.name + " gives " +
                                           std::to_string(embedder.dim()) + "-d vectors, " + features[f].spec + " " +
                                           std::to_string(images.dim) + "-d");
    const auto text_start = std::chrono::steady_clock::now();
    const std::vector<float> text = embedder.embed(prompts);
    const double text_seconds = seconds_since(text_start);
    for (const Metric metric : config.metrics) {
      ZeroShotRun run = measure(images, text, prompts, report.dataset, metric, report.ks);
      run.text_card = towers[f].card.name;
      run.text_seconds = text_seconds;
      report.runs.push_back(std::move(run));
    }
  }
  report.total_seconds = seconds_since(start);
  return report;
}

nlohmann::json zero_shot_report_json(const ZeroShotReport& report) {
  nlohmann::json runs = nlohmann::json::array();
  for (const ZeroShotRun& run : report.runs) {
    nlohmann::json precision = nlohmann::json::object(), classes = nlohmann::json::array();
    for (std::size_t k = 0; k < report.ks.size(); ++k) precision[std::to_string(report.ks[k])] = run.precision[k];
    for (const ZeroShotClass& c : run.classes) {
      nlohmann::json p = nlohmann::json::object();
      for (std::size_t k = 0; k < report.ks.size(); ++k) p[std::to_string(report.ks[k])] = c.precision[k];
      classes.push_back({{"label", c.label},
                         {"prompt", c.prompt},
                         {"images", c.images},
                         {"accuracy", c.accuracy},
                         {"precision_at", p},
                         {"average_precision", c.average_precision}});
    }
    runs.push_back(
        {{"feature", run.feature},
         {"text_card", run.text_card},
         {"dim", run.dim},
         {"metric", metric_name(run.metric)},
         {"classification",
          {{"accuracy", run.accuracy},
           {"top5_accuracy", run.top5_accuracy ? nlohmann::json(*run.top5_accuracy) : nlohmann::json(nullptr)}}},
         {"retrieval", {{"precision_at", precision}, {"map", run.map}}},
         {"classes", classes},
         {"text_seconds", run.text_seconds}});
  }
  nlohmann::json excluded = nlohmann::json::array();
  for (const auto& [path, error] : report.excluded) excluded.push_back({{"path", path}, {"error", error}});
  return {{"schema", 1},
          {"protocol", "zero-shot"},
          {"created", report.created},
          {"tool", report.tool},
          {"dataset",
           {{"source", report.dataset.source},
            {"kind", report.dataset.kind},
            {"images", report.dataset.images.size()},
            {"classes", report.dataset.labels}}},
          {"prompt", report.prompt},
          {"ks", report.ks},
          {"runs", runs},
          {"excluded", excluded},
          {"feature_seconds", report.feature_seconds},
          {"total_seconds", report.total_seconds},
          {"interrupted", report.interrupted}};
}

std::string zero_shot_summary_table(const ZeroShotReport& report) {
  std::vector<std::vector<std::string>> rows{{"feature", "text tower", "metric", "accuracy", "top-5"}};
  for (const std::size_t k : report.ks) rows.front().push_back("P@" + std::to_string(k));
  rows.front().push_back("mAP");
  for (const ZeroShotRun& run : report.runs) {
    std::vector<std::string> row{run.feature, run.text_card, metric_name(run.metric), percent(run.accuracy),
                                 run.top5_accuracy ? percent(*run.top5_accuracy) : "-"};
    for (const double p : run.precision) row.push_back(fixed(p, 3));
    row.push_back(fixed(run.map, 3));
    rows.push_back(std::move(row));
  }
  return format_table(rows, 3);
}

std::string zero_shot_report_markdown(const ZeroShotReport& report) {
  std::string md = "# Zero-shot evaluation\n\n";
  md += "Dataset: `" + report.dataset.source + "` (" + std::to_string(report.dataset.images.size()) + " images, " +
        std::to_string(report.dataset.labels.size()) + " classes). Prompt: \"" + report.prompt + "\". " + report.tool +
        ", " + report.created + ".\n\n";
  md +=
      "Classification: each image gets the class whose prompt is closest. Retrieval: each class prompt ranks "
      "every image; P@k and mAP are means over the classes.\n\n";
  const auto table_line = [](const std::vector<std::string>& cells) {
    std::string line = "|";
    for (const auto& c : cells) {
      std::string cell;
      for (const char ch : c) cell += ch == '|' ? std::string("\\|") : std::string(1, ch);  // class names are data
      line += " " + cell + " |";
    }
    return line + "\n";
  };
  for (const ZeroShotRun& run : report.runs) {
    md += "## " + run.feature + " with " + run.text_card + ", " + metric_name(run.metric) + "\n\n";
    md += "Accuracy " + percent(run.accuracy) + (run.top5_accuracy ? ", top-5 " + percent(*run.top5_accuracy) : "") +
          "; mAP " + fixed(run.map, 3) + ".\n\n";
    std::vector<std::string> head{"class", "prompt", "images", "accuracy"};
    for (const std::size_t k : report.ks) head.push_back("P@" + std::to_string(k));
    head.push_back("AP");
    md += table_line(head) + table_line(std::vector<std::string>(head.size(), "---"));
    for (const ZeroShotClass& c : run.classes) {
      std::vector<std::string> row{c.label, c.prompt, std::to_string(c.images), percent(c.accuracy)};
      for (const double p : c.precision) row.push_back(fixed(p, 3));
      row.push_back(fixed(c.average_precision, 3));
      md += table_line(row);
    }
    md += "\n";
  }
  if (!report.excluded.empty())
    md += std::to_string(report.excluded.size()) + " image(s) could not be decoded and were left out.\n";
  return md;
}

}  // namespace lookalike::cli
