#include "commands/name_checks.h"

#include "lookalike/common/name_list.h"
#include "lookalike/index/index_config.h"
#include "lookalike/metrics/metric.h"

namespace lookalike::cli {

CLI::Validator metric_check() { return parsed_by(parse_metric, "METRIC"); }

CLI::Validator element_type_check() { return parsed_by(parse_element_type, "ELEMENT"); }

std::string metric_choices() { return name_list(metric_names()); }

}  // namespace lookalike::cli
