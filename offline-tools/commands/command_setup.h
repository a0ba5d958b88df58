// The one way a subcommand holds its arguments: every option writes into one
// Arguments value, which the subcommand's callback hands to run() once CLI11
// has parsed and checked them all. The value is shared by the options and
// the callback, not static, so every CLI::App has its own.
//
//   constexpr CommandHelp kHelp{"info", "Show how the core decodes image files", ""};
//   void add_info_command(CLI::App& app) {
//     auto [command, args] = add_command<InfoArguments>(app, kHelp, run);
//     command.add_option("images", args.paths, "Image files")->required();
//   }
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

namespace lookalike::cli {

struct CommandHelp {
  const char* name;
  const char* description;  // one line, listed by `lookalike --help`
  const char* footer;       // shown under `lookalike <name> --help`; "" for none
};

template <class Arguments>
struct CommandSetup {
  CLI::App& command;
  Arguments& args;  // alive as long as the command (its callback holds it)
};

// Adds the subcommand help.name whose callback calls run(args).
template <class Arguments>
CommandSetup<Arguments> add_command(CLI::App& app, const CommandHelp& help, void (*run)(const Arguments&)) {
  auto args = std::make_shared<Arguments>();
  CLI::App* command = app.add_subcommand(help.name, help.description);
  if (*help.footer) command->footer(help.footer);
  command->callback([args, run] { run(*args); });
  return {*command, *args};
}

// An option whose --help shows its default and that takes values in
// [low, high] only.
template <class T, class Bound>
CLI::Option* add_bounded_option(CLI::App& command, const std::string& name, T& value, const std::string& description,
                                Bound low, Bound high) {
  return command.add_option(name, value, description)->capture_default_str()->check(CLI::Range(low, high));
}

}  // namespace lookalike::cli
