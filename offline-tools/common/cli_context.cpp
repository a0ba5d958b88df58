#include "common/cli_context.h"

#include <csignal>
#include <unistd.h>

namespace lookalike::cli {
namespace {

GlobalOptions g_options;
std::atomic<int> g_exit_code{0};
volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void on_signal(int signal_number) {
  if (g_interrupted) {
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
    return;
  }
  g_interrupted = 1;
  const char message[] = "\nlookalike: interrupted, finishing the current items (press Ctrl-C again to stop at once)\n";
  ssize_t ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
  (void)ignored;
}

}  // namespace

GlobalOptions& global_options() { return g_options; }
void request_exit_code(int code) { g_exit_code = code; }
int requested_exit_code() { return g_exit_code; }
bool interrupted() { return g_interrupted != 0; }
void clear_interrupted() { g_interrupted = 0; }

void install_interrupt_handlers() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGPIPE, SIG_IGN);  // a closed pipe or socket is an error return, not a kill
}

}  // namespace lookalike::cli
