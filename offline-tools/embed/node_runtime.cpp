#include "embed/node_runtime.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "common/install_paths.h"
#include "lookalike/common/error.h"

namespace lookalike::cli {
namespace {

namespace fs = std::filesystem;

bool is_executable_file(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

bool has_onnxruntime_node(const fs::path& folder) {
  std::error_code ec;
  return fs::is_regular_file(folder / "onnxruntime-node" / "package.json", ec);
}

std::string find_node() {
  const std::string forced = environment("LOOKALIKE_NODE");
  if (!forced.empty()) {
    if (!is_executable_file(forced))
      fail(ErrorKind::Io,
           "LOOKALIKE_NODE=" + forced + " is not an executable file (it should name the Node.js binary)");
    return absolute_path(forced);
  }
  const std::string path = environment("PATH");
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t colon = path.find(':', start);
    const std::string dir = path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    if (!dir.empty() && is_executable_file(fs::path(dir) / "node")) return absolute_path(fs::path(dir) / "node");
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  fail(ErrorKind::Io,
       "Node.js not found: model embeddings run in a Node.js worker with onnxruntime-node. Install Node.js "
       "(>= 18; Debian: apt-get install nodejs) or set LOOKALIKE_NODE to the node executable");
}

std::string find_node_modules() {
  const std::string forced = environment("LOOKALIKE_NODE_MODULES");
  if (!forced.empty()) {
    if (!has_onnxruntime_node(forced))
      fail(ErrorKind::Io, "LOOKALIKE_NODE_MODULES=" + forced +
                              " has no onnxruntime-node/ (install it there with "
                              "ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node, or point the variable at a "
                              "node_modules folder that has it)");
    return absolute_path(forced);
  }
  const std::vector<fs::path> candidates = shipped_folder_candidates("node_modules");
  for (const auto& candidate : candidates)
    if (has_onnxruntime_node(candidate)) return absolute_path(candidate);
  std::string looked;
  for (const auto& candidate : candidates) looked += "\n  " + candidate.lexically_normal().string();
  fail(ErrorKind::Io,
       "onnxruntime-node not found: model embeddings need the npm package onnxruntime-node. Run scripts/setup.sh in "
       "the source tree, or install it anywhere (ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node) and set "
       "LOOKALIKE_NODE_MODULES to that node_modules folder. Looked in:" +
           looked);
}

}  // namespace

NodeRuntime find_node_runtime() {
  NodeRuntime runtime;
  runtime.node = find_node();
  runtime.node_modules = find_node_modules();
  const std::string worker = environment("LOOKALIKE_EMBED_WORKER");
  if (!worker.empty()) {
    std::error_code ec;
    if (!fs::is_regular_file(worker, ec)) fail(ErrorKind::Io, "LOOKALIKE_EMBED_WORKER=" + worker + " is not a file");
    runtime.worker_file = absolute_path(worker);
  }
  return runtime;
}

}  // namespace lookalike::cli
