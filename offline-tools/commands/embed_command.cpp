// `lookalike embed INPUTS… --card NAME -o OUT.npy`: learned embeddings of
// images with an ONNX model (a model card), written for researchers as a
// NumPy matrix plus a JSON sidecar that says which row is which image.
//
//   OUT.npy   float32 [N, dim], row i = the i-th embedded image (L2-normalised
//             when the card says so, unless --raw)
//   OUT.json  {"schema":1, "feature":"model:<card>", "dim":…, "count":N,
//              "normalized":…, "card":{…}, "model_file":…, "runtime":{…},
//              "items":[{"row":0,"path":…,"label":…,"id":…,"split":…}, …],
//              "failed":[{"path":…,"error":…}, …]}
//
// Decoding and preprocessing run on -j threads while the model worker runs
// the previous batch.
//
// `lookalike embed --text TEXT… [--texts FILE] --card TEXT_CARD -o OUT.npy`
// embeds texts with a text tower instead (the core's CLIP tokenizer, as the
// page's text box): OUT.json's items are {"row", "text", "token_ids", "truncated"}.
//
// With --shard I/N (or a scheduler's JOB_COMPLETION_INDEX / SLURM_ARRAY_TASK_ID)
// it is one shard of a cluster job instead: OUT is a folder that receives
// OUT/shard-IIIII-of-NNNNN/ (shard/shard_embed.h, docs/SCALE.md).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

#include "commands/command_setup.h"
#include "commands/commands.h"
#include "commands/shard_options.h"
#include "common/cli_context.h"
#include "common/clock.h"
#include "common/exit_codes.h"
#include "common/files.h"
#include "common/log.h"
#include "common/progress.h"
#include "common/text.h"
#include "embed/embed_inputs.h"
#include "embed/model_embedder.h"
#include "embed/npy_file.h"
#include "embed/text_embedder.h"
#include "lookalike/common/error.h"
#include "shard/shard_embed.h"

