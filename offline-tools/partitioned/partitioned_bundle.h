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

}  // namespace lookalike::cli
