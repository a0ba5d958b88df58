// `lookalike query IMAGE --site DIR`: the top k of a collection for a query
// image (or, with --item, for an item's stored vector: "more like this"), as
// the web page finds them: the same decoder, feature or model, bundle and
// search, so the same ids, order and scores.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>
#include <optional>

#include "commands/command_setup.h"
#include "commands/commands.h"
#include "commands/model_run_options.h"
#include "commands/name_checks.h"
#include "common/cli_context.h"
#include "common/text.h"
#include "lookalike/common/error.h"
#include "lookalike/index/attribution_json.h"
#include "query/query_target.h"
#include "query/query_vector.h"

namespace lookalike::cli {
namespace {

struct QueryArguments {
  std::string image;
  std::optional<std::string> text;  // given, even empty: a text query
  QueryTargetRequest target;
  std::string site, index_file;
  std::size_t k = 10;
  std::uint32_t ef = 0, nprobe = 0, rerank = 0;
  std::string label;
  std::int64_t item = -1;
  ModelRunOptions model;
};

constexpr CommandHelp kHelp{
    "query", "Search a collection with an image, a text or an item: the top k, as the web page finds them",
    "Searches one bundle of a site built by `lookalike index` (--site, --collection, --feature, --metric: by\n"
    "default the page's choice: the site's default collection and the first of the defaults it records),\n"
    "or a bundle file (--index). The image is decoded with EXIF orientation and its feature computed exactly as\n"
    "the page does, so the ids, order and scores are the page's. A --text query is embedded by the text tower the\n"
    "site publishes with its model feature (the page's text box), with the core's CLIP tokenizer.\n"
    "Example: lookalike query photo.jpg --site site --feature colour-texture --metric l1 -k 5"};

void print(const QueryArguments& args, const QueryTarget& target, const std::vector<Hit>& hits, std::size_t k,
           const std::vector<std::int32_t>& token_ids) {
  const IndexConfig& c = target.index.config();
  if (global_options().json) {
    nlohmann::json j;
    j["collection"] = target.collection() ? nlohmann::json(target.collection()->name) : nlohmann::json(nullptr);
    j["bundle"] = target.bundle_file.string();
    j["feature"] = c.feature_spec;
    j["metric"] = metric_name(c.metric);
    j["kind"] = index_kind_name(c.kind);
    j["k"] = k;
    j["ef"] =
        c.kind == IndexKind::Hnsw ? nlohmann::json(args.ef ? args.ef : c.hnsw.ef_search) : nlohmann::json(nullptr);
    j["nprobe"] = target.index.partitioned() ? nlohmann::json(args.nprobe ? args.nprobe : target.index.default_nprobe())
                                             : nlohmann::json(nullptr);
    j["label"] = args.label.empty() ? nlohmann::json(nullptr) : nlohmann::json(args.label);
    j["query"] = args.item >= 0 ? nlohmann::json{{"item", args.item}}
                 : args.text    ? nlohmann::json{{"text", *args.text}, {"token_ids", token_ids}}
                                : nlohmann::json{{"image", args.image}};
    j["results"] = nlohmann::json::array();
    for (std::size_t r = 0; r < hits.size(); ++r) {
      nlohmann::json hit{{"rank", r + 1}, {"id", hits[r].id}, {"score", hits[r].score}};
      if (const CollectionItem* item = target.item(hits[r].id)) {
        hit["label"] = item->label.empty() ? nlohmann::json(nullptr) : nlohmann::json(item->label);
        hit["thumbnail"] = item->thumbnail.empty() ? nlohmann::json(nullptr) : nlohmann::json(item->thumbnail);
        hit["source"] = nlohmann::json::object();
        put_attribution(hit["source"], item->source);
      }
      j["results"].push_back(std::move(hit));
    }
    std::cout << j.dump(2) << "\n";
    return;
  }
  // Without a collection (--index) there are only ids and scores.
  std::vector<std::vector<std::string>> rows{{"rank", "id", "score"}};
  if (target.collection()) rows.front().insert(rows.front().end(), {"label", "thumbnail", "source"});
  for (std::size_t r = 0; r < hits.size(); ++r) {
    std::vector<std::string> row{std::to_string(r + 1), std::to_string(hits[r].id), fixed(hits[r].score, 6)};
    if (target.collection()) {
      const CollectionItem* item = target.item(hits[r].id);
      row.push_back(item ? item->label : "");
      row.push_back(item && !item->thumbnail.empty() ? (target.site / item->thumbnail).string() : "");
      row.push_back(item ? item->source.path : "");
    }
    rows.push_back(std::move(row));
  }
  std::cout << format_table(rows, 0, 3);
}

void run(const QueryArguments& args) {
  QueryTargetRequest request = args.target;
  request.site = args.site;
  request.index_file = args.index_file;
  request.text = args.text.has_value();
  const int queries = int(args.item >= 0) + int(!args.image.empty()) + int(request.text);
  if (queries > 1) fail(ErrorKind::InvalidArgument, "give one query: an IMAGE, --text TEXT or --item ID");
  if (queries == 0)
    fail(ErrorKind::InvalidArgument, "give a query IMAGE, --text TEXT, or --item ID for more like an item");
  // As the page's text box, which searches nothing for a blank text.
  if (args.text && args.text->find_first_not_of(" \t\r\n") == std::string::npos)
    fail(ErrorKind::InvalidArgument, "--text is empty: give the words to search for, e.g. --text \"a red car\"");
  const QueryTarget target = open_query_target(request);

  QueryOptions query_options;
  query_options.nprobe = args.nprobe;
  query_options.rerank = args.rerank;
  SearchOptions& options = query_options.search;
  options.k = args.k;
  options.ef = args.ef;
  if (!args.label.empty()) {
    if (!target.collection())
      fail(ErrorKind::InvalidArgument, "--label needs the collection's labels: use --site instead of --index");
    const auto& labels = target.collection()->labels;
    const auto label = std::find(labels.begin(), labels.end(), args.label);
    if (label == labels.end()) {
      std::string known;
      for (const auto& l : labels) known += (known.empty() ? "" : ", ") + l;
      fail(ErrorKind::InvalidArgument, "collection " + target.collection()->name + " has no label \"" +
                                           printable(args.label) +
                                           "\" (it has: " + (known.empty() ? "none" : printable(known)) + ")");
    }
    // By position, as the page filters: a paged collection reads its label runs, not every item.
    options.accept = [&target, wanted = std::int32_t(label - labels.begin())](std::uint32_t id) {
      return target.items->label_of(id) == wanted;
    };
  }
  std::vector<Hit> hits;
  std::vector<std::int32_t> token_ids;
  if (args.text) {
    const std::vector<float> vector =
        text_query_vector(*args.text, target.index.config(), target.text_card, args.model, &token_ids);
    hits = target.index.search(vector.data(), query_options);
  } else if (args.item >= 0) {
    const auto id = std::uint32_t(args.item);
    if (!target.index.contains(id))
      fail(ErrorKind::InvalidArgument, "item " + std::to_string(id) + " is not in " + target.bundle_file.string());
    hits = target.index.search_by_id(id, query_options);
  } else {
    const std::vector<float> vector = query_vector(args.image, target.index.config(), target.model_card, args.model);
    hits = target.index.search(vector.data(), query_options);
  }
  print(args, target, hits, args.k, token_ids);
}

}  // namespace

void add_query_command(CLI::App& app) {
  auto [command, args] = add_command<QueryArguments>(app, kHelp, run);
  command.add_option("image", args.image, "Query image (JPEG, PNG, BMP, GIF, TGA)");
  command.add_option("-t,--text", args.text,
                     "Query text, e.g. \"a red car at night\" (needs a model feature with a text tower)");
  command.add_option("--site", args.site, "Site folder built by `lookalike index`");
  command.add_option("--collection", args.target.collection, "Collection of the site (default: the site's default)");
  command.add_option("-f,--feature", args.target.feature,
                     "Feature spec of the bundle, e.g. colour-texture or model:mobilenetv2-int8");
  command.add_option("-m,--metric", args.target.metric, metric_choices())->check(metric_check());
  command.add_option(
      "--index", args.index_file,
      "Search this bundle (.lkx) or partitioned index (.lkp) instead of a site's (no labels or thumbnails)");
  command.add_option("-k,--k", args.k, "Results")->capture_default_str()->check(CLI::Range(1, 100000));
  command.add_option("--ef", args.ef, "HNSW candidate list (default: the bundle's, as the page uses)")
      ->check(CLI::Range(1, 100000));
  command.add_option("--nprobe", args.nprobe, "Partitioned index: lists probed (default: the index's, as the page)")
      ->check(CLI::Range(1, 1 << 20));
  command.add_option("--rerank", args.rerank, "Partitioned index: candidates scored exactly (default: the index's)")
      ->check(CLI::Range(1, 100000));
  command.add_option("--label", args.label, "Only items with this label");
  command.add_option("--item", args.item, "More like this item: search with its stored vector (leaves it out)")
      ->check(CLI::Range(0LL, 4294967295LL));
  add_model_run_options(command, args.model, false);
}

}  // namespace lookalike::cli