namespace lookalike::cli {
namespace {

constexpr const char* kDefaultImageCard = "clip-vit-b32";
constexpr const char* kDefaultTextCard = "clip-vit-b32-text";

struct EmbedArguments {
  std::vector<std::string> inputs;
  std::vector<std::string> texts;
  std::string texts_file;
  std::string card;  // empty: kDefaultImageCard, or kDefaultTextCard for texts
  std::string out;
  std::string model;
  std::size_t batch = 16;
  unsigned model_threads = 0;
  double worker_timeout = 600;
  bool raw = false;
  bool list_cards = false;
  ShardArguments sharding;
  std::size_t checkpoint = 1000;
};

constexpr CommandHelp kHelp{
    "embed",
    "Embed images with an ONNX model (a model card) into OUT.npy (float32 [N, dim]) "
    "and OUT.json (which row is which image); with --shard, one shard of a cluster job into "
    "OUT/shard-IIIII-of-NNNNN/",
    "Model files are installed with models/fetch.sh NAME. The model runs in a Node.js worker with onnxruntime-node\n"
    "(found in LOOKALIKE_NODE_MODULES, or node_modules next to or above the executable or in the source tree; node "
    "on\n"
    "PATH or LOOKALIKE_NODE). Load the result in Python: numpy.load('OUT.npy'), json.load(open('OUT.json'))."};

// One card of the listing: image or text tower, and whether its files are installed (a text tower's
// vocabulary too: without it the tower cannot read text); "missing" says where each absent file was
// looked for and how to install it.
nlohmann::json card_entry(const std::string& name, bool text) {
  nlohmann::json entry{{"name", name}, {"tower", text ? "text" : "image"}};
  try {
    const auto find = [&](const char* key, const auto& locate) {
      try {
        entry[key] = locate();
      } catch (const Error& e) {
        entry["missing"].push_back(e.what());
      }
      entry["installed"] = !entry.contains("missing");
    };
    const auto fill = [&](const auto& loaded, const auto& locate) {
      entry["path"] = loaded.path;
      entry["dim"] = loaded.card.output_dim;
      find("model_file", [&] { return locate(loaded); });
    };
    if (text) {
      const LoadedTextCard loaded = load_text_model_card(name);
      entry["pairs_with"] = loaded.card.pairs_with;
      fill(loaded, [](const LoadedTextCard& c) { return locate_text_model_file(c); });
      find("tokenizer_file", [&] { return locate_tokenizer_file(loaded); });
    } else {
      fill(load_model_card(name), [](const LoadedCard& c) { return locate_model_file(c); });
    }
  } catch (const Error& e) {
    entry["error"] = e.what();
  }
  return entry;
}

void list_cards() {
  nlohmann::json cards = nlohmann::json::array();
  for (const auto& name : known_model_cards()) cards.push_back(card_entry(name, false));
  for (const auto& name : known_text_model_cards()) cards.push_back(card_entry(name, true));
  if (global_options().json) {
    std::cout << cards.dump(2) << "\n";
    return;
  }
  for (const auto& c : cards) {
    std::cout << c["name"].get<std::string>();
    if (c.contains("error")) {
      std::cout << "  (invalid: " << c["error"].get<std::string>() << ")\n";
      continue;
    }
    std::cout << "  " << c["dim"].get<int>() << "-d  ";
    if (c["tower"] == "text") std::cout << "text tower of " << c["pairs_with"].get<std::string>() << "  ";
    std::cout << (c["installed"].get<bool>() ? "installed"
                                             : "not installed (models/fetch.sh " + c["name"].get<std::string>() + ")")
              << "  " << c["path"].get<std::string>() << "\n";
  }
}

// OUT.json next to OUT.npy, once --out is checked.
std::string sidecar_path(const EmbedArguments& args) {
  if (args.out.empty()) fail(ErrorKind::InvalidArgument, "embed: --out OUT.npy is required");
  if (args.out.size() < 4 || args.out.substr(args.out.size() - 4) != ".npy")
    fail(ErrorKind::InvalidArgument, "embed: --out must name a .npy file (the JSON sidecar is written next to it)");
  return args.out.substr(0, args.out.size() - 4) + ".json";
}

// The sidecar's path (OUT.json next to OUT.npy), once the arguments are checked.
std::string checked_sidecar_path(const EmbedArguments& args) {
  if (args.inputs.empty())
    fail(ErrorKind::InvalidArgument, "embed: give image folders, image files or a manifest (see --help)");
  return sidecar_path(args);
}

// The worker settings image and text embedders share (their options structs name them alike).
template <class Options>
Options embedder_options(const EmbedArguments& args) {
  Options options;
  options.batch_size = args.batch;
  options.model_threads = args.model_threads;
  options.model_path = args.model;
  options.normalize = !args.raw;
  options.batch_timeout_seconds = args.worker_timeout;
  return options;
}

std::string image_card(const EmbedArguments& args) { return args.card.empty() ? kDefaultImageCard : args.card; }

ModelEmbedder open_embedder(const EmbedArguments& args) {
  const auto options = embedder_options<ModelEmbedderOptions>(args);
  const std::string card = image_card(args);
  log_verbose("starting the model worker for " + card);
  ModelEmbedder embedder = ModelEmbedder::open(card, options);
  const WorkerMetadata& runtime = embedder.runtime_info();
  log_info("model " + embedder.card().name + " (" + std::to_string(embedder.dim()) + "-d) from " +
           embedder.model_path() + ": onnxruntime-node " + runtime.onnxruntime_version + ", " +
           std::to_string(runtime.threads) + " thread(s), batch " + std::to_string(embedder.batch_size()));
  return embedder;
}

EmbedFilesResult embed_with_progress(ModelEmbedder& embedder, const std::vector<EmbedInput>& inputs) {
  std::vector<std::string> paths;
  paths.reserve(inputs.size());
  for (const auto& input : inputs) paths.push_back(input.path);
  Progress progress("embedding", paths.size());
  std::size_t reported = 0;
  EmbedFilesOptions file_options;
  file_options.decode_threads = global_options().threads;
  file_options.on_progress = [&](std::size_t done) {
    progress.advance(done - reported);
    reported = done;
  };
  file_options.should_stop = [] { return interrupted(); };
  EmbedFilesResult result = embed_image_files(embedder, paths, file_options);
  progress.finish();
  return result;
}

// The rows of the embedded images only, in input order, what each row is,
// and the images that failed (the first 20 logged).
struct EmbeddedRows {
  std::vector<float> matrix;
  nlohmann::json items = nlohmann::json::array(), failed = nlohmann::json::array();
};

EmbeddedRows collect_rows(const std::vector<EmbedInput>& inputs, const EmbedFilesResult& result, std::size_t dim,
                          const std::string& sidecar) {
  EmbeddedRows rows;
  rows.matrix.reserve(result.embedded * dim);
  std::size_t failures_logged = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const EmbedInput& input = inputs[i];
    if (result.done[i]) {
      nlohmann::json item{{"row", rows.items.size()}, {"path", input.path}};
      if (!input.label.empty()) item["label"] = input.label;
      if (!input.split.empty()) item["split"] = input.split;
      if (!input.id.is_null()) item["id"] = input.id;
      rows.items.push_back(item);
      rows.matrix.insert(rows.matrix.end(), result.vectors.begin() + i * dim, result.vectors.begin() + (i + 1) * dim);
    } else {
      rows.failed.push_back({{"path", input.path}, {"error", result.errors[i]}});
      if (!result.stopped && failures_logged++ < 20) log_warning(input.path + ": " + result.errors[i]);
    }
  }
  if (failures_logged > 20)
    log_warning("… and " + std::to_string(failures_logged - 20) + " more failures (listed in " + sidecar + ")");
  return rows;
}

// What OUT.json says of any embedder (image or text: their members are named
// alike): the matrix, the card, the model file and how it ran.
template <class Embedder>
nlohmann::json sidecar_head(const EmbedArguments& args, const Embedder& embedder, const std::string& format,
                            std::size_t count) {
  const auto& card = embedder.card();
  const WorkerMetadata& runtime = embedder.runtime_info();
  return {{"schema", 1},
          {"format", format},
          {"npy", fs::path(args.out).filename().string()},
          {"feature", card.feature_spec()},
          {"dim", embedder.dim()},
          {"count", count},
          {"dtype", "float32"},
          {"normalized", embedder.normalizes()},
          {"card",
           {{"name", card.name},
            {"path", embedder.card_path()},
            {"file", card.file},
            {"sha256", card.sha256},
            {"url", card.url}}},
          {"model_file", embedder.model_path()},
          {"runtime",
           {{"onnxruntime_node", runtime.onnxruntime_version},
            {"node", runtime.node_version},
            {"threads", runtime.threads},
            {"batch", embedder.batch_size()}}},
          {"created", utc_timestamp()}};
}

// OUT.json: which row is which image, and how the rows were made.
nlohmann::json embeddings_sidecar(const EmbedArguments& args, const ModelEmbedder& embedder, const EmbeddedRows& rows,
                                  const EmbedFilesResult& result) {
  nlohmann::json meta = sidecar_head(args, embedder, "lookalike embeddings: rows of the .npy file, described by items",
                                     rows.items.size());
  meta["interrupted"] = result.stopped;
  meta["items"] = rows.items;
  meta["failed"] = rows.failed;
  return meta;
}

void print_summary(const EmbedArguments& args, const std::string& sidecar, const ModelEmbedder& embedder,
                   std::size_t images, const EmbeddedRows& rows, const EmbedFilesResult& result) {
  const double rate = result.seconds > 0 ? double(result.embedded) / result.seconds : 0.0;
  if (global_options().json) {
    nlohmann::json summary{{"npy", args.out},
                           {"sidecar", sidecar},
                           {"feature", embedder.feature_spec()},
                           {"dim", embedder.dim()},
                           {"images", images},
                           {"embedded", result.embedded},
                           {"failed", rows.failed.size()},
                           {"interrupted", result.stopped},
                           {"seconds", result.seconds},
                           {"images_per_second", rate},
                           {"inference_seconds", embedder.inference_seconds()},
                           {"batch", embedder.batch_size()},
                           {"model_threads", embedder.runtime_info().threads}};
    std::cout << summary.dump(2) << "\n";
    return;
  }
  std::cout << "embedded " << result.embedded << " of " << images << " images with " << embedder.card().name << " ("
            << embedder.dim() << "-d" << (embedder.normalizes() ? ", L2-normalised" : ", raw") << ") in "
            << fixed(result.seconds, 1) << " s (" << fixed(rate, 1) << " images/s, model "
            << fixed(embedder.inference_seconds(), 1) << " s) → " << args.out << ", " << sidecar;
  if (!rows.failed.empty())
    std::cout << "; " << rows.failed.size()
              << (result.stopped ? " not embedded (interrupted)" : " failed (listed in the .json)");
  std::cout << "\n";
}

void print_shard_summary(const ShardEmbedSummary& s) {
  const ShardDone& d = s.done;
  if (global_options().json) {
    nlohmann::json j = shard_done_to_json(d);
    j["folder"] = s.folder.string();
    j["already_done"] = s.already_done;
    j["resumed"] = s.resumed;
    std::cout << j.dump(2) << "\n";
    return;
  }
  if (s.already_done) {
    std::cout << "shard " << d.shard.text() << " was already done (" << (s.folder / kShardDoneFile).string()
              << "): " << d.rows << " images embedded, nothing to do\n";
    return;
  }
  std::cout << "shard " << d.shard.text() << ": embedded " << d.rows << " of " << d.images << " images with "
            << d.card_name << " in " << fixed(d.seconds, 1) << " s ("
            << fixed(d.seconds > 0 ? double(d.images) / d.seconds : 0.0, 1) << " images/s";
  if (s.resumed) std::cout << ", " << s.resumed << " resumed";
  std::cout << ")";
  if (!d.rejected.empty()) std::cout << ", " << d.rejected.size() << " set aside (listed in done.json)";
  std::cout << " → " << s.folder.string() << "\n";
}

// One shard of a cluster job: -o names the folder that holds every shard's folder.
void run_shard(const EmbedArguments& args, const ShardSpec& shard) {
  if (args.inputs.empty()) fail(ErrorKind::InvalidArgument, "embed: give the source folders (see --help)");
  if (args.out.empty()) fail(ErrorKind::InvalidArgument, "embed: --out DIR is required (shards write DIR/shard-…)");
  if (args.out.size() >= 4 && args.out.substr(args.out.size() - 4) == ".npy")
    fail(ErrorKind::InvalidArgument,
         "embed --shard: --out names a folder (each shard writes DIR/" + shard.folder_name() + "/), not a .npy file");
  ShardEmbedOptions options;
  for (const auto& input : args.inputs) options.sources.emplace_back(input);
  options.out = args.out;
  options.shard = shard;
  options.card = image_card(args);
  options.model = embedder_options<ModelEmbedderOptions>(args);
  options.prep.test_fraction = 0;  // as `index` preps a folder
  options.checkpoint = args.checkpoint;
  options.threads = global_options().threads;
  print_shard_summary(run_shard_embed(options));
}

// The texts of --text and --texts FILE (one per line; blank lines skipped), in that order.
std::vector<std::string> gather_texts(const EmbedArguments& args) {
  if (!args.inputs.empty())
    fail(ErrorKind::InvalidArgument, "embed: give images or texts (--text, --texts), not both in one run");
  std::vector<std::string> texts = args.texts;
  if (!args.texts_file.empty()) {
    const std::string content = read_text_file(args.texts_file);
    for (std::size_t start = 0; start <= content.size();) {
      const std::size_t end = std::min(content.find('\n', start), content.size());
      std::string line = content.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") != std::string::npos) texts.push_back(line);
      start = end + 1;
    }
  }
  if (texts.empty()) fail(ErrorKind::InvalidArgument, "embed: --texts " + args.texts_file + " holds no text");
  return texts;
}

TextEmbedder open_text_embedder(const EmbedArguments& args) {
  const auto options = embedder_options<TextEmbedderOptions>(args);
  TextEmbedder embedder = TextEmbedder::open(args.card.empty() ? kDefaultTextCard : args.card, options);
  const WorkerMetadata& runtime = embedder.runtime_info();
  log_info("text model " + embedder.card().name + " (" + std::to_string(embedder.dim()) + "-d) from " +
           embedder.model_path() + ": onnxruntime-node " + runtime.onnxruntime_version + ", " +
           std::to_string(runtime.threads) + " thread(s), batch " + std::to_string(embedder.batch_size()));
  return embedder;
}

// OUT.json for texts: which row is which text, its ids, and how the rows were made.
nlohmann::json text_sidecar(const EmbedArguments& args, const TextEmbedder& embedder,
                            const std::vector<std::string>& texts) {
  nlohmann::json meta = sidecar_head(
      args, embedder, "lookalike text embeddings: rows of the .npy file, described by items", texts.size());
  meta["card"]["pairs_with"] = embedder.card().pairs_with;
  meta["tokenizer_file"] = embedder.tokenizer_path();
  nlohmann::json items = nlohmann::json::array();
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const TokenizedText t = embedder.tokenize(texts[i]);
    items.push_back({{"row", i}, {"text", texts[i]}, {"token_ids", t.ids}, {"truncated", t.truncated}});
  }
  meta["items"] = std::move(items);
  return meta;
}

