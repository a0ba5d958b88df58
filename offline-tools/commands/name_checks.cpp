#include "commands/name_checks.h"

#include "lookalike/common/name_list.h"
#include "lookalike/index/index_config.h"
#include "lookalike/metrics/metric.h"

namespace lookalike::cli {

CLI::Validator metric_check() { return parsed_by(parse_metric, "METRIC"); }

CLI::Validator element_type_check() { return parsed_by(parse_element_type, "ELEMENT"); }

std::string metric_choices() { return name_list(metric_names()); }

CLI::Option* add_metrics_option(CLI::App& command, std::vector<std::string>& metrics) {
  return command
      .add_option("-m,--metric", metrics, metric_choices() + "; repeatable or comma-separated (default: all of them)")
      ->delimiter(',')
      ->check(metric_check());
}

}  // namespace lookalike::cli
