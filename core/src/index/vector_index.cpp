#include "lookalike/index/vector_index.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <unordered_map>

// Graphs are built on several threads natively; the WASM build has none.
#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)
#include "lookalike/common/parallel.h"
#define LOOKALIKE_INDEX_THREADS 1
#endif

#include "index/bundle_codes.h"
#include "index/bundle_reader.h"
#include "index/bundle_writer.h"
#include "index/element_layout.h"
#include "index/hnsw_graph.h"
#include "index/prepared_exact_scan.h"
#include "index/vector_preparation.h"
#include "lookalike/common/error.h"
#include "lookalike/search/exact_search.h"

namespace lookalike {
namespace {

// A filtered HNSW search walks roughly (unfiltered cost) / (accepted share)
// nodes, an exact scan costs one distance per accepted item. Estimating the
// unfiltered cost at 40·ef distances (the order of what a walk with m = 16
// computes), the scan is cheaper when accepted² ≤ 40·ef·live; it is also
// exact, so a selective filter loses nothing.
constexpr double kFilterScanCostFactor = 40.0;

std::string id_text(std::uint32_t id) { return "id " + std::to_string(id); }

[[noreturn]] void bad_argument(const std::string& message) { fail(ErrorKind::InvalidArgument, "index: " + message); }

unsigned worker_count(unsigned requested, std::size_t items) {
#ifdef LOOKALIKE_INDEX_THREADS
  return static_cast<unsigned>(std::min<std::size_t>(thread_count(requested), std::max<std::size_t>(items / 64, 1)));
#else
  (void)requested;
  (void)items;
  return 1;
#endif
}

}  // namespace

struct VectorIndex::Impl {
  explicit Impl(IndexConfig c) : config(std::move(c)), layout(config.element, config.dim) {
    if (config.kind == IndexKind::Hnsw) graph.emplace(config.metric, config.element, config.dim, config.hnsw);
  }

  IndexConfig config;
  ElementLayout layout;
  // Flat: rows packed densely; removing an item moves the last row into its place.
  std::vector<std::uint8_t> rows;
  std::vector<std::uint32_t> row_ids;
  std::unordered_map<std::uint32_t, std::uint32_t> row_of;
  // HNSW: the slots are hnswlib's internal ids; removed items keep theirs.
  std::optional<HnswGraph> graph;
  // keep_float_vectors: the prepared float32 vector of every slot.
  std::vector<float> float_copies;

  bool hnsw() const { return graph.has_value(); }
  std::size_t slot_count() const { return hnsw() ? graph->element_count() : row_ids.size(); }
  std::size_t live_count() const { return hnsw() ? graph->element_count() - graph->removed_count() : row_ids.size(); }
  std::uint32_t slot_id(std::uint32_t s) const { return hnsw() ? graph->id(s) : row_ids[s]; }
  bool slot_live(std::uint32_t s) const { return !hnsw() || !graph->removed(s); }
  const std::uint8_t* slot_element(std::uint32_t s) const {
    return hnsw() ? graph->element(s) : rows.data() + std::size_t(s) * layout.bytes();
  }
  std::optional<std::uint32_t> live_slot(std::uint32_t id) const {
    if (hnsw()) {
      const std::optional<std::uint32_t> s = graph->find(id);
      if (s && !graph->removed(*s)) return s;
      return std::nullopt;
    }
    const auto it = row_of.find(id);
    if (it == row_of.end()) return std::nullopt;
    return it->second;
  }

  // The vector scores are computed on; `buffer` (dim floats) receives a decoded int8 vector.
  const float* scoring_vector(std::uint32_t s, std::vector<float>& buffer) const {
    if (config.keep_float_vectors) return float_copies.data() + std::size_t(s) * config.dim;
    if (config.element == ElementType::Float32) return ElementLayout::floats(slot_element(s));
    layout.decode(slot_element(s), buffer.data());
    return buffer.data();
  }

  void keep_float_copy(std::uint32_t s, const float* prepared) {
    if (!config.keep_float_vectors) return;
    std::memcpy(float_copies.data() + std::size_t(s) * config.dim, prepared, config.dim * sizeof(float));
  }

