#include "common/cli_context.h"

#include <unistd.h>
#include <cerrno>
#include <csignal>

namespace lookalike::cli {
namespace {

GlobalOptions g_options;
std::atomic<int> g_exit_code{0};
// Read by worker threads, written by the signal handler: a lock-free atomic
// is safe in both places (a volatile sig_atomic_t is not, across threads).
std::atomic<int> g_interrupted{0};
static_assert(std::atomic<int>::is_always_lock_free, "the interrupt flag must be usable in a signal handler");

extern "C" void on_signal(int signal_number) {
  const int saved_errno = errno;  // the interrupted code may be about to read it
  if (g_interrupted.exchange(1) != 0) {
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
    errno = saved_errno;
    return;
  }
  const char message[] = "\nlookalike: interrupted, finishing the current items (press Ctrl-C again to stop at once)\n";
  ssize_t ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
  (void)ignored;
  errno = saved_errno;
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
