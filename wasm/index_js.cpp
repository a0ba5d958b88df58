#include "index_js.h"

#include <cmath>
#include <string>

#include "js_arrays.h"
#include "lookalike/common/error.h"
#include "lookalike/metrics/metric.h"

namespace lookalike::wasm {

using emscripten::val;

val index_config_to_js(const IndexConfig& c, std::size_t count) {
  val out = val::object();
  out.set("featureSpec", c.feature_spec);
  out.set("featureVersion", c.feature_version);
  out.set("metric", std::string(metric_name(c.metric)));
  out.set("dim", c.dim);
  out.set("count", static_cast<double>(count));
  out.set("kind", std::string(index_kind_name(c.kind)));
  out.set("element", std::string(element_type_name(c.element)));
  return out;
}

val hits_to_js(const std::vector<Hit>& hits) {
  std::vector<std::uint32_t> ids(hits.size());
  std::vector<float> scores(hits.size());
  for (std::size_t i = 0; i < hits.size(); ++i) {
    ids[i] = hits[i].id;
    scores[i] = hits[i].score;
  }
  val out = val::object();
  out.set("ids", to_uint32_array(ids.data(), ids.size()));
  out.set("scores", to_float32_array(scores.data(), scores.size()));
  return out;
}

std::vector<float> query_from_js(const val& value, const IndexConfig& c) {
  std::vector<float> query = floats_from_js(value, "query");
  if (query.size() != c.dim)
    fail(ErrorKind::InvalidArgument, "query has " + std::to_string(query.size()) + " values but the index (" +
                                         c.feature_spec + ") has dimension " + std::to_string(c.dim));
  return query;
}

std::function<bool(std::uint32_t)> label_filter(const val& options, const ItemLabels* labels,
                                                std::shared_ptr<const void> keep_alive) {
  const double label = number_option(options, "label", -1, -1, 2147483647.0);
  if (label != std::floor(label)) fail(ErrorKind::InvalidArgument, "option label must be an integer");
  if (label < 0) return {};
  if (labels->empty())
    fail(ErrorKind::InvalidArgument, "cannot filter by label: no item labels were given to this index (setLabels)");
  const auto wanted = static_cast<std::int32_t>(label);
  return [labels, wanted, keep_alive](std::uint32_t id) { return labels->label_of(id) == wanted; };
}

}  // namespace lookalike::wasm
