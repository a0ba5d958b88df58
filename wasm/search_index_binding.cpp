// SearchIndex: one index bundle (one feature × metric of a collection) as a
// lookalike::VectorIndex inside the module, flat or HNSW, float32 or int8.
//
//   SearchIndex.load(bundleBytes)    -> SearchIndex   (validates everything; bad bytes give an error result)
//   index.info()                     -> {featureSpec, featureVersion, metric, dim, count, kind, element,
//                                        floatVectors, hnsw: {m, efConstruction, efSearch} | null}
//   index.ids()                      -> Uint32Array   (the live ids, ascending)
//   index.setLabels(ids, labels)     -> null
//   index.search(query, {k?, ef?, label?})     -> {ids: Uint32Array, scores: Float32Array}
//   index.searchById(id, {k?, ef?, label?})    -> {ids, scores}   ("more like this", the item left out)
//   index.storedVector(id)           -> Float32Array
//   index.delete()                   frees it (embind)
//
// Scores are the metric's natural values (distances ascending, similarities
// descending), ties broken by the lower id: VectorIndex's own ranking, the
// same code the offline tools run, so the page and `lookalike query` agree.
// searchById is VectorIndex::search_by_id: the item's stored vector is the
// query and the item itself is not among the k results, as in
// `lookalike query --item`.
#include <cmath>
#include <string>

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "index_js.h"
#include "item_labels.h"
#include "js_arrays.h"
#include "js_result.h"
#include "lookalike/common/error.h"
#include "lookalike/index/vector_index.h"
#include "lookalike/metrics/metric.h"

namespace lookalike::wasm {
namespace {

using emscripten::val;

constexpr double kMaxK = 100000;

class SearchIndex {
 public:
  explicit SearchIndex(VectorIndex index) : index_(std::move(index)) {}
  SearchIndex(SearchIndex&&) = default;
  SearchIndex& operator=(SearchIndex&&) = default;

  static val load(val bytes_value) {
    return guarded([&] {
      std::vector<std::uint8_t> bytes = bytes_from_js(bytes_value, "bundle");
      VectorIndex index = VectorIndex::load(bytes.data(), bytes.size());
      // The bundle's bytes are no longer needed; free them before handing
      // the index out, so the module's peak memory is the index plus one copy.
      std::vector<std::uint8_t>().swap(bytes);
      return val(SearchIndex(std::move(index)));
    });
  }

  val info() const {
    const IndexConfig& c = index_.config();
    val out = index_config_to_js(c, index_.size());
    out.set("floatVectors", c.element == ElementType::Float32 || c.keep_float_vectors);
    if (c.kind == IndexKind::Hnsw) {
      val hnsw = val::object();
      hnsw.set("m", c.hnsw.m);
      hnsw.set("efConstruction", c.hnsw.ef_construction);
      hnsw.set("efSearch", c.hnsw.ef_search);
      out.set("hnsw", hnsw);
    } else {
      out.set("hnsw", val::null());
    }
    return out;
  }

  val ids() const {
    return guarded([&] {
      const std::vector<std::uint32_t> ids = index_.ids();
      return to_uint32_array(ids.data(), ids.size());
    });
  }

  val set_labels(val ids_value, val labels_value) {
    return guarded([&] {
      labels_.assign(uint32s_from_js(ids_value, "ids"), int32s_from_js(labels_value, "labels"));
      return val::null();
    });
  }

  val search(val query_value, val options) const {
    return guarded([&] {
      const std::vector<float> query = query_from_js(query_value, index_.config());
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

  SearchOptions search_options(const val& options) const {
    require_options_object(options, "search options");
    SearchOptions out;
    out.k = static_cast<std::size_t>(number_option(options, "k", 10, 1, kMaxK));
    const double ef = number_option(options, "ef", 0, 0, kMaxHnswEf);
    if (ef != std::floor(ef)) fail(ErrorKind::InvalidArgument, "option ef must be an integer");
    out.ef = static_cast<std::uint32_t>(ef);
    out.accept = label_filter(options, &labels_);
    return out;
  }

  VectorIndex index_;
  ItemLabels labels_;
};

}  // namespace
}  // namespace lookalike::wasm

EMSCRIPTEN_BINDINGS(lookalike_search_index) {
  using lookalike::wasm::SearchIndex;
  // embind checks the argument count, so optional arguments are overloads.
  emscripten::class_<SearchIndex>("SearchIndex")
      .class_function("load", &SearchIndex::load)
      .function("info", &SearchIndex::info)
      .function("ids", &SearchIndex::ids)
      .function("setLabels", &SearchIndex::set_labels)
      .function("search", &SearchIndex::search_default)
      .function("search", &SearchIndex::search)
      .function("searchById", &SearchIndex::search_by_id_default)
      .function("searchById", &SearchIndex::search_by_id)
      .function("storedVector", &SearchIndex::stored_vector);
}
