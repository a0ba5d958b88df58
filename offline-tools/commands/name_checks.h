// Checks of option values that name one of the core's choices (a metric, an
// element type, an index kind), made by the core's own parser so that a
// command accepts exactly what the core does ("pearson" for correlation, …)
// and says what it expects in the core's words. The choices are listed in
// help texts from the core's lists too (name_list, metric_names()).
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "lookalike/common/error.h"

namespace lookalike::cli {

// A CLI11 check that passes when parse(value) returns and fails with the
// parser's message when it throws lookalike::Error.
template <class Parse>
CLI::Validator parsed_by(Parse parse, const std::string& description) {
  return CLI::Validator(
      [parse](std::string& value) -> std::string {
        try {
          parse(value);
          return {};
        } catch (const Error& e) {
          return e.what();
        }
      },
      description);
}

CLI::Validator metric_check();        // parse_metric: l1, l2, cosine, correlation and their other names
CLI::Validator element_type_check();  // parse_element_type: float32, int8

// "l1, l2, cosine or correlation"
std::string metric_choices();

// -m/--metric, repeatable or comma-separated, each checked by metric_check().
CLI::Option* add_metrics_option(CLI::App& command, std::vector<std::string>& metrics);

}  // namespace lookalike::cli
