// `lookalike info IMAGE…`: what the core sees in an image file (format, size,
// EXIF orientation) or why it refuses it. Handy to check a file before
// indexing, and the smallest example of a subcommand.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

#include "commands/command_setup.h"
#include "commands/commands.h"
#include "common/cli_context.h"
#include "common/exit_codes.h"
#include "common/files.h"
#include "common/log.h"
#include "lookalike/common/error.h"
#include "lookalike/image/decode.h"

namespace lookalike::cli {
namespace {

struct InfoArguments {
  std::vector<std::string> paths;
};

constexpr CommandHelp kHelp{"info", "Show how the core decodes image files (format, size, orientation)", ""};

void run(const InfoArguments& args) {
  nlohmann::json results = nlohmann::json::array();
  int failures = 0;
  for (const auto& path : args.paths) {
    nlohmann::json entry{{"path", path}};
    try {
      const auto bytes = read_file(path);
      const DecodedImage d = decode_image(bytes.data(), bytes.size());
      entry["format"] = format_name(d.format);
      entry["width"] = d.image.width;
      entry["height"] = d.image.height;
      entry["exif_orientation"] = d.exif_orientation;
      entry["alpha"] = d.had_alpha;
      if (!global_options().json)
        std::cout << path << ": " << format_name(d.format) << " " << d.image.width << "×" << d.image.height
                  << (d.exif_orientation != 1 ? ", EXIF orientation " + std::to_string(d.exif_orientation) : "")
                  << (d.had_alpha ? ", alpha composited onto white" : "") << "\n";
    } catch (const Error& e) {
      ++failures;
      entry["error"] = e.what();
      if (!global_options().json) log_error(path + ": " + e.what());
    }
    results.push_back(entry);
  }
  if (global_options().json) std::cout << results.dump(2) << "\n";
  if (failures > 0) request_exit_code(failures == int(args.paths.size()) ? kExitBadInput : kExitPartial);
}

}  // namespace

void add_info_command(CLI::App& app) {
  auto [command, args] = add_command<InfoArguments>(app, kHelp, run);
  command.add_option("images", args.paths, "Image files")->required()->check(CLI::ExistingFile);
}

}  // namespace lookalike::cli
