// What `lookalike index` is asked to build (commands/index_command.cpp parses
// the command line into this; indexing/index_build.h does the work).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "lookalike/index/index_config.h"
#include "lookalike/metrics/metric.h"
#include "partitioned/partitioned_build.h"
#include "vectors/feature_set.h"
#include "vectors/text_towers.h"

namespace lookalike::cli {

// --kind auto builds flat (exact) bundles up to this many items and HNSW
// above. Measured (docs/BENCHMARKS.md, d = 512): at 10 000 items an exact
// scan takes about 0.5 ms natively and a few ms in the browser, while HNSW at
// its default ef 64 is only 3.6x faster; a flat bundle is exact (recall 1),
// carries no graph (about 100 bytes less per item) and builds at once. Past
// that, exact search grows with the item count and HNSW barely does (22x at
// 100 000 items).
constexpr std::size_t kAutoFlatMaxItems = 10000;
// Above this many items --kind auto will build a partitioned index (inverted
// lists fetched on demand) instead of an HNSW bundle the page downloads
// whole, once the page reads partitioned indexes; until then auto builds
// HNSW and a partitioned index is built on request (--kind partitioned).
constexpr bool kAutoPartitioned = false;
constexpr std::size_t kAutoHnswMaxItems = 50000;

enum class KindChoice { Auto, Flat, Hnsw, Partitioned };
// "auto", "flat", "hnsw", "partitioned"; throws Error(InvalidArgument)
KindChoice parse_kind_choice(const std::string& name);
IndexKind resolve_kind(KindChoice choice, std::size_t items);

struct IndexOptions {
  std::filesystem::path input;  // a manifest.json, a folder holding one, or an image folder (prepped in memory)
  // Or precomputed embeddings: a float32 .npy matrix and a JSON Lines file
  // with one collection item per row (partitioned/embeddings_input.h).
  std::filesystem::path embeddings, items;
  std::filesystem::path site = "site";
  std::string name;   // empty: from the input folder's name
  std::string title;  // empty: the name (a fresh build) or the collection's title (an update)
  // Empty: the traditional features at their defaults and all four metrics
  // (a fresh build), or exactly what the collection has (an update).
  std::vector<std::string> features;
  std::vector<Metric> metrics;
  // Unset: auto / float32 / the index's defaults (a fresh build), or what the
  // bundles have (an update). Set for an update: must match the bundles.
  std::optional<KindChoice> kind;
  std::optional<ElementType> element;
  std::optional<std::uint32_t> m, ef_construction, ef_search;
  PartitionedChoices partitioned;  // lists, nprobe, rerank, seed of a partitioned index (0 = automatic)
  std::size_t samples = 8;         // sample queries for the page (0: none)
  bool update = false;
  bool make_default = false;  // the site's default collection (else only when it has none)
  int thumbnail_side = 256;
  unsigned threads = 0;  // decoding, features, HNSW building; 0 = all cores
  // HNSW graphs built on one thread: a graph built by several depends on
  // their timing, so the same input would give other bundle bytes each time
  // (a new download for every visitor after each publish).
  bool reproducible = false;
  bool show_progress = true;
  ModelRunOptions model;
  TextTowerRequest text;  // the text towers published with model features
};

}  // namespace lookalike::cli
