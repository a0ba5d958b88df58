// `lookalike serve DIR`: serves a built site locally, cross-origin isolated
// (COOP/COEP), so the page can use threads. Binds 127.0.0.1 unless --host
// says otherwise; prints the URL on stdout; Ctrl-C stops it (exit 0).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "commands/command_setup.h"
#include "commands/commands.h"
#include "common/cli_context.h"
#include "common/log.h"
#include "common/text.h"
#include "serve/static_site_server.h"

namespace lookalike::cli {
namespace {

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

struct ServeArguments {
  ServeOptions options;
  std::string root;
};

constexpr CommandHelp kHelp{
    "serve", "Serve a built site over HTTP on this machine (cross-origin isolated)",
    "Serves static files with correct types (application/wasm, text/javascript for .mjs), byte ranges\n"
    "and COOP/COEP/CORP headers, so the page may use threads. Text, scripts, JSON and WASM go out\n"
    "gzip-compressed to browsers that accept it; index data, models and images never (a range is\n"
    "always of the file's own bytes). Nothing outside DIR is served."};

void serve(const ServeOptions& options) {
  StaticSiteServer server(options);
  server.bind();
  if (global_options().json) {
    std::cout << nlohmann::json{{"url", server.url()}, {"root", options.root.string()}}.dump() << std::endl;
  } else {
    std::cout << server.url() << std::endl;
  }
  log_info("serving " + printable(options.root.string()) + " at " + server.url() +
           " (cross-origin isolated: COOP same-origin, COEP require-corp); press Ctrl-C to stop");
  if (!is_loopback(options.host))
    log_warning("listening on " + options.host + ": other machines on the network can read every file of " +
                printable(options.root.string()));

  std::atomic<bool> finished{false};
  std::thread worker([&] {
    server.run();
    finished = true;
  });
  while (!finished && !interrupted()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  while (!finished) {  // stop() only takes effect once the server runs
    server.stop();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  worker.join();
  if (interrupted()) {
    clear_interrupted();  // Ctrl-C is how a server is meant to stop
    log_info("stopped");
  }
}

void run(const ServeArguments& args) {
  ServeOptions options = args.options;
  options.root = args.root;
  options.log_requests = verbosity() == Verbosity::Verbose;
  serve(options);
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto [command, args] = add_command<ServeArguments>(app, kHelp, run);
  command.add_option("dir", args.root, "Folder to serve (the site)")->required();
  command.add_option("--host", args.options.host, "Address to listen on (0.0.0.0 exposes the site to the network)")
      ->default_val("127.0.0.1");
  command.add_option("-p,--port", args.options.port, "Port (0: pick a free one)")
      ->default_val(8000)
      ->check(CLI::Range(0, 65535));
}

}  // namespace lookalike::cli