void run_embed_texts(const EmbedArguments& args) {
  const std::vector<std::string> texts = gather_texts(args);
  const std::string sidecar = sidecar_path(args);
  TextEmbedder embedder = open_text_embedder(args);
  const double started = now_seconds();
  const std::vector<float> matrix = embedder.embed(texts);
  const double seconds = now_seconds() - started;
  write_npy_float32(args.out, matrix.data(), texts.size(), embedder.dim());
  write_file_atomic(sidecar, text_sidecar(args, embedder, texts).dump(1) + "\n");
  const TextModelCard& card = embedder.card();
  if (global_options().json) {
    std::cout << nlohmann::json{{"npy", args.out},
                                {"sidecar", sidecar},
                                {"feature", card.feature_spec()},
                                {"dim", embedder.dim()},
                                {"texts", texts.size()},
                                {"seconds", seconds},
                                {"inference_seconds", embedder.inference_seconds()}}
                     .dump(2)
              << "\n";
    return;
  }
  std::cout << "embedded " << texts.size() << " text(s) with " << card.name << " (" << embedder.dim() << "-d"
            << (embedder.normalizes() ? ", L2-normalised" : ", raw") << ", the space of " << card.feature_spec()
            << ") in " << fixed(seconds, 2) << " s → " << args.out << ", " << sidecar << "\n";
}

