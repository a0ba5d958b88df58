// PartitionedIndex: a partitioned index (core/include/lookalike/index/
// partitioned_index.h) inside the module. The page loads the header, then
// for each query fetches the lists the search wants (HTTP Range requests,
// several in flight), hands their bytes to addList (validated by the core,
// kept within the cache budget) and lets the search score what is cached:
//
//   PartitionedIndex.load(headerBytes)    -> PartitionedIndex
//   index.info()                          -> {featureSpec, featureVersion, metric, dim, count, kind, element,
//                                             lists, dataFiles, defaultNprobe, defaultRerank, headerBytes}
//   index.listRange(list)                 -> {file, offset, bytes, count}   (where its bytes are)
//   index.addList(list, bytes)            -> null     (checks length and checksum; a bad answer is an error)
//   index.hasList(list)                   -> boolean
//   index.setCacheBudget(bytes)           -> null     (evicts least recently used lists beyond it)
//   index.cacheInfo()                     -> {bytes, lists, budget}
//   index.setLabels(ids, labels)          -> null
//   index.startSearch(query, {k?, nprobe?, rerank?, label?, exclude?}) -> PartitionedQuery
//   index.storedVector(id, list)          -> Float32Array (the list must be cached)
//   query.advance()                       -> Uint32Array: the wanted lists not cached (scores those that are)
//   query.done()                          -> boolean
//   query.hits()                          -> {ids: Uint32Array, scores: Float32Array, lists: Uint32Array}
//   query.stats()                         -> {listsScored, itemsScored}
//
// A query keeps its index alive; the page calls advance() until it returns
// an empty array with done() true, adding the lists it names in between.
#include <cmath>
#include <memory>
#include <string>

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "index_js.h"
#include "item_labels.h"
#include "js_arrays.h"
#include "js_result.h"
#include "lookalike/common/error.h"
#include "lookalike/index/list_cache.h"
#include "lookalike/index/partitioned_format.h"
#include "lookalike/index/partitioned_index.h"

namespace lookalike::wasm {
namespace {

using emscripten::val;

constexpr std::size_t kDefaultBudget = std::size_t(128) << 20;  // the page's default list memory

struct IndexState {
  explicit IndexState(PartitionedIndex loaded) : index(std::move(loaded)) {}
  PartitionedIndex index;
  ListCache cache{kDefaultBudget};
  ItemLabels labels;
  std::size_t header_bytes = 0;
};

std::uint32_t integer(const val& v, const char* what, double max) {
  if (!v.isNumber()) fail(ErrorKind::InvalidArgument, std::string(what) + " must be a number");
  const double x = v.as<double>();
  if (!(x >= 0 && x <= max && x == std::floor(x)))
    fail(ErrorKind::InvalidArgument, std::string(what) + " must be an integer in [0, " + std::to_string(max) + "]");
  return static_cast<std::uint32_t>(x);
}

class PartitionedQuery {
 public:
  PartitionedQuery(std::shared_ptr<IndexState> state, const std::vector<float>& query,
                   const PartitionedSearchOptions& options)
      : state_(std::move(state)), search_(state_->index, query.data(), options) {}

  val advance() {
    return guarded([&] {
      std::vector<std::uint32_t> missing;
      while (!search_.done()) {
        missing.clear();
        bool scored = false;
        const std::vector<std::uint32_t> wanted = search_.wanted();
        for (const std::uint32_t list : wanted) {
          if (auto cached = state_->cache.get(list)) {
            search_.score(*cached);
            scored = true;
          } else {
            missing.push_back(list);
          }
        }
        if (!scored) break;  // the rest must be fetched; a new batch may follow a scored one
      }
      return to_uint32_array(missing.data(), missing.size());
    });
  }

  bool done() const { return search_.done(); }

  val hits() const {
    return guarded([&] {
      const std::vector<std::uint32_t> lists = search_.hit_lists();
      val out = hits_to_js(search_.hits());
      out.set("lists", to_uint32_array(lists.data(), lists.size()));
      return out;
    });
  }

  val stats() const {
    val out = val::object();
    out.set("listsScored", static_cast<double>(search_.lists_scored()));
    out.set("itemsScored", static_cast<double>(search_.items_scored()));
    return out;
  }

 private:
  std::shared_ptr<IndexState> state_;
  PartitionedSearch search_;
};

class PartitionedIndexBinding {
 public:
  static val load(val bytes_value) {
    return guarded([&] {
      const std::vector<std::uint8_t> bytes = bytes_from_js(bytes_value, "header");
      auto state = std::make_shared<IndexState>(PartitionedIndex::load_header(bytes.data(), bytes.size()));
      state->header_bytes = bytes.size();
      return val(PartitionedIndexBinding(std::move(state)));
    });
  }

  val info() const {
    const PartitionedHeader& h = state_->index.header();
    const IndexConfig& c = h.config;
    val out = index_config_to_js(c, h.item_count);
    out.set("lists", static_cast<double>(h.lists.size()));
    out.set("dataFiles", static_cast<double>(h.file_bytes.size()));
    out.set("defaultNprobe", h.default_nprobe);
    out.set("defaultRerank", h.default_rerank);
    out.set("headerBytes", static_cast<double>(state_->header_bytes));
    return out;
  }

