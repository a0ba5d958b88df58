// Logging for the CLI: human messages go to stderr (stdout is kept for
// results, e.g. --json), one line each, prefixed with the program name.
#pragma once

#include <string>

namespace lookalike::cli {

enum class Verbosity { Quiet, Normal, Verbose };

void set_verbosity(Verbosity verbosity);
Verbosity verbosity();

void log_info(const std::string& message);     // shown unless --quiet
void log_verbose(const std::string& message);  // shown with --verbose
void log_warning(const std::string& message);  // always shown
void log_error(const std::string& message);    // always shown

}  // namespace lookalike::cli
