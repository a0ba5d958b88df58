#include "common/log.h"

#include <cstdio>
#include <mutex>

#include "common/progress.h"

namespace lookalike::cli {
namespace {

Verbosity g_verbosity = Verbosity::Normal;
std::mutex g_mutex;

void emit(const char* level, const std::string& message) {
  std::lock_guard<std::mutex> lock(g_mutex);
  ProgressLineGuard guard;  // moves an active progress bar out of the way
  std::fprintf(stderr, "lookalike: %s%s\n", level, message.c_str());
  std::fflush(stderr);
}

}  // namespace

void set_verbosity(Verbosity v) { g_verbosity = v; }
Verbosity verbosity() { return g_verbosity; }

void log_info(const std::string& message) {
  if (g_verbosity != Verbosity::Quiet) emit("", message);
}
void log_verbose(const std::string& message) {
  if (g_verbosity == Verbosity::Verbose) emit("", message);
}
void log_warning(const std::string& message) { emit("warning: ", message); }
void log_error(const std::string& message) { emit("error: ", message); }

}  // namespace lookalike::cli
