// The HNSW graph of an index: hnswlib 0.6.2's HierarchicalNSW holding the
// elements (index/element_layout.h) and their links, behind a header that
// keeps hnswlib out of every other file.
//
// hnswlib builds, links and mark-deletes. The search is the graph walk of
// hnswlib's own searchKnn, written here over its structures because 0.6.2's
// searchKnn takes ef from a member (setting it per query would race between
// threads), cannot filter, and only compares elements of one format, where
// the search wants a float query against int8 elements.
//
// Each element's layer comes from a hash of (seed, id), not from hnswlib's
// shared random generator, so the layers of a build do not depend on the
// order or the threads the items were inserted with.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "index/element_distance.h"
#include "lookalike/index/index_config.h"

namespace lookalike {

class HnswGraph {
 public:
  static constexpr std::uint32_t kNoEntryPoint = 0xFFFFFFFFu;

  HnswGraph(Metric metric, ElementType element, std::size_t dim, const HnswParams& params);
  ~HnswGraph();
  HnswGraph(HnswGraph&&) noexcept;
  HnswGraph& operator=(HnswGraph&&) noexcept;

  const DistanceSpace& space() const;
  std::size_t element_count() const;  // slots, removed elements included
  std::size_t removed_count() const;
  std::size_t capacity() const;
  void reserve(std::size_t elements);  // not thread-safe

  std::uint32_t id(std::uint32_t slot) const;
  bool removed(std::uint32_t slot) const;
  unsigned level(std::uint32_t slot) const;
  const std::uint8_t* element(std::uint32_t slot) const;
  std::optional<std::uint32_t> find(std::uint32_t id) const;  // the slot of id, removed or not

  // The layer an id gets (a pure function of the seed, the id and m).
  static unsigned level_for(std::uint64_t seed, std::uint32_t id, std::uint32_t m);

  // Inserts a new id, or revives a removed one with a new vector; returns its
  // slot. Needs a free slot (reserve). Thread-safe for distinct new ids.
  std::uint32_t insert(std::uint32_t id, const std::uint8_t* element);
  void remove(std::uint32_t slot);  // mark-delete; the element still routes searches

  struct Candidate {
    float distance;
    std::uint32_t slot;
  };
  // The best `ef` live elements the graph walk finds (unordered), among those
  // `accept` (given a slot) admits when it is set. Thread-safe with other searches.
  std::vector<Candidate> search(const QueryDistance& distance, std::size_t ef,
                                const std::function<bool(std::uint32_t slot)>& accept) const;

  // The graph, for the bundle writer.
  std::uint32_t entry_point() const;  // kNoEntryPoint when empty
  int max_level() const;              // −1 when empty
  std::pair<const std::uint32_t*, std::size_t> links(std::uint32_t slot, unsigned level) const;

  // Rebuilding a validated bundle's graph: elements in slot order, then links,
  // then the entry point. The caller has checked every value (bundle_reader).
  void import_element(std::uint32_t id, unsigned level, const std::uint8_t* element, bool removed);
  void import_links(std::uint32_t slot, unsigned level, const std::uint32_t* links, std::size_t count);
  void import_entry_point(std::uint32_t entry_point, int max_level);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lookalike
