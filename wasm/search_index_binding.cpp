// SearchIndex: one searchable index (one feature × metric of a collection),
// shaped for the index bundles the page downloads.
//
//   SearchIndex.load(bundleBytes)                       -> SearchIndex   (WAITS FOR core/index)
//   SearchIndex.fromVectors({featureSpec, featureVersion?, metric, dim}, ids, vectors) -> SearchIndex
//   index.info()                     -> {featureSpec, featureVersion, metric, dim, count, kind, element}
//   index.setLabels(ids, labels)     -> null
//   index.search(query, {k?, ef?, label?})     -> {ids: Uint32Array, scores: Float32Array}
//   index.searchById(id, {k?, ef?, label?})    -> {ids, scores}   ("more like this")
//   index.storedVector(id)           -> Float32Array
//   index.delete()                   frees it (embind)
//
// Scores are the metric's natural values (distances ascending, similarities
// descending), ties broken by the lower id, exactly as the offline tools rank.
//
// WAITS FOR core/index: today the index is InterimFlatIndex (exact search
// over vectors passed in with fromVectors) and `load` reports that this build
// reads no bundles (buildInfo().bundleReader is false). When core/index
// lands: `Index` becomes lookalike::VectorIndex, `load` calls
// VectorIndex::load(bytes) (which validates everything and throws Error with
// a precise message), fromVectors builds a VectorIndex of kind Flat, and
// info() reports config().kind / config().element.
#include <cmath>
#include <string>

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "common/error.h"
#include "interim_flat_index.h"
#include "item_labels.h"
#include "js_arrays.h"
#include "js_result.h"
#include "metrics/metric.h"

namespace lookalike::wasm {
namespace {

using emscripten::val;
using Index = InterimFlatIndex;
using IndexSearchOptions = InterimSearchOptions;

constexpr double kMaxK = 100000;
constexpr double kMaxEf = 100000;

class SearchIndex {
 public:
  explicit SearchIndex(Index index) : index_(std::move(index)) {}
  SearchIndex(SearchIndex&&) = default;
  SearchIndex& operator=(SearchIndex&&) = default;

  static val load(val bytes_value) {
    return guarded([&]() -> val {
      const auto bytes = bytes_from_js(bytes_value, "bundle");
      fail(ErrorKind::Unsupported, "this build cannot read index bundles yet (" + std::to_string(bytes.size()) +
                                       " bytes given): the bundle reader (core/index) is not part of it");
    });
  }

  static val from_vectors(val config, val ids_value, val vectors_value) {
    return guarded([&] {
      if (is_absent(config) || config.typeOf().as<std::string>() != "object")
        fail(ErrorKind::InvalidArgument, "config must be an object {featureSpec, featureVersion?, metric, dim}");
      InterimIndexConfig c;
      c.feature_spec = string_option(config, "featureSpec", "");
      if (c.feature_spec.empty()) fail(ErrorKind::InvalidArgument, "config.featureSpec is missing");
      c.feature_version = static_cast<std::uint32_t>(number_option(config, "featureVersion", 1, 1, 1e9));
      c.metric = parse_metric(string_option(config, "metric", "cosine"));
      const double dim = number_option(config, "dim", 0, 1, 1 << 20);
      if (dim != std::floor(dim)) fail(ErrorKind::InvalidArgument, "config.dim must be an integer");
      c.dim = static_cast<std::uint32_t>(dim);
      Index index(std::move(c), uint32s_from_js(ids_value, "ids"), floats_from_js(vectors_value, "vectors"));
      return val(SearchIndex(std::move(index)));
    });
  }

  val info() const {
    const auto& c = index_.config();
    val out = val::object();
    out.set("featureSpec", c.feature_spec);
    out.set("featureVersion", c.feature_version);
    out.set("metric", std::string(metric_name(c.metric)));
    out.set("dim", c.dim);
    out.set("count", static_cast<double>(index_.size()));
    out.set("kind", std::string("flat"));
    out.set("element", std::string("float32"));
    return out;
  }

  val set_labels(val ids_value, val labels_value) {
    return guarded([&] {
      labels_.assign(uint32s_from_js(ids_value, "ids"), int32s_from_js(labels_value, "labels"));
      return val::null();
    });
  }

  val search(val query_value, val options) const {
    return guarded([&] {
      const std::vector<float> query = floats_from_js(query_value, "query");
      if (query.size() != index_.config().dim)
        fail(ErrorKind::InvalidArgument, "query has " + std::to_string(query.size()) + " values but the index (" +
                                             index_.config().feature_spec + ") has dimension " +
                                             std::to_string(index_.config().dim));
      for (float x : query)
        if (!std::isfinite(x)) fail(ErrorKind::InvalidArgument, "query holds a non-finite value");
      return hits_to_js(index_.search(query.data(), search_options(options)));
    });
  }

  val search_by_id(val id_value, val options) const {
    return guarded([&] { return hits_to_js(index_.search_by_id(item_id(id_value), search_options(options))); });
  }

  val stored_vector(val id_value) const {
    return guarded([&] {
      const std::vector<float> vector = index_.stored_vector(item_id(id_value));
      return to_float32_array(vector.data(), vector.size());
    });
  }

  val search_default(val query) const { return search(query, val::undefined()); }
  val search_by_id_default(val id) const { return search_by_id(id, val::undefined()); }

 private:
  static std::uint32_t item_id(const val& id) {
    if (!id.isNumber()) fail(ErrorKind::InvalidArgument, "item id must be a number");
    const double x = id.as<double>();
    if (!(x >= 0 && x <= 4294967295.0 && x == std::floor(x)))
      fail(ErrorKind::InvalidArgument, "item id must be an integer in [0, 2^32)");
    return static_cast<std::uint32_t>(x);
  }

  IndexSearchOptions search_options(const val& options) const {
    require_options_object(options, "search options");
    IndexSearchOptions out;
    out.k = static_cast<std::size_t>(number_option(options, "k", 10, 1, kMaxK));
    out.ef = static_cast<std::uint32_t>(number_option(options, "ef", 0, 0, kMaxEf));
    const double label = number_option(options, "label", -1, -1, 2147483647.0);
    if (label != std::floor(label)) fail(ErrorKind::InvalidArgument, "option label must be an integer");
    if (label >= 0) {
      if (labels_.empty())
        fail(ErrorKind::InvalidArgument, "cannot filter by label: no item labels were given to this index (setLabels)");
      const auto wanted = static_cast<std::int32_t>(label);
      const ItemLabels* labels = &labels_;
      out.accept = [labels, wanted](std::uint32_t id) { return labels->label_of(id) == wanted; };
    }
    return out;
  }

  static val hits_to_js(const std::vector<Hit>& hits) {
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

  Index index_;
  ItemLabels labels_;
};

}  // namespace
}  // namespace lookalike::wasm

EMSCRIPTEN_BINDINGS(lookalike_search_index) {
  using lookalike::wasm::SearchIndex;
  // embind checks the argument count, so optional arguments are overloads.
  emscripten::class_<SearchIndex>("SearchIndex")
      .class_function("load", &SearchIndex::load)
      .class_function("fromVectors", &SearchIndex::from_vectors)
      .function("info", &SearchIndex::info)
      .function("setLabels", &SearchIndex::set_labels)
      .function("search", &SearchIndex::search_default)
      .function("search", &SearchIndex::search)
      .function("searchById", &SearchIndex::search_by_id_default)
      .function("searchById", &SearchIndex::search_by_id)
      .function("storedVector", &SearchIndex::stored_vector);
}
