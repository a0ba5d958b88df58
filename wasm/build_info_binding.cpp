// What this build of the module can do, for the page's status line and for
// tests that must know whether a capability is there before checking it.
//
//   buildInfo() -> {version, bundleVersion, kernels, features, metrics, coreFormats}
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "js_arrays.h"
#include "lookalike/features/feature.h"
#include "lookalike/index/bundle_format.h"
#include "lookalike/metrics/kernels.h"
#include "lookalike/metrics/metric.h"

namespace lookalike::wasm {
namespace {

using emscripten::val;

val build_info_js() {
  val out = val::object();
  out.set("version", std::string(LOOKALIKE_VERSION));
  // The bundle format version SearchIndex.load reads (docs/FORMAT.md); the
  // page's engine line shows it, next to the version of the module.
  out.set("bundleVersion", bundle::kFormatVersion);
  out.set("kernels", std::string(best_kernels().name));
  out.set("features", to_js_strings(traditional_feature_names()));
  std::vector<std::string> metrics;
  for (Metric metric : kAllMetrics) metrics.push_back(metric_name(metric));
  out.set("metrics", to_js_strings(metrics));
  out.set("coreFormats", to_js_strings({"jpeg", "png", "bmp", "gif", "tga"}));
  return out;
}

}  // namespace
}  // namespace lookalike::wasm

EMSCRIPTEN_BINDINGS(lookalike_build_info) { emscripten::function("buildInfo", &lookalike::wasm::build_info_js); }
