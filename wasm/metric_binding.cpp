// The four metrics' natural values for two vectors (the core's kernels):
//
//   metricNames()              -> ["l1", "l2", "cosine", "correlation"]
//   metricValue(metric, a, b)  -> number
//
// The page ranks with the index; this is for checks (e.g. the cosine between
// a browser and an offline embedding of the same image) and tests.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "js_arrays.h"
#include "js_result.h"
#include "lookalike/common/error.h"
#include "lookalike/metrics/metric.h"

namespace lookalike::wasm {
namespace {

using emscripten::val;

val metric_names_js() { return to_js_strings(metric_names()); }

val metric_value_js(val metric, val a_value, val b_value) {
  return guarded([&] {
    const Metric m = parse_metric(string_argument(metric, "metric"));
    const auto a = floats_from_js(a_value, "a");
    const auto b = floats_from_js(b_value, "b");
    if (a.size() != b.size())
      fail(ErrorKind::InvalidArgument,
           "vectors differ in length (" + std::to_string(a.size()) + " and " + std::to_string(b.size()) + ")");
    return val(metric_value(m, a.data(), b.data(), a.size()));
  });
}

}  // namespace
}  // namespace lookalike::wasm

EMSCRIPTEN_BINDINGS(lookalike_metrics) {
  using namespace lookalike::wasm;
  emscripten::function("metricNames", &metric_names_js);
  emscripten::function("metricValue", &metric_value_js);
}
