// `lookalike index INPUT --site DIR`: thumbnails, the collection sidecar and
// one bundle per feature x metric for the web page (indexing/index_build.h
// describes what is written where). `--update` adds new images and removes
// vanished ones in the existing bundles, keeping every kept image's id.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

#include "commands/command_setup.h"
#include "commands/commands.h"
#include "commands/model_run_options.h"
#include "commands/name_checks.h"
#include "common/cli_context.h"
#include "common/exit_codes.h"
#include "common/log.h"
#include "common/text.h"
#include "indexing/index_build.h"
#include "lookalike/common/error.h"

namespace lookalike::cli {
namespace {

struct IndexArguments {
  IndexOptions options;  // what the command line sets as it is
  std::string input, site = "site";
  std::string embeddings, items;  // precomputed vectors instead of INPUT
  std::vector<std::string> metrics;
  std::string kind, element;  // empty: unset
  std::string item_layout = "auto", thumbnails = "auto";
  std::uint32_t m = 0, ef_construction = 0, ef_search = 0;  // 0: unset
};

constexpr CommandHelp kHelp{
    "index", "Build a site's collection: thumbnails, sidecar JSON and one index bundle per feature x metric",
    "INPUT is a manifest.json from `lookalike prep`, a folder holding one, or an image folder (prepped in memory\n"
    "the same way: corrupt, too small and duplicate images are left out). Writes into --site:\n"
    "  thumbs/<id>.jpg, samples/<id>.jpg, index/<name>.<feature>.<metric>.lkx, index/<name>.json,\n"
    "  index/collections.json, and models/<card>.json with its ONNX file for model:<card> features (and the text\n"
    "  card, ONNX file and vocabulary of its text tower, when one is installed: the page then also takes text).\n"
    "Features: traditional specs (pixels, colour, colour-texture; default: all three at default parameters)\n"
    "or model:<card> (a card name or file; each image is embedded once for every metric).\n"
    "--kind auto chooses per feature by size: flat (exact) up to 10000 items, HNSW above, while the bundle the\n"
    "page downloads whole stays within 32 MB; beyond, a partitioned index: inverted lists read piece by piece\n"
    "(<name>.<feature>.<metric>.lkp + .NNNN.bin data files, none over 64 MB; --lists, --nprobe, --rerank tune\n"
    "it; the page fetches only the lists a query probes). Above 10000 items the items go into pages\n"
    "(index/<name>.items/, --item-layout); above about 40000 crawled photos results link to the photos' own\n"
    "URLs instead of thumbnails (--thumbnails).\n"
    "--embeddings X.npy --items X.jsonl indexes precomputed vectors (float32 rows, one item record per line:\n"
    "path or URL, label, attribution; --feature names what made them; default metric cosine) instead of images.\n"
    "--update keeps the ids of kept images, adds new ones and removes vanished ones in the existing bundles;\n"
    "it refuses options that differ from those bundles (then rebuild without --update).\n"
    "Nothing in the site changes unless the whole build succeeds.\n"
    "With --reproducible and SOURCE_DATE_EPOCH set (the time recorded as the collection's creation),\n"
    "the same input gives byte-identical files.\n"
    "Example: lookalike index prep/manifest.json --site site --name demo --title \"Demo photos\""};

std::string size_text(std::uint64_t bytes) {
  return bytes < 1'000'000 ? fixed(double(bytes) / 1e3, 1) + " kB" : fixed(double(bytes) / 1e6, 1) + " MB";
}

void print_summary(const IndexSummary& s) {
  if (global_options().json) {
    nlohmann::json j;
    j["collection"] = s.name;
    j["title"] = s.title;
    j["sidecar"] = s.sidecar;
    j["input"] = s.input_kind;
    j["update"] = s.update;
    j["items"] = s.items;
    j["added"] = s.added;
    j["removed"] = s.removed;
    j["changed"] = s.changed;
    j["kept"] = s.kept;
    j["thumbnails"] = {
        {"written", s.thumbnails_written}, {"reused", s.thumbnails_reused}, {"linked", s.thumbnails_linked}};
    j["item_pages"] = s.item_pages;
    j["failures"] = s.failures;
    j["bundles"] = nlohmann::json::array();
    for (const auto& b : s.bundles)
      j["bundles"].push_back({{"file", b.entry.file},
                              {"feature", b.entry.feature},
                              {"metric", metric_name(b.entry.metric)},
                              {"kind", index_kind_name(b.entry.kind)},
                              {"element", element_type_name(b.entry.element)},
                              {"dim", b.entry.dim},
                              {"count", b.entry.count},
                              {"bytes", b.entry.bytes},
                              {"added", b.added},
                              {"removed", b.removed},
                              {"seconds", b.seconds}});
    j["models"] = s.models;
    j["samples"] = s.samples;
    j["seconds"] = s.seconds;
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows{{"bundle", "kind", "element", "dim", "items", "size", "seconds"}};
  for (const auto& b : s.bundles)
    rows.push_back({b.entry.file, index_kind_name(b.entry.kind), element_type_name(b.entry.element),
                    std::to_string(b.entry.dim), std::to_string(b.entry.count), size_text(b.entry.bytes),
                    fixed(b.seconds, 1)});
  std::cout << format_table(rows, 3);
  std::cout << (s.update ? "updated " : "indexed ") << printable(s.name) << ": " << s.items << " items";
  if (s.update) std::cout << " (" << s.added << " added, " << s.removed << " removed, " << s.changed << " changed)";
  std::cout << ", " << s.bundles.size() << " bundles, ";
  if (s.thumbnails_linked)
    std::cout << "results show the photos' own URLs (no thumbnails)";
  else
    std::cout << s.thumbnails_written << " thumbnails written";
  if (s.thumbnails_reused) std::cout << " (" << s.thumbnails_reused << " reused)";
  if (s.item_pages) std::cout << ", items in " << s.item_pages << " pages";
  if (s.samples) std::cout << ", " << s.samples << " sample queries";
  if (!s.models.empty()) std::cout << ", " << s.models.size() << " model(s)";
  std::cout << " in " << fixed(s.seconds, 1) << " s -> " << s.sidecar << "\n";
}

// Images that could not be indexed: the first ten, and the exit code that
// says the site was built without them.
void report_left_out(const std::vector<std::string>& failures) {
  std::size_t shown = 0;
  for (const auto& f : failures)
    if (shown++ < 10) log_warning("left out " + printable(f));
  log_error(std::to_string(failures.size()) + " image(s) could not be indexed and were left out (listed above" +
            std::string(failures.size() > 10 ? " in part; all with --json" : "") + ")");
  request_exit_code(kExitPartial);
}

void run(const IndexArguments& args) {
  if (args.options.text.none && !args.options.text.cards.empty())
    fail(ErrorKind::InvalidArgument, "give --text-card or --no-text, not both");
  IndexOptions options = args.options;
  if (args.input.empty() == args.embeddings.empty())
    fail(ErrorKind::InvalidArgument,
         "give INPUT (images or a manifest) or --embeddings X.npy --items X.jsonl, not both");
  options.input = args.input;
  options.embeddings = args.embeddings;
  options.items = args.items;
  options.site = args.site;
  options.threads = global_options().threads;
  for (const auto& m : args.metrics) options.metrics.push_back(parse_metric(m));
  if (!args.kind.empty()) options.kind = parse_kind_choice(args.kind);
  if (!args.element.empty()) options.element = parse_element_type(args.element);
  options.item_layout = parse_item_layout(args.item_layout);
  options.thumbnails = parse_thumbnail_choice(args.thumbnails);
  if (args.m) options.m = args.m;
  if (args.ef_construction) options.ef_construction = args.ef_construction;
  if (args.ef_search) options.ef_search = args.ef_search;

  const IndexSummary summary = run_index(options);
  print_summary(summary);
  if (!summary.failures.empty()) report_left_out(summary.failures);
}

}  // namespace

void add_index_command(CLI::App& app) {
  auto [command, args] = add_command<IndexArguments>(app, kHelp, run);
  command.add_option("input", args.input, "manifest.json, a folder holding one, or an image folder");
  command.add_option("--embeddings", args.embeddings, "Precomputed vectors: a float32 .npy matrix (instead of INPUT)");
  command.add_option("--items", args.items, "With --embeddings: one item record per row (JSON Lines)");
  command
      .add_option("--lists", args.options.partitioned.lists,
                  "Partitioned: inverted lists (default: one per 20 items for cosine and correlation, about "
                  "4*sqrt(items) for l1 and l2; product-quantised centroids from 2048)")
      ->check(CLI::Range(1, 1 << 20));
  command
      .add_option("--nprobe", args.options.partitioned.nprobe,
                  "Partitioned: lists a query probes by default (32 small lists, 3/16 of larger ones)")
      ->check(CLI::Range(1, 1 << 20));
  command
      .add_option("--rerank", args.options.partitioned.rerank,
                  "Partitioned: candidates scored with the metric's exact value (default 40)")
      ->check(CLI::Range(1, 100000));
  command.add_option("--seed", args.options.partitioned.seed, "Partitioned: k-means seed")->capture_default_str();
  command.add_option("--site", args.site, "Site folder to write into")->capture_default_str();
  command.add_option("--name", args.options.name,
                     "Collection name, used in file names (default: from the input's folder name)");
  command.add_option("--title", args.options.title,
                     "Title shown by the page (default: the name, or the collection's title when updating)");
  command.add_option("-f,--feature", args.options.features,
                     "Feature spec, repeatable (default: pixels, colour, colour-texture)");
  add_metrics_option(command, args.metrics);
  command.add_option("--kind", args.kind, "flat, hnsw, partitioned or auto (default: auto, by size)")
      ->check(parsed_by(parse_kind_choice, "KIND"));
  command.add_option("--element", args.element, "float32 or int8 (about a quarter of the bytes; default: float32)")
      ->check(element_type_check());
  command.add_option("--m", args.m, "HNSW: links per node (default 16)")->check(CLI::Range(2, 64));
  command.add_option("--ef-construction", args.ef_construction, "HNSW: candidate list while building (default 200)")
      ->check(CLI::Range(1, 100000));
  command.add_option("--ef-search", args.ef_search, "HNSW: the page's candidate list while searching (default 64)")
      ->check(CLI::Range(1, 100000));
  command
      .add_option("--item-layout", args.item_layout,
                  "inline (items in the collection JSON), paged (in pages the page fetches for the results it "
                  "shows) or auto (paged above " +
                      std::to_string(kAutoInlineItemsMax) + " items)")
      ->capture_default_str()
      ->check(parsed_by(parse_item_layout, "LAYOUT"));
  command
      .add_option("--thumbnails", args.thumbnails,
                  "write (thumbnails in the site), link (results show each photo from its own URL, which crawled "
                  "photos have) or auto (link when thumbnails would pass " +
                      std::to_string(kThumbnailBudgetBytes / 1'000'000) + " MB)")
      ->capture_default_str()
      ->check(parsed_by(parse_thumbnail_choice, "CHOICE"));
  command
      .add_option("--samples", args.options.samples, "Sample queries for the page, spread over the labels (0: none)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000));
  command.add_flag("--update", args.options.update,
                   "Update the existing collection: add new images, remove vanished ones, keep ids");
  command.add_flag("--default", args.options.make_default,
                   "Make this the site's default collection (else only when it has none)");
  command.add_flag(
      "--reproducible", args.options.reproducible,
      "Build HNSW graphs on one thread: the same input gives the same bytes (decoding and features stay parallel)");
  add_model_run_options(command, args.options.model);
  command.add_option("--text-card", args.options.text.cards,
                     "Text tower to publish for text search (default: the installed text card that pairs with each "
                     "model feature's card, e.g. clip-vit-b32-text for model:clip-vit-b32); repeatable");
  command.add_flag("--no-text", args.options.text.none, "Publish no text tower: the page searches by image only");
}

}  // namespace lookalike::cli
