// What `lookalike index` is asked to build (commands/index_command.cpp parses
// the command line into this; indexing/index_build.h does the work).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "indexing/site_layout.h"
#include "lookalike/index/index_config.h"
#include "lookalike/metrics/metric.h"
#include "partitioned/partitioned_build.h"
#include "vectors/feature_set.h"
#include "vectors/text_towers.h"

namespace lookalike::cli {

// --kind auto chooses each feature's index by size. A flat or HNSW bundle is
// downloaded whole before the page's first result, so auto builds one only
// while it stays within kAutoWholeBundleMaxBytes (about 5 s at 50 Mbit/s,
// then cached; at d = 512 some 14 000 float32 or 48 000 int8 items), and a
// partitioned index above, whose header and probed lists are all a first
// query fetches. Below that size: flat up to kAutoFlatMaxItems, HNSW above.
// Measured (docs/BENCHMARKS.md, d = 512): at 10 000 items an exact scan takes
// about 0.5 ms natively and a few ms in the browser, while HNSW at its
// default ef 64 is only 3.6x faster; a flat bundle is exact (recall 1),
// carries no graph (about 100 bytes less per item) and builds at once. Past
// that, exact search grows with the item count and HNSW barely does (22x at
// 100 000 items). A site may so mix kinds: colour (d = 128) stays HNSW where
// a 1280-d model's embeddings are partitioned.
constexpr std::size_t kAutoFlatMaxItems = 10000;
constexpr std::uint64_t kAutoWholeBundleMaxBytes = 32'000'000;

enum class KindChoice { Auto, Flat, Hnsw, Partitioned };
// "auto", "flat", "hnsw", "partitioned"; throws Error(InvalidArgument)
KindChoice parse_kind_choice(const std::string& name);

// The kind and element type of one feature's indexes.
struct BundleKind {
  IndexKind kind = IndexKind::Flat;
  ElementType element = ElementType::Float32;
};
// The element given (else float32; int8 for a partitioned index, which
// stores int8 items: an explicit float32 keeps auto from choosing it).
// Throws Error(InvalidArgument) for --kind partitioned --element float32.
BundleKind resolve_kind(KindChoice choice, std::optional<ElementType> element, std::size_t items, std::size_t dim,
                        const HnswParams& hnsw = {});
// About the size of a whole bundle (docs/FORMAT.md): its vectors, ids, int8
// scales and for HNSW the graph (2·M links per item at most on layer 0).
std::uint64_t whole_bundle_bytes(IndexKind kind, ElementType element, std::size_t items, std::size_t dim,
                                 const HnswParams& hnsw = {});

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
  PartitionedChoices partitioned;             // lists, nprobe, rerank, seed of a partitioned index (0 = automatic)
  std::size_t samples = 8;                    // sample queries for the page (0: none)
  ItemLayout item_layout = ItemLayout::Auto;  // items in the document or in pages (site_layout.h)
  ThumbnailChoice thumbnails = ThumbnailChoice::Auto;  // thumbnails in the site or the photos' own URLs
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