  void check_new_items(const std::uint32_t* ids, const float* vectors, std::size_t count) const {
    for (std::size_t i = 0; i < count; ++i) {
      if (live_slot(ids[i])) bad_argument(id_text(ids[i]) + " is already in the index");
      require_finite(vectors + i * config.dim, config.dim, "index: the vector for " + id_text(ids[i]));
    }
    if (slot_count() + count >= HnswGraph::kNoEntryPoint)
      fail(ErrorKind::TooLarge, "index: more than 4294967294 items");
  }

  // One checked item; `prepared` and `element` are scratch space.
  void add_checked(std::uint32_t id, const float* vector, std::vector<float>& prepared,
                   std::vector<std::uint8_t>& element) {
    prepare_vector(config.metric, vector, prepared.data(), config.dim);
    if (hnsw()) {
      if (!graph->find(id)) graph->reserve(graph->element_count() + 1);
      if (config.keep_float_vectors)
        float_copies.resize(std::max(float_copies.size(), (graph->element_count() + 1) * config.dim));
      layout.encode(prepared.data(), element.data());
      keep_float_copy(graph->insert(id, element.data()), prepared.data());
      return;
    }
    // Grow every container first (geometrically; any may throw), then fill.
    const std::uint32_t s = static_cast<std::uint32_t>(row_ids.size());
    rows.resize(rows.size() + layout.bytes());
    try {
      if (config.keep_float_vectors) float_copies.resize((std::size_t(s) + 1) * config.dim);
      row_ids.push_back(id);
      row_of.emplace(id, s);
    } catch (...) {
      rows.resize(std::size_t(s) * layout.bytes());
      row_ids.resize(s);
      if (config.keep_float_vectors) float_copies.resize(std::size_t(s) * config.dim);
      throw;
    }
    layout.encode(prepared.data(), rows.data() + std::size_t(s) * layout.bytes());
    keep_float_copy(s, prepared.data());
  }

  // New ids into the graph from several threads (hnswlib's addPoint is
  // thread-safe once capacity is reserved).
  void add_parallel(const std::uint32_t* ids, const float* vectors, std::size_t count, unsigned threads);

  // The exact top k among `slots`: through the surrogate pre-selection when
  // scores are computed on float vectors, else by scoring every slot.
  std::vector<Hit> exact(const float* query, std::size_t k, const std::vector<std::uint32_t>& slots) const {
    if (config.element == ElementType::Float32 || config.keep_float_vectors) {
      PreparedRows rows;
      rows.count = slots.size();
      rows.vector = [this, &slots](std::size_t r) {
        return config.keep_float_vectors ? float_copies.data() + std::size_t(slots[r]) * config.dim
                                         : ElementLayout::floats(slot_element(slots[r]));
      };
      rows.id = [this, &slots](std::size_t r) { return slot_id(slots[r]); };
      return prepared_exact_scan(config.metric, query, config.dim, k, rows);
    }
    std::vector<float> buffer(config.dim);
    std::vector<Hit> hits;
    hits.reserve(slots.size());
    for (const std::uint32_t s : slots)
      hits.push_back({slot_id(s), metric_value(config.metric, query, scoring_vector(s, buffer), config.dim)});
    keep_top_k(hits, config.metric, k);
    return hits;
  }

