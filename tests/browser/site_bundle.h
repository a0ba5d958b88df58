// Writing one index bundle of a test site the way `lookalike index` does:
// VectorIndex::save's bytes beside the sidecar, and the sidecar entry that
// describes them (core/include/lookalike/index/collection.h). Shared by the fixture programs
// of the browser tests and the README screenshot.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "lookalike/index/collection.h"
#include "lookalike/index/vector_index.h"

namespace lookalike::testing {

// Builds an index of `config` over `ids` (rows of config.dim floats), writes
// its bundle as index_dir/file and returns its sidecar entry. `loaded`, when
// given, receives the index as loaded back from the written bytes: answers
// computed on it are those of the very file the page reads.
CollectionBundle write_site_bundle(const std::filesystem::path& index_dir, const std::string& file,
                                   const IndexConfig& config, const std::vector<std::uint32_t>& ids,
                                   const std::vector<float>& rows, VectorIndex* loaded = nullptr);

void write_site_file(const std::filesystem::path& path, const void* data, std::size_t size);
void write_site_text(const std::filesystem::path& path, const std::string& text);

}  // namespace lookalike::testing
