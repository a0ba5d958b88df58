// One partitioned index of a site: built from rows (partitioned_build.h)
// into the site's staged files, <stem>.lkp and its data files <stem>.NNNN.bin
// in site/index/, with the collection's entry for it.
#pragma once

#include <filesystem>
#include <string>

#include "common/staged_files.h"
#include "indexing/index_build.h"
#include "partitioned/partitioned_build.h"

namespace lookalike::cli {

BuiltBundle stage_partitioned_bundle(StagedFiles& staged, const std::filesystem::path& site,
                                     const std::string& header_file, const std::string& slug, const IndexConfig& config,
                                     const PartitionedRows& rows, const PartitionedChoices& choices, unsigned threads,
                                     bool show_progress);

// `index --update` of an existing partitioned index (site/index/<header_file>):
// the removed ids leave their lists, each new item joins the list of its
// nearest centroid (the centroids stay as trained), and every list is
// written again with the same header settings. Says (a warning) when the
// lists have drifted enough that a rebuild would help: new items much
// farther from their centroids than the indexed ones, or a list grown far
// beyond the others.
BuiltBundle stage_partitioned_update(StagedFiles& staged, const std::filesystem::path& site,
                                     const std::string& header_file, const std::string& slug,
                                     const std::vector<std::uint32_t>& remove_ids, const PartitionedRows& added,
                                     bool show_progress);

}  // namespace lookalike::cli
