// The bundles `lookalike index` writes: which features and metrics (one
// bundle per pair), and how they are built. A fresh build takes them from
// the options and their defaults; an update takes them from the existing
// bundles, and refuses options that differ from those bundles, saying to
// rebuild (an update only adds and removes items, it never re-encodes).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "indexing/index_options.h"
#include "lookalike/index/collection.h"
#include "lookalike/index/index_config.h"
#include "vectors/feature_set.h"

namespace lookalike::cli {

struct BundleSettings {
  std::vector<FeatureChoice> features;
  std::vector<Metric> metrics;
  // One per feature, in its order: a fresh build's by size (resolve_kind); an
  // update keeps each feature's own.
  std::vector<BundleKind> kinds;
  HnswParams hnsw;

  BundleKind kind_of(const FeatureChoice& feature) const;
};

// Throws Error(InvalidArgument) for an unknown feature or card, or an index
// parameter outside the core's limits, before any image is read.
BundleSettings fresh_settings(const IndexOptions& options, std::size_t items);

// Loads every bundle of `existing` (site/index/…) and checks it: readable,
// the feature and metric the sidecar says, the feature version this build
// computes, the sidecar's ids, and every option given. Model features use the
// card copied into the site (site/models/), so new images are embedded by the
// same model. Throws Error(InvalidArgument) when an option differs from the
// bundles and Error(Corrupt) when the site is out of step, in both cases
// saying to rebuild without --update.
BundleSettings update_settings(const IndexOptions& options, const Collection& existing,
                               const std::filesystem::path& site, std::size_t items);

IndexConfig bundle_config(const BundleSettings& settings, const FeatureChoice& feature, Metric metric);

}  // namespace lookalike::cli
