// The CLI's exit codes, documented in `lookalike --help` and the README.
#pragma once

#include "lookalike/common/error.h"

namespace lookalike::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,       // an unexpected internal failure (a bug: please report it)
  kExitUsage = 2,         // wrong arguments or options
  kExitBadInput = 3,      // invalid input data: corrupt image, bundle, card or manifest
  kExitIo = 4,            // a file or folder missing or unreadable, a port in use, a disk full
  kExitNetwork = 5,       // network failure, or a remote service refusing (invalid API key, quota)
  kExitPartial = 6,       // finished, but some items failed (listed in the summary)
  kExitInterrupted = 130  // stopped by SIGINT/SIGTERM; work done so far is kept
};

// The exit code for a core error kind.
inline int exit_code_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::InvalidArgument: return kExitUsage;
    case ErrorKind::Unsupported:
    case ErrorKind::Corrupt:
    case ErrorKind::TooLarge: return kExitBadInput;
    case ErrorKind::Io: return kExitIo;
  }
  return kExitFailure;
}

constexpr const char* kExitCodeHelp =
    "Exit codes: 0 success, 1 internal failure, 2 wrong arguments, 3 invalid input data,\n"
    "4 file/folder/port problem, 5 network failure, 6 finished with some items failed,\n"
    "130 interrupted.";

}  // namespace lookalike::cli
