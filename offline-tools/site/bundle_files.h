// Index bundles as files of a site: their names and loading one with an
// error that names the file.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "lookalike/index/collection.h"

#include "lookalike/index/vector_index.h"
#include "lookalike/metrics/metric.h"

namespace lookalike::cli {

// "<collection>.<feature slug>.<metric>.lkx", beside the sidecar in site/index/;
// ".lkp" for a partitioned index's header.
std::string bundle_file_name(const std::string& collection, const std::string& feature_slug, Metric metric,
                             IndexKind kind = IndexKind::Flat);

// What `index --update` checks of an existing index of either form: its
// config and its ids (ascending). Throws as load_bundle_file.
struct IndexFacts {
  IndexConfig config;
  std::vector<std::uint32_t> ids;
};
IndexFacts read_index_facts(const std::filesystem::path& file);

// Every file of a listed bundle, relative to site/index/: the bundle itself,
// and for a partitioned index its header and data files.
std::vector<std::string> bundle_file_names(const CollectionBundle& bundle);

// Reads and validates the whole bundle (VectorIndex::load). Throws Error(Io)
// for an unreadable file; Error(Corrupt) or Error(Unsupported) "<file>: <what
// is wrong>" for bytes that are not a valid bundle.
VectorIndex load_bundle_file(const std::filesystem::path& file);

}  // namespace lookalike::cli
