// A partitioned index (inverted lists, as IVF indexes have): for collections
// too large to download whole. Every item belongs to one list, the list of
// its nearest centroid (k-means, trained natively); a query probes the lists
// of its `nprobe` nearest centroids and scores their items. The header (the
// centroids, where each list lives) is loaded first and once; a list is one
// byte range of a data file, fetched only when a query probes it, validated
// (PartitionedList::parse) and kept in a bounded cache (index/list_cache.h). The CLI
// reads the ranges from disk, the page with HTTP Range requests; both run
// this code, so both give the same ids and scores.
//
// Each list item is stored as int8 codes with its own offset and scale
// (index/int8_quantization.h, as the int8 bundles): candidates are ordered
// by a cheap surrogate on those codes, and the best `rerank` of them are
// scored with the metric's natural value on the dequantised vector and
// ranked as every other index ranks (search/hit.h, ties by lower id).
//
// A search is a small state machine so that the caller can fetch lists in
// any way it likes, several in flight:
//
//   PartitionedSearch s(index, query, options);
//   while (!s.done()) {
//     for (uint32_t list : s.wanted()) s.score(list, <that list, from a cache or fetched and parsed>);
//   }
//   hits = s.hits();
//
// With a label filter that accepts few items the first `nprobe` lists may
// hold fewer than k accepted ones; the search then wants the next lists in
// probe order, until k are found or every list was scored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lookalike/index/index_config.h"
#include "lookalike/search/hit.h"

namespace lookalike {

// Where a list's bytes are: a range of data file `file`.
struct ListLocation {
  std::uint32_t file = 0;
  std::uint32_t count = 0;  // items
  std::uint64_t offset = 0;
  std::uint64_t bytes = 0;  // count · (12 + dim)
  std::uint64_t checksum = 0;
};

struct PartitionedHeader {
  IndexConfig config;  // kind Partitioned, element Int8
  std::uint32_t default_nprobe = 0;
  std::uint32_t default_rerank = 0;
  std::uint64_t item_count = 0;
  std::uint64_t seed = 0;
  std::vector<std::uint64_t> file_bytes;  // the length of each data file
  std::vector<ListLocation> lists;
  std::vector<float> centroids;  // lists × dim, in the space vectors are prepared to
};

class PartitionedIndex {
 public:
  // Validates every byte (docs/FORMAT.md); throws Error(Corrupt) or
  // Error(Unsupported) with a precise message.
  static PartitionedIndex load_header(const std::uint8_t* data, std::size_t size);

  const PartitionedHeader& header() const { return header_; }
  const IndexConfig& config() const { return header_.config; }
  std::size_t list_count() const { return header_.lists.size(); }
  std::size_t size() const { return header_.item_count; }  // items
  // Bytes of one list item: id, offset, scale and the codes.
  std::size_t item_bytes() const;

  // Every list, nearest centroid first (L2 to the prepared query; ties by
  // lower list number). `query` as the caller gave it (dim finite floats).
  std::vector<std::uint32_t> probe_order(const float* query) const;

  // "<stem>.0003.bin" for data file 3 of the header file "<stem>.lkp".
  static std::string data_file_name(const std::string& header_file_name, std::uint32_t file);

 private:
  PartitionedHeader header_;
};

// One list, validated: ids strictly ascending, scales valid for the metric,
// the bytes matching the header's length and checksum.
class PartitionedList {
 public:
  static PartitionedList parse(const PartitionedIndex& index, std::uint32_t list, const std::uint8_t* data,
                               std::size_t size);
  // An empty list of no bytes, for lists whose location says count 0.
  std::uint32_t number() const { return number_; }
  std::size_t count() const { return ids_.size(); }
  std::size_t bytes() const;  // memory held
  std::uint32_t id(std::size_t i) const { return ids_[i]; }
  const std::vector<std::uint32_t>& ids() const { return ids_; }
  const std::int8_t* codes(std::size_t i) const { return codes_.data() + i * dim_; }
  float offset(std::size_t i) const { return scales_[2 * i]; }
  float scale(std::size_t i) const { return scales_[2 * i + 1]; }
  // The position of an id in this list, if it is there.
  std::optional<std::size_t> find(std::uint32_t id) const;
  // The dequantised stored vector of item i (prepared for the metric).
  std::vector<float> vector(std::size_t i) const;

 private:
  std::uint32_t number_ = 0;
  std::size_t dim_ = 0;
  std::vector<std::uint32_t> ids_;
  std::vector<float> scales_;  // offset, scale per item
  std::vector<std::int8_t> codes_;
};

struct PartitionedSearchOptions {
  std::size_t k = 10;
  std::uint32_t nprobe = 0;  // lists probed; 0 = the header's default
  std::uint32_t rerank = 0;  // candidates scored with the metric's value; 0 = the header's default; at least k
  std::function<bool(std::uint32_t id)> accept;  // empty = every item
  std::optional<std::uint32_t> exclude;          // an id never returned ("more like this")
};

class PartitionedSearch {
 public:
  // Throws Error(InvalidArgument) for a query of the wrong dimension or a
  // non-finite value. Keeps a reference to `index`.
  PartitionedSearch(const PartitionedIndex& index, const float* query, const PartitionedSearchOptions& options);

  // The lists the search needs scored now, in probe order (empty when done).
  const std::vector<std::uint32_t>& wanted() const { return wanted_; }
  // Scores a wanted list; a list that is not wanted is an InvalidArgument.
  void score(const PartitionedList& list);
  bool done() const { return wanted_.empty(); }
  // The k best, ranked; only when done().
  std::vector<Hit> hits() const;
  // The list each of hits() came from, in the same order ("more like this" needs it).
  std::vector<std::uint32_t> hit_lists() const;
  std::size_t lists_scored() const { return scored_lists_; }
  std::size_t items_scored() const { return scored_items_; }

 private:
  struct Candidate {
    float surrogate;
    std::uint32_t id;
    std::uint32_t list;
    std::vector<float> vector;  // dequantised, filled for the kept candidates only
  };
  void next_batch();
  const PartitionedIndex* index_;
  PartitionedSearchOptions options_;
  std::vector<float> query_, prepared_;
  float prepared_sum_ = 0;
  std::vector<std::uint32_t> order_;
  std::size_t next_in_order_ = 0;
  std::vector<std::uint32_t> wanted_;
  std::vector<Candidate> candidates_;  // a heap of the best `rerank` by surrogate
  std::size_t rerank_ = 0;
  std::size_t accepted_ = 0;
  std::size_t scored_lists_ = 0, scored_items_ = 0;
  mutable std::optional<std::vector<Hit>> ranked_;
  mutable std::vector<std::uint32_t> ranked_lists_;
};

}  // namespace lookalike
