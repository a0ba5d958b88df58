// `lookalike`: the native half of the project. One executable, one
// subcommand per step of the data flow (see README.md).
#include <CLI/CLI.hpp>

#include <iostream>

#include "commands/commands.h"
#include "common/cli_context.h"
#include "common/exit_codes.h"
#include "common/log.h"
#include "common/version.h"
#include "lookalike/common/error.h"

using namespace lookalike;
using namespace lookalike::cli;

int main(int argc, char** argv) {
  CLI::App app{"lookalike: build and query image-similarity indexes for a static, in-browser search page.",
               "lookalike"};
  app.footer(kExitCodeHelp);
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand
  app.set_version_flag("--version", lookalike_version());

  bool quiet = false, verbose = false;
  app.add_flag("--json", global_options().json, "Print results as JSON on stdout (logs stay on stderr)");
  app.add_flag("-q,--quiet", quiet, "Only warnings and errors on stderr");
  app.add_flag("-v,--verbose", verbose, "More detail on stderr");
  app.add_option("-j,--threads", global_options().threads,
                 "Worker threads for decoding and features (default: all cores)")
      ->check(CLI::Range(1, 256));
  app.parse_complete_callback([&] {
    set_verbosity(quiet ? Verbosity::Quiet : verbose ? Verbosity::Verbose : Verbosity::Normal);
  });

  add_crawl_command(app);
  add_prep_command(app);
  add_embed_command(app);
  add_index_command(app);
  add_query_command(app);
  add_tokenize_command(app);
  add_eval_command(app);
  add_serve_command(app);
  add_info_command(app);

  install_interrupt_handlers();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    log_error(e.what());
    std::cerr << "Run with --help for usage.\n";
    return kExitUsage;
  } catch (const Error& e) {
    log_error(e.what());
    // A step stopped by Ctrl-C may end in an error ("interrupted: …"): the
    // exit code says it was the interrupt.
    return interrupted() ? kExitInterrupted : exit_code_for(e.kind());
  } catch (const std::bad_alloc&) {
    log_error("out of memory");
    return kExitFailure;
  } catch (const std::exception& e) {
    log_error(std::string("unexpected failure: ") + e.what());
    return kExitFailure;
  }
  if (interrupted()) return kExitInterrupted;
  return requested_exit_code();
}