void run_embed(const EmbedArguments& args) {
  if (args.list_cards) {
    list_cards();
    return;
  }
  if (!args.texts.empty() || !args.texts_file.empty()) {
    run_embed_texts(args);
    return;
  }
  if (const auto shard = process_shard(args.sharding)) {
    run_shard(args, *shard);
    return;
  }
  const std::string sidecar = checked_sidecar_path(args);
  const std::vector<EmbedInput> inputs = collect_embed_inputs(args.inputs);
  if (inputs.empty())
    fail(ErrorKind::Io, "embed: no image files found in " + args.inputs.front() + (args.inputs.size() > 1 ? " …" : ""));
  ModelEmbedder embedder = open_embedder(args);
  const EmbedFilesResult result = embed_with_progress(embedder, inputs);
  const EmbeddedRows rows = collect_rows(inputs, result, embedder.dim(), sidecar);
  write_npy_float32(args.out, rows.matrix.data(), rows.items.size(), embedder.dim());
  write_file_atomic(sidecar, embeddings_sidecar(args, embedder, rows, result).dump(1) + "\n");
  print_summary(args, sidecar, embedder, inputs.size(), rows, result);
  if (!rows.failed.empty() && !result.stopped) request_exit_code(result.embedded == 0 ? kExitBadInput : kExitPartial);
}

}  // namespace

