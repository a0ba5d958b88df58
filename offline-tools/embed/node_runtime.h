// Where the embedding worker's pieces are: the Node.js executable, the
// node_modules folder holding onnxruntime-node, and the worker script.
//
// Lookup, first match wins (each can be forced by an environment variable,
// so an installed binary works wherever its pieces live):
//   node          $LOOKALIKE_NODE, else `node` on PATH
//   node_modules  $LOOKALIKE_NODE_MODULES, else node_modules/ in the
//                 executable's folder or any folder above it, else
//                 <exe>/../share/lookalike/node_modules, else the source
//                 tree this binary was built from
//   worker        $LOOKALIKE_EMBED_WORKER (a .mjs file), else the copy of
//                 offline-tools/embed/onnx_worker.mjs compiled into the binary
#pragma once

#include <string>

namespace lookalike::cli {

struct NodeRuntime {
  std::string node;          // absolute path of the node executable
  std::string node_modules;  // absolute path of a folder containing onnxruntime-node/
  std::string worker_file;   // a worker script file, or empty to use the embedded script
};

// Throws Error(Io) naming what is missing and how to provide it.
NodeRuntime find_node_runtime();

// The embedded copy of onnx_worker.mjs (generated at build time).
const char* embedded_worker_script();

}  // namespace lookalike::cli
