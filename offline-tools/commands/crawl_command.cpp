// `lookalike crawl --terms "beach,mountain" --per-term 50 --out raw/`: collects
// photos from Flickr into raw/<term>/<photo-id>.jpg with their attribution in
// raw/crawl.jsonl, politely (rate limit, bounded parallelism and retries,
// Retry-After) and resumably (run the same command again after a stop).
// The work is in offline-tools/crawl/; this file maps options to it.
#include <CLI/CLI.hpp>

#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "commands/command_setup.h"
#include "commands/commands.h"
#include "commands/shard_options.h"
#include "common/cli_context.h"
#include "common/exit_codes.h"
#include "common/log.h"
#include "crawl/crawl_runner.h"
#include "crawl/flickr_api_source.h"
#include "crawl/safe_names.h"
#include "crawl/url.h"
#include "lookalike/common/error.h"

namespace lookalike::cli {
namespace {

struct CrawlArguments {
  crawl::CrawlOptions options;
  std::vector<std::string> terms;  // as given: each may hold several, comma-separated
  std::string out;
  double max_megabytes = 50;
  ShardArguments sharding;
};

constexpr CommandHelp kHelp{
    "crawl", "Collect photos from Flickr into DIR/<term>/ with attribution in DIR/crawl.jsonl (polite, resumable)",
    "With an API key (FLICKR_API_KEY or --api-key) photos come from flickr.photos.search, filtered by licence\n"
    "(default: Creative Commons and public domain). Without one, from Flickr's public feed: at most ~20 recent\n"
    "photos per tag, licence unknown, not for republication. Interrupted? Run the same command again.\n"
    "See docs/CRAWLING.md."};

std::vector<std::string> split_terms(const std::vector<std::string>& raw) {
  std::vector<std::string> terms;
  std::set<std::string> seen;
  for (const std::string& item : raw) {
    std::size_t start = 0;
    while (start <= item.size()) {
      std::size_t comma = item.find(',', start);
      if (comma == std::string::npos) comma = item.size();
      std::string term = item.substr(start, comma - start);
      const auto first = term.find_first_not_of(" \t");
      term = first == std::string::npos ? std::string() : term.substr(first, term.find_last_not_of(" \t") - first + 1);
      if (!term.empty() && seen.insert(term).second) terms.push_back(term);
      start = comma + 1;
    }
  }
  return terms;
}

void check_options(crawl::CrawlOptions& o) {
  if (o.terms.empty()) fail(ErrorKind::InvalidArgument, "--terms names no search term");
  std::map<std::string, std::string> folders;
  for (const std::string& term : o.terms) {
    const std::string folder = crawl::folder_for_term(term);
    if (folder.empty())
      fail(ErrorKind::InvalidArgument, "the term '" + term + "' has no letters or digits to name a folder");
    const auto [it, fresh] = folders.emplace(folder, term);
    if (!fresh)
      fail(ErrorKind::InvalidArgument,
           "the terms '" + it->second + "' and '" + term + "' would share the folder " + folder + ": keep one");
  }
  if (o.source == "api" && o.api_key.empty())
    fail(ErrorKind::InvalidArgument,
         "--source api needs a Flickr API key: set FLICKR_API_KEY or pass --api-key (see docs/CRAWLING.md)");
  if (!crawl::is_web_url(o.api_base_url)) fail(ErrorKind::InvalidArgument, "--api-base-url must be an http(s) URL");
  if (!crawl::is_web_url(o.feed_base_url)) fail(ErrorKind::InvalidArgument, "--feed-base-url must be an http(s) URL");
  if (o.retry.max_backoff_seconds < o.retry.backoff_seconds) o.retry.max_backoff_seconds = o.retry.backoff_seconds;
}

// Where photos come from and how many: the search, the source, the licences.
void add_search_options(CLI::App& command, CrawlArguments& args) {
  crawl::CrawlOptions& o = args.options;
  command
      .add_option("-t,--terms", args.terms,
                  "Search terms, comma-separated (\"beach,mountain,red car\"); one folder each")
      ->required();
  // Every other option may be repeated, the last one counting (handy after
  // an alias or a script's defaults).
  command.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  add_bounded_option(command, "-n,--per-term", o.per_term, "Photos wanted per term", 1, 100000);
  command.add_option("-o,--out", args.out, "Output folder (created; resumed when it holds an earlier crawl)")
      ->required();
  command.add_option("--api-key", o.api_key, "Flickr API key (default: $FLICKR_API_KEY)")->envname("FLICKR_API_KEY");
  command.add_option("--source", o.source, "Where photos come from: auto (api with a key, else feed), api, feed")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "api", "feed"}));
  command
      .add_option("--licences,--licenses", o.licences,
                  "Accepted licences (API): cc (Creative Commons and public domain), open (also commercial use and "
                  "changes: CC BY, CC BY-SA, public domain), any (incl. All Rights Reserved: private use only), "
                  "or Flickr licence ids \"4,5,9\"")
      ->capture_default_str();
  std::vector<std::string> size_names;
  for (const auto& s : crawl::photo_sizes()) size_names.push_back(s.name);
  command.add_option("--size", o.size, "Photo size: small 240 px, medium 500, medium640, medium800, large 1024")
      ->capture_default_str()
      ->check(CLI::IsMember(size_names));
  command.add_flag("--tags", o.tag_search, "API: match tags only instead of free text (title, description, tags)");
  add_bounded_option(command, "--page-size", o.page_size, "API results per page", 1, 500);
}

