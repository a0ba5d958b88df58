#include "common/version.h"

// CMake defines it from the project's version; a build outside CMake says 0.0.0.
#ifndef LOOKALIKE_VERSION
#define LOOKALIKE_VERSION "0.0.0"
#endif

namespace lookalike::cli {

const char* lookalike_version() { return LOOKALIKE_VERSION; }

std::string tool_signature(const std::string& command) {
  return std::string("lookalike ") + LOOKALIKE_VERSION + " " + command;
}

}  // namespace lookalike::cli
