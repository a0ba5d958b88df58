// `lookalike prep SRC… --out DIR`: validate, de-duplicate and split image
// folders or crawl outputs into a manifest (dataset/manifest.h documents it).
// Source files are only read: set-aside files stay where they are and are
// listed in the manifest with the reason.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <memory>

#include "commands/command_setup.h"
#include "commands/commands.h"
#include "commands/shard_options.h"
#include "common/cli_context.h"
#include "common/exit_codes.h"
#include "common/log.h"
#include "common/text.h"
#include "lookalike/common/error.h"
#include "prep/prep_run.h"
#include "shard/shard_merge.h"
#include "shard/shard_prep.h"

namespace lookalike::cli {
namespace {

struct PrepArguments {
  std::vector<std::string> sources;
  std::string out;
  PrepOptions options;
  bool keep_near_duplicates = false;
  ShardArguments sharding;
};

constexpr CommandHelp kHelp{
    "prep", "Validate, de-duplicate and split image folders or crawl outputs into a manifest.json",
    "Sources: folder-per-class trees (<class>/<file>), folders with a labels.csv (path,label[,split]),\n"
    "or a `lookalike crawl` output (crawl.jsonl: attribution is carried into the manifest).\n"
    "Corrupt, unsupported, too-small and duplicate files are set aside (listed in the manifest with\n"
    "the reason); source files are never moved, modified or deleted."};

std::string summary_table(const std::vector<ClassSummary>& rows) {
  std::vector<std::vector<std::string>> table{{"class", "kept", "duplicates", "rejected", "train", "test"}};
  for (const auto& r : rows)
    table.push_back({r.label, std::to_string(r.kept), std::to_string(r.duplicates), std::to_string(r.rejected),
                     std::to_string(r.train), std::to_string(r.test)});
  return format_table(table);
}

void report_set_aside(const Manifest& m) {
  const std::size_t shown = verbosity() == Verbosity::Verbose ? SIZE_MAX : 10;
  std::size_t count = 0;
  for (const auto& r : m.rejected) {
    if (count++ < shown) log_info("set aside (" + r.reason + "): " + printable(r.path) + ": " + printable(r.message));
  }
  for (const auto& d : m.duplicates) {
    if (count++ < shown)
      log_info("set aside (" + d.kind + " duplicate" +
               (d.kind == "near" ? ", distance " + std::to_string(d.distance) : "") + "): " + printable(d.image.path) +
               " duplicates " + printable(d.of_path));
  }
  if (count > shown) log_info("… and " + std::to_string(count - shown) + " more (see the manifest, or use --verbose)");
}

// One shard of a cluster job: its images checked into OUT/shard-IIIII-of-NNNNN/.
void run_shard(const PrepOptions& options, const fs::path& out, const ShardSpec& shard) {
  const ShardPrepSummary s = run_shard_prep(options, out, shard);
  const ShardDone& d = s.done;
  if (global_options().json) {
    nlohmann::json j = shard_done_to_json(d);
    j["folder"] = s.folder.string();
    j["already_done"] = s.already_done;
    std::cout << j.dump(2) << "\n";
  } else if (s.already_done) {
    std::cout << "shard " << shard.text() << " was already done (" << (s.folder / kShardDoneFile).string()
              << "), nothing to do\n";
  } else {
    std::cout << "shard " << shard.text() << ": " << d.rows << " of " << d.images << " images usable, "
              << d.rejected.size() << " set aside (listed in done.json) → " << s.folder.string()
              << "; duplicates are decided when the shards are merged (lookalike prep " << out.string()
              << " --out DIR)\n";
  }
}

void run(const PrepArguments& args) {
  PrepOptions options = args.options;
  options.sources.assign(args.sources.begin(), args.sources.end());
  options.near.enabled = !args.keep_near_duplicates;
  options.threads = global_options().threads;
  options.show_progress = true;
  const fs::path out = args.out;
  {
    std::error_code ec;
    if (fs::exists(out, ec) && !fs::is_directory(out, ec))
      fail(ErrorKind::Io, "--out " + out.string() + " is a file, not a folder");
  }

  if (const auto shard = process_shard(args.sharding)) {
    run_shard(options, out, *shard);
    return;
  }
  // The shards of a cluster job (prep's or embed's), merged as one run would decide.
  const bool shards = args.sources.size() == 1 && holds_shards(args.sources.front());
  PrepResult result = shards ? merge_shards(args.sources.front()).prep : run_prep(options);
  for (const auto& w : result.warnings) log_warning(printable(w));
  if (result.interrupted) {
    log_warning("interrupted: no manifest written");
    return;
  }
  if (result.scanned == 0 && result.manifest.rejected.empty()) {
    std::string where;
    for (const auto& s : args.sources) where += (where.empty() ? "" : ", ") + s;
    fail(ErrorKind::Corrupt,
         "no image files found in " + where + " (looked for .jpg .jpeg .png .bmp .gif .tga and others)");
  }

  const fs::path manifest_path = out / "manifest.json";
  write_manifest(manifest_path, result.manifest);
  report_set_aside(result.manifest);

  const auto summary = summarise(result.manifest);
  if (global_options().json) {
    nlohmann::json j;
    j["manifest"] = manifest_path.string();
    j["summary"] = summary_to_json(summary);
    j["unreadable"] = result.unreadable;
    std::cout << j.dump(2) << "\n";
  } else if (verbosity() != Verbosity::Quiet) {
    std::cerr << summary_table(summary);
  }
  log_info("wrote " + manifest_path.string());

  if (result.manifest.images.empty())
    fail(ErrorKind::Corrupt, "no usable images: every file was set aside (reasons in " + manifest_path.string() + ")");
  const auto missing = std::count_if(result.manifest.rejected.begin(), result.manifest.rejected.end(),
                                     [](const ManifestRejection& r) { return r.reason == "missing"; });
  if (missing > 0)
    log_warning(std::to_string(missing) + " file(s) listed in labels.csv are missing (listed in the manifest)");
  if (result.unreadable > 0) {
    log_error(std::to_string(result.unreadable) + " file(s) could not be read (listed as unreadable in the manifest)");
    request_exit_code(kExitPartial);
  }
}

}  // namespace

void add_prep_command(CLI::App& app) {
  auto [command, args] = add_command<PrepArguments>(app, kHelp, run);
  command.add_option("sources", args.sources, "Source folders")->required();
  command.add_option("-o,--out", args.out, "Output folder for manifest.json")->required();
  add_shard_options(command, args.sharding,
                    "Check shard I of N (I/N) of the images into OUT/shard-IIIII-of-NNNNN/ (a source folder "
                    "holding shards is merged into one manifest)");
  command.add_option("--min-size", args.options.min_size, "Smallest accepted shortest side, in pixels")
      ->default_val(64)
      ->check(CLI::Range(1, 100000));
  command
      .add_option("--near-threshold", args.options.near.max_distance,
                  "Near duplicates: largest Hamming distance between 64-bit perceptual hashes")
      ->default_val(6)
      ->check(CLI::Range(0, 64));
  command
      .add_option("--near-luma-tolerance", args.options.near.luma_tolerance,
                  "Near duplicates: largest difference of mean luminance (0-255)")
      ->default_val(24)
      ->check(CLI::Range(0, 255));
  command.add_flag("--keep-near-duplicates", args.keep_near_duplicates,
                   "Only set aside exact duplicates (same decoded pixels)");
  command.add_option("--test-fraction", args.options.test_fraction, "Share of each class that goes to test")
      ->default_val(0.2)
      ->check(CLI::Range(0.0, 1.0));
  command.add_option("--seed", args.options.seed, "Seed of the train/test split")->default_val(42);
}

}  // namespace lookalike::cli