// How politely: parallelism, rate, timeouts, retries, sizes; and the endpoints.
void add_politeness_options(CLI::App& command, CrawlArguments& args) {
  crawl::CrawlOptions& o = args.options;
  add_bounded_option(command, "--parallel", o.parallel, "Simultaneous downloads", 1, 16);
  add_bounded_option(command, "--rate", o.rate, "Most requests per second, all requests together (0: no limit)", 0.0,
                     1000.0);
  add_bounded_option(command, "--timeout", o.http.timeout_seconds, "Seconds allowed for one request, body included",
                     0.05, 3600.0);
  add_bounded_option(command, "--connect-timeout", o.http.connect_timeout_seconds, "Seconds allowed to connect", 0.05,
                     600.0);
  add_bounded_option(command, "--retries", o.retry.retries,
                     "Retries of a failed request (timeouts, 429, 5xx, cut-short bodies)", 0, 10);
  add_bounded_option(command, "--backoff", o.retry.backoff_seconds,
                     "Seconds before the first retry; doubled each time, with jitter", 0.0, 600.0);
  add_bounded_option(command, "--max-backoff", o.retry.max_backoff_seconds, "Ceiling of the doubling backoff, seconds",
                     0.0, 3600.0);
  add_bounded_option(command, "--max-wait", o.retry.max_wait_seconds,
                     "Longest Retry-After honoured, seconds; a server asking for more stops the request", 0.0, 86400.0);
  add_bounded_option(command, "--max-megabytes", args.max_megabytes, "Largest photo accepted, MB", 0.001, 4096.0);
  command.add_option("--api-base-url", o.api_base_url, "Flickr REST endpoint (tests point it at a local server)")
      ->capture_default_str();
  command
      .add_option("--feed-base-url", o.feed_base_url, "Flickr public feed endpoint (tests point it at a local server)")
      ->capture_default_str();
}

void run(const CrawlArguments& args) {
  crawl::CrawlOptions o = args.options;
  o.terms = split_terms(args.terms);
  o.out = args.out;
  o.http.max_body_bytes = static_cast<std::uint64_t>(args.max_megabytes * 1024 * 1024);
  check_options(o);
  // Sharded: this shard's share of every term's photos, in OUT/shard-IIIII-of-NNNNN/
  // (a crawl folder of its own, which prep, embed and index take as a source).
  o.shard = process_shard(args.sharding);
  if (o.shard) {
    o.out = o.out / o.shard->folder_name();
    o.per_term = args.options.per_term / o.shard->count + (o.shard->index < args.options.per_term % o.shard->count);
    log_info("crawl shard " + o.shard->text() + ": " + std::to_string(o.per_term) + " photos per term into " +
             o.out.string());
  }

  const crawl::CrawlSummary summary = crawl::run_crawl(o);

  if (global_options().json) std::cout << summary.to_json().dump(2) << "\n";
  summary.print();
  if (!summary.refused.empty()) {
    log_error(summary.refused);
    log_error("crawl stopped; what was downloaded is kept. Run the same command again to continue.");
    request_exit_code(kExitNetwork);
    return;
  }
  if (summary.interrupted) {
    log_info("interrupted: what was downloaded is kept; run the same command again to continue");
    return;  // main() exits with kExitInterrupted
  }
  bool every_term_failed = !summary.terms.empty();
  for (const auto& t : summary.terms)
    if (t.error.empty()) every_term_failed = false;
  if (every_term_failed && summary.downloaded() == 0)
    request_exit_code(kExitNetwork);
  else if (!summary.complete())
    request_exit_code(kExitPartial);
}

}  // namespace

void add_crawl_command(CLI::App& app) {
  auto [command, args] = add_command<CrawlArguments>(app, kHelp, run);
  add_search_options(command, args);
  add_politeness_options(command, args);
  add_shard_options(command, args.sharding,
                    "Crawl shard I of N (I/N): the photos whose id hashes to it, its share of --per-term, into "
                    "OUT/shard-IIIII-of-NNNNN/");
}

}  // namespace lookalike::cli
