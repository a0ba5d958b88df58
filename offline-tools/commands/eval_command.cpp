// `lookalike eval DATASET`: retrieval quality of features × metrics ×
// searches on a labelled image set (a folder tree or a prep manifest), under
// the leave-one-out or the train/test protocol. Writes eval.json, eval.md and
// a self-contained eval.html; prints the main table.
#include <CLI/CLI.hpp>

#include <iostream>
#include <map>
#include <memory>
#include <mutex>

#include "commands/command_setup.h"
#include "commands/commands.h"
#include "commands/model_run_options.h"
#include "commands/name_checks.h"
#include "common/base64.h"
#include "common/cli_context.h"
#include "common/exit_codes.h"
#include "common/files.h"
#include "common/log.h"
#include "common/text.h"
#include "eval/eval_report.h"
#include "eval/zero_shot_eval.h"
#include "lookalike/common/error.h"
#include "lookalike/common/parallel.h"
#include "lookalike/features/feature.h"
#include "lookalike/image/decode.h"
#include "site/thumbnail.h"
#include "vectors/feature_set.h"

namespace lookalike::cli {
namespace {

constexpr int kReportThumbnailSide = 96;

struct EvalArguments {
  std::string dataset;
  std::vector<std::string> features, metrics, searches;
  std::vector<std::size_t> ks{1, 5, 10, 20};
  std::string protocol = "leave-one-out";
  std::string out = "reports";
  std::size_t examples = 4;
  SearchSettings hnsw;
  ModelRunOptions model;
  std::string prompt = kDefaultZeroShotPrompt;
  TextTowerRequest text;
};

// Writes `stem`.json and `stem`.md, then prints the JSON (--json) or the summary table.
void write_and_print_report(const fs::path& stem, const nlohmann::json& json, const std::string& markdown,
                            const std::string& summary) {
  write_file_atomic(fs::path(stem).concat(".json"), json.dump(2) + "\n");
  write_file_atomic(fs::path(stem).concat(".md"), markdown);
  std::cout << (global_options().json ? json.dump(2) + "\n" : summary);
}

constexpr const char* kZeroShot = "zero-shot";
constexpr const char* kDefaultZeroShotFeature = "model:clip-vit-b32";

void run_zero_shot_protocol(const EvalArguments& args) {
  if (!args.searches.empty())
    fail(ErrorKind::InvalidArgument, "zero-shot ranks every image exactly: --search does not apply");
  ZeroShotConfig config;
  config.features = args.features.empty() ? std::vector<std::string>{kDefaultZeroShotFeature} : args.features;
  config.text = args.text;
  config.prompt = args.prompt;
  if (!args.metrics.empty()) config.metrics.clear();
  for (const auto& m : args.metrics) config.metrics.push_back(parse_metric(m));
  config.ks = args.ks;
  config.model = args.model;
  config.threads = global_options().threads;

  const EvalDataset dataset = load_eval_dataset(args.dataset);
  log_info("zero-shot: " + std::to_string(dataset.images.size()) + " images in " +
           std::to_string(dataset.labels.size()) + " classes from " + printable(args.dataset) + ", prompt \"" +
           printable(args.prompt) + "\"");
  const ZeroShotReport report = run_zero_shot(dataset, config);
  if (report.interrupted) {
    log_warning("interrupted: no report written");
    return;
  }
  const fs::path out = args.out;
  write_and_print_report(out / "zero-shot", zero_shot_report_json(report), zero_shot_report_markdown(report),
                         zero_shot_summary_table(report));
  log_info("wrote " + (out / "zero-shot.json").string() + " and zero-shot.md in " + fixed(report.total_seconds, 1) +
           " s");
  if (!report.excluded.empty()) {
    log_error(std::to_string(report.excluded.size()) + " image(s) could not be decoded and were left out (listed in " +
              (out / "zero-shot.json").string() + ")");
    request_exit_code(kExitPartial);
  }
}

constexpr CommandHelp kHelp{
    "eval", "Measure retrieval quality (precision@k, mAP, per class) of features x metrics",
    "DATASET is a folder tree (<class>/<file>, or with labels.csv), a manifest.json from `lookalike prep`,\n"
    "or a folder holding one. leave-one-out: every image queries all others (never counting itself);\n"
    "split: test images query train images (needs a manifest or a labels.csv with a split column).\n"
    "A feature is a traditional spec (pixels, colour, colour-texture, with parameters such as pixels:size=32)\n"
    "or model:<card> (a card name or file; each image is embedded once, see `lookalike embed`).\n"
    "--search hnsw builds an HNSW index over the database per feature and metric (--hnsw-m, --ef-construction,\n"
    "--ef) and adds recall against exact; it ranks only the top max(k), so its mAP is not measured.\n"
    "--search partitioned does the same with a partitioned index (k-means lists, --lists, --nprobe).\n"
    "zero-shot: each class name in --prompt (\"a photo of a {}.\") is a text query, embedded by the text tower that\n"
    "pairs with the model feature (default model:clip-vit-b32 with clip-vit-b32-text; metric cosine): the report\n"
    "(zero-shot.json, zero-shot.md) gives classification accuracy and precision@k of text -> image retrieval.\n"
    "Example: lookalike eval ../shared/datasets/wang1k --feature colour-texture --search exact,hnsw"};

std::map<std::size_t, std::string> report_thumbnails(const EvalReport& report) {
  const auto indices = report_thumbnail_indices(report);
  std::vector<std::string> uris(indices.size());
  parallel_for(indices.size(), thread_count(global_options().threads), [&](std::size_t i) {
    try {
      const auto bytes = read_file(report.dataset.images[indices[i]].file);
      DecodeOptions decode_options;
      decode_options.need = thumbnail_need(kReportThumbnailSide);
      const auto decoded = decode_image(bytes.data(), bytes.size(), decode_options);
      uris[i] = "data:image/jpeg;base64," + base64_encode(thumbnail_jpeg(decoded.image, kReportThumbnailSide, 75));
    } catch (const Error&) {
      // The report shows a grey square: the image decoded a moment ago, so
      // this only happens when the file changed meanwhile.
    }
  });
  std::map<std::size_t, std::string> out;
  for (std::size_t i = 0; i < indices.size(); ++i) out[indices[i]] = uris[i];
  return out;
}

void run(const EvalArguments& args) {
  if (args.protocol == kZeroShot) return run_zero_shot_protocol(args);
  EvalConfig config;
  config.features = args.features;
  if (config.features.empty()) config.features = traditional_feature_names();
  config.metrics.clear();
  if (args.metrics.empty()) config.metrics.assign(kAllMetrics.begin(), kAllMetrics.end());
  for (const auto& m : args.metrics) config.metrics.push_back(parse_metric(m));
  config.searches.clear();
  for (const auto& s : args.searches.empty() ? std::vector<std::string>{"exact"} : args.searches) {
    SearchSettings settings = args.hnsw;
    settings.kind = parse_search_kind(s);
    config.searches.push_back(settings);
  }
  config.ks = args.ks;
  config.protocol = parse_protocol(args.protocol);
  config.examples = args.examples;
  config.threads = global_options().threads;
  config.show_progress = true;
  config.model = args.model;

  // Wrong features, cards or searches are reported before any file is read.
  choose_features(config.features);
  for (const auto& search : config.searches) make_ranker(search);

  const EvalDataset dataset = load_eval_dataset(args.dataset);
  log_info("evaluating " + std::to_string(dataset.images.size()) + " images in " +
           std::to_string(dataset.labels.size()) + " classes from " + printable(args.dataset) + " (" + dataset.kind +
           ")");
  const EvalReport report = run_evaluation(dataset, config);
  if (report.interrupted && report.runs.empty()) {
    log_warning("interrupted: no report written");
    return;
  }

  const fs::path out = args.out;
  const auto thumbnails = report_thumbnails(report);
  write_file_atomic(out / "eval.html", eval_report_html(report, [&](std::size_t i) {
                      const auto it = thumbnails.find(i);
                      return it == thumbnails.end() ? std::string() : it->second;
                    }));
  write_and_print_report(out / "eval", eval_report_json(report), eval_report_markdown(report),
                         eval_summary_table(report));
  log_info("wrote " + (out / "eval.json").string() + ", eval.md and eval.html in " + fixed(report.total_seconds, 1) +
           " s");

  if (!report.excluded.empty()) {
    std::size_t shown = 0;
    for (const auto& e : report.excluded)
      if (shown++ < 10) log_warning("excluded " + printable(e.path) + ": " + printable(e.error));
    log_error(std::to_string(report.excluded.size()) +
              " image(s) could not be decoded and were left out (listed in the report)");
    request_exit_code(kExitPartial);
  }
  if (report.interrupted) log_warning("interrupted: the report holds the runs finished so far");
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto [command, args] = add_command<EvalArguments>(app, kHelp, run);
  command.add_option("dataset", args.dataset, "Folder tree, manifest.json, or a folder holding manifest.json")
      ->required();
  command.add_option("-f,--feature", args.features,
                     "Feature spec, repeatable (default: every traditional feature with default parameters)");
  add_metrics_option(command, args.metrics);
  command
      .add_option("--search", args.searches,
                  "exact, hnsw or partitioned; repeatable or comma-separated (default: exact)")
      ->delimiter(',');
  command.add_option("--hnsw-m", args.hnsw.m, "HNSW: links per node")->default_val(16)->check(CLI::Range(2, 64));
  command.add_option("--ef-construction", args.hnsw.ef_construction, "HNSW: candidate list while building")
      ->default_val(200)
      ->check(CLI::Range(1, 100000));
  command.add_option("--lists", args.hnsw.lists, "Partitioned: inverted lists (default: as `index` chooses)")
      ->check(CLI::Range(1, 1 << 20));
  command.add_option("--nprobe", args.hnsw.nprobe, "Partitioned: lists probed (default: as `index` chooses)")
      ->check(CLI::Range(1, 1 << 20));
  command.add_option("--ef", args.hnsw.ef, "HNSW: candidate list while searching")
      ->default_val(64)
      ->check(CLI::Range(1, 100000));
  command.add_option("-k,--k", args.ks, "Cut-offs for precision@k, comma-separated")
      ->delimiter(',')
      ->default_str("1,5,10,20");
  command.add_option("--protocol", args.protocol, "leave-one-out, split or zero-shot")
      ->default_val("leave-one-out")
      ->check(CLI::IsMember({"leave-one-out", "split", kZeroShot}));
  command.add_option("--prompt", args.prompt, "zero-shot: the text for a class, {} standing for its name")
      ->capture_default_str();
  command.add_option("--text-card", args.text.cards,
                     "zero-shot: the text tower (default: the installed text card that pairs with the model)");
  command.add_option("-o,--out", args.out, "Folder for eval.json, eval.md, eval.html")->default_val("reports");
  command.add_option("--examples", args.examples, "Example queries shown with their results in eval.html")
      ->default_val(4)
      ->check(CLI::Range(0, 100));
  add_model_run_options(command, args.model);
}

}  // namespace lookalike::cli