  val list_range(val list_value) const {
    return guarded([&] {
      const ListLocation& l = location(list_value);
      val out = val::object();
      out.set("file", l.file);
      out.set("offset", static_cast<double>(l.offset));
      out.set("bytes", static_cast<double>(l.bytes));
      out.set("count", l.count);
      return out;
    });
  }

  val add_list(val list_value, val bytes_value) {
    return guarded([&] {
      const std::uint32_t list = integer(list_value, "list", double(partitioned::kMaxLists));
      const std::vector<std::uint8_t> bytes = bytes_from_js(bytes_value, "list bytes");
      state_->cache.put(std::make_shared<const PartitionedList>(
          PartitionedList::parse(state_->index, list, bytes.data(), bytes.size())));
      return val::null();
    });
  }

  bool has_list(double list) const {
    return list >= 0 && list == std::floor(list) && list < 4294967296.0 &&
           state_->cache.get(static_cast<std::uint32_t>(list)) != nullptr;
  }

  val set_cache_budget(val bytes_value) {
    return guarded([&] {
      state_->cache.set_budget(integer(bytes_value, "cache budget", 4294967295.0));
      return val::null();
    });
  }

  val cache_info() const {
    val out = val::object();
    out.set("bytes", static_cast<double>(state_->cache.bytes()));
    out.set("lists", static_cast<double>(state_->cache.lists()));
    out.set("budget", static_cast<double>(state_->cache.budget()));
    return out;
  }

  val set_labels(val ids_value, val labels_value) {
    return guarded([&] {
      state_->labels.assign(uint32s_from_js(ids_value, "ids"), int32s_from_js(labels_value, "labels"));
      return val::null();
    });
  }

  val start_search(val query_value, val options) {
    return guarded([&] {
      const std::vector<float> query = query_from_js(query_value, state_->index.config());
      return val(PartitionedQuery(state_, query, search_options(options)));
    });
  }

  val start_search_default(val query_value) { return start_search(query_value, val::undefined()); }

  val stored_vector(val id_value, val list_value) const {
    return guarded([&] {
      const std::uint32_t id = integer(id_value, "item id", 4294967295.0);
      const std::uint32_t list = integer(list_value, "list", double(partitioned::kMaxLists));
      const auto cached = state_->cache.get(list);
      if (!cached) fail(ErrorKind::InvalidArgument, "list " + std::to_string(list) + " is not loaded (addList)");
      const std::optional<std::size_t> at = cached->find(id);
      if (!at)
        fail(ErrorKind::InvalidArgument, "item " + std::to_string(id) + " is not in list " + std::to_string(list));
      const std::vector<float> v = cached->vector(*at);
      return to_float32_array(v.data(), v.size());
    });
  }

 private:
  explicit PartitionedIndexBinding(std::shared_ptr<IndexState> state) : state_(std::move(state)) {}

  const ListLocation& location(const val& list_value) const {
    const std::uint32_t list = integer(list_value, "list", double(partitioned::kMaxLists));
    if (list >= state_->index.list_count())
      fail(ErrorKind::InvalidArgument, "list " + std::to_string(list) + " does not exist");
    return state_->index.header().lists[list];
  }

  PartitionedSearchOptions search_options(const val& options) const {
    require_options_object(options, "search options");
    PartitionedSearchOptions out;
    const auto whole = [&](const char* key, double fallback, double min, double max) {
      const double v = number_option(options, key, fallback, min, max);
      if (v != std::floor(v)) fail(ErrorKind::InvalidArgument, std::string("option ") + key + " must be an integer");
      return v;
    };
    out.k = static_cast<std::size_t>(whole("k", 10, 1, 100000));
    out.nprobe = static_cast<std::uint32_t>(whole("nprobe", 0, 0, double(partitioned::kMaxLists)));
    out.rerank = static_cast<std::uint32_t>(whole("rerank", 0, 0, double(partitioned::kMaxRerank)));
    const double exclude = whole("exclude", -1, -1, 4294967295.0);
    if (exclude >= 0) out.exclude = static_cast<std::uint32_t>(exclude);
    out.accept = label_filter(options, &state_->labels, state_);
    return out;
  }

  std::shared_ptr<IndexState> state_;
};

}  // namespace
}  // namespace lookalike::wasm

EMSCRIPTEN_BINDINGS(lookalike_partitioned_index) {
  using lookalike::wasm::PartitionedIndexBinding;
  using lookalike::wasm::PartitionedQuery;
  emscripten::class_<PartitionedQuery>("PartitionedQuery")
      .function("advance", &PartitionedQuery::advance)
      .function("done", &PartitionedQuery::done)
      .function("hits", &PartitionedQuery::hits)
      .function("stats", &PartitionedQuery::stats);
  emscripten::class_<PartitionedIndexBinding>("PartitionedIndex")
      .class_function("load", &PartitionedIndexBinding::load)
      .function("info", &PartitionedIndexBinding::info)
      .function("listRange", &PartitionedIndexBinding::list_range)
      .function("addList", &PartitionedIndexBinding::add_list)
      .function("hasList", &PartitionedIndexBinding::has_list)
      .function("setCacheBudget", &PartitionedIndexBinding::set_cache_budget)
      .function("cacheInfo", &PartitionedIndexBinding::cache_info)
      .function("setLabels", &PartitionedIndexBinding::set_labels)
      .function("startSearch", &PartitionedIndexBinding::start_search_default)
      .function("startSearch", &PartitionedIndexBinding::start_search)
      .function("storedVector", &PartitionedIndexBinding::stored_vector);
}