void add_embed_command(CLI::App& app) {
  auto [command, args] = add_command<EmbedArguments>(app, kHelp, run_embed);
  command.add_option("inputs", args.inputs, "Image folders, image files, or a manifest (.json)");
  command.add_option("-c,--card", args.card,
                     "Model card: a name in models/ (clip-vit-b32, clip-vit-b32-q8, mobilenetv2-int8, …) or a card "
                     "file; default clip-vit-b32, or clip-vit-b32-text for texts");
  command.add_option("-t,--text", args.texts, "Embed this text with a text tower (repeatable) instead of images");
  command.add_option("--texts", args.texts_file, "Embed the texts of this file, one per line")
      ->check(CLI::ExistingFile);
  command.add_option("-o,--out", args.out, "Output .npy file; the JSON sidecar gets the same name with .json");
  command.add_option("--model", args.model,
                     "Use this ONNX file instead of the card's (its names and shapes are still checked)");
  command
      .add_option("-b,--batch", args.batch,
                  "Images per inference call (a card may cap it, e.g. dynamically quantized models at 1)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  command
      .add_option("--model-threads", args.model_threads,
                  "ONNX Runtime intra-op threads (default: all cores); -j sets the decoding threads")
      ->check(CLI::Range(1, 256));
  command
      .add_option("--worker-timeout", args.worker_timeout,
                  "Seconds one batch may take before the model worker is declared stuck")
      ->check(CLI::Range(1.0, 86400.0))
      ->capture_default_str();
  command.add_flag("--raw", args.raw, "Write the model's output as is, without the card's L2 normalisation");
  add_shard_options(command, args.sharding,
                    "Embed shard I of N (I/N, counted from 0) of the source folders into OUT/shard-IIIII-of-NNNNN/");
  command
      .add_option("--checkpoint", args.checkpoint,
                  "Sharded: images per checkpoint (a killed shard resumes from its last one)")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  command.add_flag("--list-cards", args.list_cards, "List the model cards found and whether their files are installed");
}

}  // namespace lookalike::cli