  std::vector<Hit> search(const float* query, const SearchOptions& options, std::optional<std::uint32_t> exclude) const;
};

void VectorIndex::Impl::add_parallel(const std::uint32_t* ids, const float* vectors, std::size_t count,
                                     unsigned threads) {
#ifdef LOOKALIKE_INDEX_THREADS
  graph->reserve(graph->element_count() + count);
  if (config.keep_float_vectors) float_copies.resize((graph->element_count() + count) * config.dim);
  parallel_for(count, threads, [&](std::size_t i) {
    std::vector<float> prepared(config.dim);
    std::vector<std::uint8_t> element(layout.bytes());
    prepare_vector(config.metric, vectors + i * config.dim, prepared.data(), config.dim);
    layout.encode(prepared.data(), element.data());
    keep_float_copy(graph->insert(ids[i], element.data()), prepared.data());
  });
#else
  (void)ids;
  (void)vectors;
  (void)count;
  (void)threads;
#endif
}

std::vector<Hit> VectorIndex::Impl::search(const float* query, const SearchOptions& options,
                                           std::optional<std::uint32_t> exclude) const {
  if (options.k == 0 || live_count() == 0) return {};
  const std::size_t slots = slot_count();

  // The items a search may return, when that is not simply every live one.
  std::vector<std::uint32_t> accepted;
  std::vector<std::uint8_t> is_accepted;
  const bool filtered = static_cast<bool>(options.accept);
  if (filtered || !hnsw()) {
    if (hnsw()) is_accepted.assign(slots, 0);
    for (std::uint32_t s = 0; s < slots; ++s) {
      if (!slot_live(s)) continue;
      const std::uint32_t id = slot_id(s);
      if ((exclude && id == *exclude) || (filtered && !options.accept(id))) continue;
      accepted.push_back(s);
      if (hnsw()) is_accepted[s] = 1;
    }
  }
  if (!hnsw()) return exact(query, options.k, accepted);

  const std::size_t ef =
      std::max<std::size_t>(options.ef ? options.ef : config.hnsw.ef_search, options.k + (exclude ? 1 : 0));
  if (filtered) {
    if (accepted.empty()) return {};
    const double accepted_count = double(accepted.size());
    if (accepted_count * accepted_count <= kFilterScanCostFactor * double(ef) * double(live_count()))
      return exact(query, options.k, accepted);
  }

  std::vector<float> prepared(config.dim);
  prepare_vector(config.metric, query, prepared.data(), config.dim);
  const QueryDistance distance(graph->space(), prepared.data());
  std::function<bool(std::uint32_t)> admit;
  if (filtered) admit = [&is_accepted](std::uint32_t s) { return is_accepted[s] != 0; };
  const std::vector<HnswGraph::Candidate> candidates = graph->search(distance, ef, admit);
  // A filter can cut the graph into pieces the walk does not reach.
  if (filtered && candidates.size() < std::min(options.k, accepted.size())) return exact(query, options.k, accepted);

  // Re-rank the candidates by the metric's exact value.
  std::vector<float> buffer(config.dim);
  std::vector<Hit> hits;
  hits.reserve(candidates.size());
  for (const HnswGraph::Candidate& c : candidates) {
    const std::uint32_t id = slot_id(c.slot);
    if (exclude && id == *exclude) continue;
    hits.push_back({id, metric_value(config.metric, query, scoring_vector(c.slot, buffer), config.dim)});
  }
  keep_top_k(hits, config.metric, options.k);
  return hits;
}

VectorIndex::VectorIndex(IndexConfig config) {
  validate_index_config(config);
  if (config.kind == IndexKind::Partitioned)
    bad_argument("a partitioned index is not a bundle: build it with PartitionedWriter (index/partitioned_writer.h)");
  impl_ = std::make_unique<Impl>(std::move(config));
}
VectorIndex::VectorIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VectorIndex::~VectorIndex() = default;
VectorIndex::VectorIndex(VectorIndex&&) noexcept = default;
VectorIndex& VectorIndex::operator=(VectorIndex&&) noexcept = default;

const IndexConfig& VectorIndex::config() const { return impl_->config; }
std::size_t VectorIndex::size() const { return impl_->live_count(); }
bool VectorIndex::contains(std::uint32_t id) const { return impl_->live_slot(id).has_value(); }

std::vector<std::uint32_t> VectorIndex::ids() const {
  std::vector<std::uint32_t> out;
  out.reserve(size());
  for (std::uint32_t s = 0; s < impl_->slot_count(); ++s)
    if (impl_->slot_live(s)) out.push_back(impl_->slot_id(s));
  std::sort(out.begin(), out.end());
  return out;
}

void VectorIndex::add(std::uint32_t id, const float* vector) {
  impl_->check_new_items(&id, vector, 1);
  std::vector<float> prepared(impl_->config.dim);
  std::vector<std::uint8_t> element(impl_->layout.bytes());
  impl_->add_checked(id, vector, prepared, element);
}

void VectorIndex::add_many(const std::uint32_t* ids, const float* vectors, std::size_t count, unsigned threads) {
  if (count == 0) return;
  impl_->check_new_items(ids, vectors, count);
  std::vector<std::uint32_t> sorted(ids, ids + count);
  std::sort(sorted.begin(), sorted.end());
  const auto twice = std::adjacent_find(sorted.begin(), sorted.end());
  if (twice != sorted.end()) bad_argument(id_text(*twice) + " appears more than once in the items to add");

  Impl& m = *impl_;
  const std::size_t dim = m.config.dim;
  std::vector<float> prepared(dim);
  std::vector<std::uint8_t> element(m.layout.bytes());
  // Serially: everything into a flat index; into a graph, revived ids (an
  // update, not an insert) and the first item (hnswlib's entry point must
  // exist before threads race for it).
  std::vector<std::size_t> parallel;
  for (std::size_t i = 0; i < count; ++i) {
    if (!m.hnsw() || m.graph->find(ids[i]) || m.graph->element_count() == 0) {
      m.add_checked(ids[i], vectors + i * dim, prepared, element);
    } else {
      parallel.push_back(i);
    }
  }
  const unsigned workers = worker_count(threads, parallel.size());
  if (workers <= 1) {
    for (const std::size_t i : parallel) m.add_checked(ids[i], vectors + i * dim, prepared, element);
    return;
  }
  std::vector<std::uint32_t> batch_ids(parallel.size());
  std::vector<float> batch_vectors;
  const bool contiguous = parallel.back() - parallel.front() + 1 == parallel.size();
  if (!contiguous) batch_vectors.resize(parallel.size() * dim);
  for (std::size_t j = 0; j < parallel.size(); ++j) {
    batch_ids[j] = ids[parallel[j]];
    if (!contiguous) std::memcpy(batch_vectors.data() + j * dim, vectors + parallel[j] * dim, dim * sizeof(float));
  }
  m.add_parallel(batch_ids.data(), contiguous ? vectors + parallel.front() * dim : batch_vectors.data(),
                 parallel.size(), workers);
}

void VectorIndex::remove(std::uint32_t id) {
  Impl& m = *impl_;
  const std::optional<std::uint32_t> slot = m.live_slot(id);
  if (!slot) bad_argument(id_text(id) + " is not in the index, nothing was removed");
  if (m.hnsw()) {
    m.graph->remove(*slot);
    return;
  }
  const std::uint32_t s = *slot, last = static_cast<std::uint32_t>(m.row_ids.size() - 1);
  const std::size_t bytes = m.layout.bytes(), dim = m.config.dim;
  if (s != last) {
    std::memcpy(m.rows.data() + std::size_t(s) * bytes, m.rows.data() + std::size_t(last) * bytes, bytes);
    m.row_ids[s] = m.row_ids[last];
    m.row_of[m.row_ids[s]] = s;
    if (m.config.keep_float_vectors)
      std::memcpy(m.float_copies.data() + s * dim, m.float_copies.data() + last * dim, dim * sizeof(float));
  }
  m.row_of.erase(id);
  m.row_ids.pop_back();
  m.rows.resize(m.rows.size() - bytes);
  if (m.config.keep_float_vectors) m.float_copies.resize(m.float_copies.size() - dim);
}

std::vector<Hit> VectorIndex::search(const float* query, const SearchOptions& options) const {
  require_finite(query, impl_->config.dim, "index: the query vector");
  return impl_->search(query, options, std::nullopt);
}

std::vector<Hit> VectorIndex::search_by_id(std::uint32_t id, const SearchOptions& options) const {
  const std::vector<float> query = stored_vector(id);
  return impl_->search(query.data(), options, id);
}

std::vector<float> VectorIndex::stored_vector(std::uint32_t id) const {
  const std::optional<std::uint32_t> slot = impl_->live_slot(id);
  if (!slot) bad_argument(id_text(id) + " is not in the index");
  std::vector<float> out(impl_->config.dim), buffer(impl_->config.dim);
  const float* v = impl_->scoring_vector(*slot, buffer);
  std::copy(v, v + impl_->config.dim, out.begin());
  return out;
}

std::vector<std::uint8_t> VectorIndex::save() const {
  using bundle::Section;
  const Impl& m = *impl_;
  const IndexConfig& config = m.config;
  const std::uint32_t count = static_cast<std::uint32_t>(m.slot_count());
  BundleWriter writer(config, count, static_cast<std::uint32_t>(m.live_count()), bundle::sections_for(config));
  writer.section(Section::Ids, [&](ByteWriter& w) {
    for (std::uint32_t s = 0; s < count; ++s) w.u32(m.slot_id(s));
  });
  writer.section(Section::Removed, [&](ByteWriter& w) {
    std::vector<std::uint8_t> bits((std::size_t(count) + 7) / 8, 0);
    for (std::uint32_t s = 0; s < count; ++s)
      if (!m.slot_live(s)) bits[s / 8] |= static_cast<std::uint8_t>(1u << (s % 8));
    w.bytes(bits.data(), bits.size());
  });
  if (config.element == ElementType::Float32 || config.keep_float_vectors) {
    writer.section(Section::Floats, [&](ByteWriter& w) {
      for (std::uint32_t s = 0; s < count; ++s)
        w.f32_array(config.keep_float_vectors ? m.float_copies.data() + std::size_t(s) * config.dim
                                              : ElementLayout::floats(m.slot_element(s)),
                    config.dim);
    });
  }
  if (config.element == ElementType::Int8) {
    writer.section(Section::Codes, [&](ByteWriter& w) {
      for (std::uint32_t s = 0; s < count; ++s) w.bytes(ElementLayout::codes(m.slot_element(s)), config.dim);
    });
    writer.section(Section::Scales, [&](ByteWriter& w) {
      for (std::uint32_t s = 0; s < count; ++s) {
        const Int8Trailer t = m.layout.trailer(m.slot_element(s));
        w.f32(t.offset);
        w.f32(t.scale);
      }
    });
  }
  if (m.hnsw()) {
    const HnswGraph& g = *m.graph;
    writer.section(Section::Levels, [&](ByteWriter& w) {
      for (std::uint32_t s = 0; s < count; ++s) w.u8(static_cast<std::uint8_t>(g.level(s)));
    });
    writer.section(Section::Graph, [&](ByteWriter& w) {
      w.u32(g.entry_point());
      w.u32(count == 0 ? bundle::kNoEntryPoint : static_cast<std::uint32_t>(g.max_level()));
      for (std::uint32_t s = 0; s < count; ++s) {
        for (unsigned level = 0; level <= g.level(s); ++level) {
          const auto links = g.links(s, level);
          w.u16(static_cast<std::uint16_t>(links.second));
          for (std::size_t j = 0; j < links.second; ++j) w.u32(links.first[j]);
        }
      }
    });
  }
  return writer.finish();
}

VectorIndex VectorIndex::load(const std::uint8_t* data, std::size_t size) {
  const BundleContents c = read_bundle(data, size);
  auto impl = std::make_unique<Impl>(c.config);
  Impl& m = *impl;
  const std::size_t dim = c.config.dim, count = c.element_count, bytes = m.layout.bytes();
  if (c.config.keep_float_vectors) {
    m.float_copies.resize(count * dim);
    for (std::uint32_t s = 0; s < count; ++s) c.float_vector(s, m.float_copies.data() + std::size_t(s) * dim);
  }
  std::vector<float> floats(dim);
  const auto encode = [&](std::uint32_t s, std::uint8_t* element) {
    if (c.config.element == ElementType::Float32) {
      c.float_vector(s, floats.data());
      m.layout.encode(floats.data(), element);
    } else {
      m.layout.encode_int8(c.int8_codes(s), c.int8_scale(s), element);
    }
  };
  if (!m.hnsw()) {
    m.rows.resize(count * bytes);
    m.row_ids.resize(count);
    m.row_of.reserve(count);
    for (std::uint32_t s = 0; s < count; ++s) {
      encode(s, m.rows.data() + std::size_t(s) * bytes);
      m.row_ids[s] = c.id(s);
      m.row_of.emplace(c.id(s), s);
    }
    return VectorIndex(std::move(impl));
  }
  HnswGraph& g = *m.graph;
  g.reserve(count);
  std::vector<std::uint8_t> element(bytes);
  for (std::uint32_t s = 0; s < count; ++s) {
    encode(s, element.data());
    g.import_element(c.id(s), c.level(s), element.data(), c.is_removed(s));
  }
  for_each_link_list(c, [&g](std::uint32_t slot, unsigned level, const std::vector<std::uint32_t>& links) {
    g.import_links(slot, level, links.data(), links.size());
  });
  g.import_entry_point(c.entry_point, c.max_level);
  return VectorIndex(std::move(impl));
}

}  // namespace lookalike
