// Where lookalike finds what it ships with (model cards, node_modules with
// onnxruntime-node), whether it runs from a build tree, an installed prefix
// or a copy of the source tree.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace lookalike::cli {

// The environment variable's value, or "" when it is not set.
std::string environment(const char* name);

// Absolute, with symlinks resolved where the path exists.
std::string absolute_path(const std::filesystem::path& path);

// The running executable's folder (from /proc/self/exe), or empty.
std::string executable_directory();

// Where a shipped `folder` ("models", "node_modules") may be, in the order
// to try: beside the executable and in every folder above it (a build tree,
// a checkout), <prefix>/share/lookalike/ and <prefix>/lib/lookalike/ of an
// installed binary, and the source tree it was built from. Not checked for
// existence.
std::vector<std::filesystem::path> shipped_folder_candidates(const std::string& folder);

}  // namespace lookalike::cli
