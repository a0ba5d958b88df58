// State shared by every subcommand: global options, the exit code a command
// asks for when it finishes with partial failures, and the interrupt flag.
#pragma once

#include <atomic>

namespace lookalike::cli {

struct GlobalOptions {
  bool json = false;     // machine-readable results on stdout
  unsigned threads = 0;  // 0 = all hardware threads
};

GlobalOptions& global_options();

// A command that completes but with some failed items sets kExitPartial here.
void request_exit_code(int code);
int requested_exit_code();

// Set by SIGINT/SIGTERM. Long loops check it, stop cleanly, keep finished work
// and let main exit with kExitInterrupted; a second signal kills at once.
bool interrupted();
// For commands whose normal end is Ctrl-C (serve): the interrupt is handled.
void clear_interrupted();
void install_interrupt_handlers();

}  // namespace lookalike::cli
