// The version of lookalike this build reports (--version) and records in
// what it writes (manifests, reports, shards' done.json): one definition,
// from the project's version in CMakeLists.txt.
#pragma once

#include <string>

namespace lookalike::cli {

const char* lookalike_version();

// "lookalike <version> <command>": the writer a file names.
std::string tool_signature(const std::string& command);

}  // namespace lookalike::cli
