// Everything `lookalike crawl` can be told (see commands/crawl_command.cpp
// for the command-line names and defaults, docs/CRAWLING.md for advice).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "crawl/http_fetcher.h"
#include "crawl/retry_policy.h"
#include "shard/shard_spec.h"

namespace lookalike::crawl {

struct CrawlOptions {
  std::vector<std::string> terms;
  std::size_t per_term = 50;  // of this shard, when sharded (its share of --per-term)
  std::filesystem::path out;
  // Sharded: only photos whose id hashes to this shard are downloaded, so
  // shards run side by side never fetch the same photo.
  std::optional<cli::ShardSpec> shard;

  std::string api_key;          // empty: the public feed
  std::string source = "auto";  // auto (api when a key is given), api, feed
  std::string licences = "cc";  // cc, open, any or Flickr ids (API only)
  std::string size = "medium";  // small, medium, medium640, medium800, large
  bool tag_search = false;      // API: tags only instead of free text
  int page_size = 100;          // API results per page

  unsigned parallel = 4;  // simultaneous downloads
  double rate = 2.0;      // requests per second, all requests together; 0 = no limit
  HttpSettings http;
  RetrySettings retry;

  std::string api_base_url = "https://api.flickr.com/services/rest/";
  std::string feed_base_url = "https://www.flickr.com/services/feeds/photos_public.gne";
};

}  // namespace lookalike::crawl
