// The partitioned index: writer → header → lists → search round trips,
// against exact search over the same int8 vectors; filters, "more like
// this", file splitting, the list cache, half floats, and every kind of
// damage to a header or a list giving a precise error.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>

#include "index/bundle_checksum.h"
#include "index/float16.h"
#include "index_test_support.h"
#include "lookalike/common/error.h"
#include "lookalike/index/list_cache.h"
#include "lookalike/index/partitioned_format.h"
#include "lookalike/index/partitioned_index.h"
#include "lookalike/search/exact_search.h"
#include "support/clustered_vectors.h"
#include "support/partitioned_build.h"

using namespace lookalike;
using namespace lookalike::testing;

namespace {

constexpr std::size_t kDim = 24, kCount = 600, kLists = 12;

IndexConfig partitioned_config(Metric metric) {
  IndexConfig config = index_config(metric, kDim, IndexKind::Partitioned, ElementType::Int8);
  config.feature_spec = "test:partitioned";
  return config;
}

struct Fixture {
  explicit Fixture(Metric metric, std::uint64_t max_file_bytes = 0, std::uint32_t code_bytes = 0)
      : data(make_clustered_vectors(kCount, 20, kDim, 7, 30, 4, 0.5f)), ids(sequential_ids(kCount, 5, 3)) {
    built = build_partitioned(partitioned_config(metric), data.points.data(), ids.data(), kCount, kLists, 3, 40,
                              max_file_bytes, code_bytes);
    index.emplace(PartitionedIndex::load_header(built.header.data(), built.header.size()));
  }
  ClusteredVectors data;
  std::vector<std::uint32_t> ids;
  BuiltPartitioned built;
  std::optional<PartitionedIndex> index;
};

// The exact top k over the dequantised vectors the lists hold: what probing
// every list must return.
std::vector<Hit> exact_over_lists(const Fixture& f, const float* query, std::size_t k,
                                  const std::function<bool(std::uint32_t)>& accept = {}) {
  std::vector<float> vectors;
  std::vector<std::uint32_t> ids;
  for (std::uint32_t l = 0; l < f.index->list_count(); ++l) {
    const PartitionedList list = list_of(*f.index, f.built, l);
    for (std::size_t i = 0; i < list.count(); ++i) {
      if (accept && !accept(list.id(i))) continue;
      const std::vector<float> v = list.vector(i);
      vectors.insert(vectors.end(), v.begin(), v.end());
      ids.push_back(list.id(i));
    }
  }
  ExactSearchOptions options;
  options.ids = &ids;
  return exact_search(f.index->config().metric, query, vectors.data(), ids.size(), kDim, k, options);
}

// A search that probes every list and scores every candidate exactly, beside
// exact_over_lists for the same query: the two must agree.
struct EveryListProbed {
  std::vector<Hit> hits, exact;
};
EveryListProbed probe_every_list(const Fixture& f, const float* query) {
  PartitionedSearchOptions options;
  options.nprobe = kLists;
  options.rerank = kCount;
  return {search_partitioned(*f.index, f.built, query, options).hits(), exact_over_lists(f, query, 10)};
}

// A header changed on purpose, with its checksum made right again, so that
// the structural check (not the checksum) must catch the change.
std::vector<std::uint8_t> resealed(std::vector<std::uint8_t> bytes) {
  const std::uint64_t sum = bundle_checksum(bytes.data(), bytes.size() - 8);
  for (int i = 0; i < 8; ++i) bytes[bytes.size() - 8 + i] = static_cast<std::uint8_t>(sum >> (8 * i));
  return bytes;
}

}  // namespace

TEST_CASE("half floats round to nearest even and read back exactly", "[partitioned]") {
  CHECK(half_to_float(float_to_half(1.0f)) == 1.0f);
  CHECK(half_to_float(float_to_half(-0.5f)) == -0.5f);
  CHECK(half_to_float(float_to_half(65504.0f)) == 65504.0f);
  CHECK(!half_is_finite(float_to_half(70000.0f)));
  CHECK(half_to_float(float_to_half(5.9604645e-8f)) == 5.9604645e-8f);  // the smallest subnormal
  CHECK(float_to_half(1.0f + 1.0f / 2048) == float_to_half(1.0f));      // a tie goes to the even mantissa
  CHECK(float_to_half(1.0f + 3.0f / 2048) == float_to_half(1.0f + 2.0f / 1024));
  for (std::uint32_t h = 0; h < 0x7c00; ++h) CHECK(float_to_half(half_to_float(std::uint16_t(h))) == h);
}

TEST_CASE("probing every list gives exact search over the stored vectors, for every metric", "[partitioned]") {
  for (const Metric metric : kAllMetrics) {
    INFO(metric_name(metric));
    Fixture f(metric);
    CHECK(f.index->size() == kCount);
    CHECK(f.index->list_count() == kLists);
    for (std::size_t q = 0; q < 20; ++q) {
      const float* query = &f.data.queries[q * kDim];
      const auto [hits, exact] = probe_every_list(f, query);
      REQUIRE(hits.size() == exact.size());
      for (std::size_t i = 0; i < hits.size(); ++i) {
        CHECK(hits[i].id == exact[i].id);
        CHECK(hits[i].score == Approx(exact[i].score).epsilon(1e-5).margin(1e-6));
      }
    }
  }
}

TEST_CASE("the default probe finds most true neighbours and scores them with the metric", "[partitioned]") {
  Fixture f(Metric::Cosine);
  std::size_t found = 0;
  for (std::size_t q = 0; q < 20; ++q) {
    const float* query = &f.data.queries[q * kDim];
    const PartitionedSearch search = search_partitioned(*f.index, f.built, query, {});
    CHECK(search.lists_scored() == 3);
    const std::vector<Hit> hits = search.hits();
    REQUIRE(hits.size() == 10);
    const std::vector<Hit> exact = exact_over_lists(f, query, 10);
    std::set<std::uint32_t> truth;
    for (const Hit& h : exact) truth.insert(h.id);
    for (const Hit& h : hits) found += truth.count(h.id);
    for (std::size_t i = 1; i < hits.size(); ++i) CHECK(hits[i - 1].score >= hits[i].score);
  }
  CHECK(found >= 20 * 10 * 6 / 10);  // 3 of 12 lists on 30 clusters: most, not all (0.7 measured)
}

TEST_CASE("a selective filter probes on until k accepted items are found", "[partitioned]") {
  Fixture f(Metric::L2);
  const auto accept = [](std::uint32_t id) { return id % 50 == 5; };  // 12 of 600 items
  const float* query = &f.data.queries[0];
  PartitionedSearchOptions options;
  options.k = 10;
  options.accept = accept;
  const PartitionedSearch search = search_partitioned(*f.index, f.built, query, options);
  const std::vector<Hit> hits = search.hits();
  REQUIRE(hits.size() == 10);
  for (const Hit& h : hits) CHECK(accept(h.id));
  CHECK(search.lists_scored() > 3);
}

TEST_CASE("more like this: an item's stored vector, found through its list, and the item left out", "[partitioned]") {
  Fixture f(Metric::Correlation);
  const PartitionedSearch first = search_partitioned(*f.index, f.built, &f.data.queries[0], {});
  const std::uint32_t id = first.hits().front().id, list_number = first.hit_lists().front();
  const PartitionedList list = list_of(*f.index, f.built, list_number);
  const std::optional<std::size_t> at = list.find(id);
  REQUIRE(at);
  CHECK(!list.find(id + 1));
  const std::vector<float> stored = list.vector(*at);
  PartitionedSearchOptions options;
  options.exclude = id;
  const std::vector<Hit> hits = search_partitioned(*f.index, f.built, stored.data(), options).hits();
  REQUIRE(hits.size() == 10);
  for (const Hit& h : hits) CHECK(h.id != id);
}

TEST_CASE("lists fill data files in order, none over the limit", "[partitioned]") {
  const std::uint64_t limit = 4000;  // a few lists of 36-byte items per file
  Fixture f(Metric::L1, limit);
  CHECK(f.built.files.size() > 2);
  for (const auto& file : f.built.files) CHECK(file.size() <= limit);
  std::uint64_t total = 0;
  for (const auto& file : f.built.files) total += file.size();
  CHECK(total == kCount * (12 + kDim));
  CHECK(PartitionedIndex::data_file_name("demo.colour.l1.lkp", 3) == "demo.colour.l1.0003.bin");
  // The same queries as with one file.
  Fixture one(Metric::L1);
  for (std::size_t q = 0; q < 5; ++q) {
    const auto a = search_partitioned(*f.index, f.built, &f.data.queries[q * kDim], {}).hits();
    const auto b = search_partitioned(*one.index, one.built, &one.data.queries[q * kDim], {}).hits();
    CHECK(hit_ids(a) == hit_ids(b));
  }
}

TEST_CASE("a file table whose files do not begin where the lists say is refused", "[partitioned]") {
  Fixture f(Metric::L1, 4000);
  REQUIRE(f.built.files.size() > 2);
  const auto load = [](std::vector<std::uint8_t> bytes) { PartitionedIndex::load_header(bytes.data(), bytes.size()); };
  // The file table starts after the feature spec, padded to a multiple of 8;
  // entry f: u64 length, u32 first list, u32 reserved.
  const std::size_t table = (partitioned::field::kFeatureSpec + std::string("test:partitioned").size() + 7) / 8 * 8;
  const auto first_list = [&](std::size_t file) { return table + file * partitioned::kFileEntryBytes + 8; };
  const std::vector<std::uint8_t>& good = f.built.header;
  CHECK_NOTHROW(load(resealed(good)));
  std::vector<std::uint8_t> bad = good;
  bad[first_list(0)] = 1;
  CHECK_THROWS_WITH(load(resealed(bad)), Catch::Contains("data file 0 starts at list 1"));
  bad = good;
  bad[first_list(2)] = bad[first_list(1)];  // not after file 1's
  CHECK_THROWS_WITH(load(resealed(bad)), Catch::Contains("data file 2 starts at list"));
  bad = good;
  REQUIRE(good[first_list(1)] >= 2);
  bad[first_list(1)] -= 1;  // file 0 now ends a list earlier than its length says
  CHECK_THROWS_WITH(load(resealed(bad)), Catch::Contains("bytes long but its lists end at byte"));
  bad = good;
  bad[first_list(1) + 4] = 1;
  CHECK_THROWS_WITH(load(resealed(bad)), Catch::Contains("reserved field of data file 1"));
}

TEST_CASE("a list too large for one data file is refused", "[partitioned]") {
  const ClusteredVectors data = make_clustered_vectors(100, 0, kDim, 3);
  const std::vector<std::uint32_t> ids = sequential_ids(100);
  CHECK_THROWS_WITH(
      build_partitioned(partitioned_config(Metric::L2), data.points.data(), ids.data(), 100, 1, 1, 40, 1000),
      Catch::Contains("more than one data file may") && Catch::Contains("use more lists"));
}

TEST_CASE("the list cache keeps the most recent lists within its budget", "[partitioned]") {
  Fixture f(Metric::Cosine);
  std::vector<std::shared_ptr<const PartitionedList>> lists;
  for (std::uint32_t l = 0; l < kLists; ++l)
    lists.push_back(std::make_shared<const PartitionedList>(list_of(*f.index, f.built, l)));
  ListCache cache(lists[0]->bytes() + lists[1]->bytes() + lists[2]->bytes());
  for (std::uint32_t l = 0; l < 3; ++l) cache.put(lists[l]);
  CHECK(cache.bytes() <= cache.budget());
  CHECK(cache.get(0) != nullptr);  // now the most recent
  for (std::uint32_t l = 3; l < kLists; ++l) {
    cache.put(lists[l]);
    CHECK(cache.bytes() <= cache.budget());
  }
  CHECK(cache.get(kLists - 1) != nullptr);
  CHECK(cache.get(1) == nullptr);
  cache.set_budget(0);
  CHECK(cache.lists() == 0);
  CHECK(cache.bytes() == 0);
}

TEST_CASE("an empty partitioned index loads and finds nothing", "[partitioned]") {
  const std::vector<float> none;
  const std::vector<std::uint32_t> no_ids;
  IndexConfig config = partitioned_config(Metric::L2);
  PartitionedParams params;
  params.nprobe = 1;
  params.rerank = 10;
  std::vector<std::vector<std::uint8_t>> files;
  PartitionedWriter writer(config, PartitionedCentroids::halves(std::vector<float>(kDim, 0.0f), kDim), params,
                           [&files](std::uint32_t, const std::vector<std::uint8_t>& b) { files.push_back(b); });
  writer.add_list(no_ids.data(), none.data(), 0);
  const std::vector<std::uint8_t> header = writer.finish();
  REQUIRE(files.size() == 1);
  CHECK(files[0].empty());
  const PartitionedIndex index = PartitionedIndex::load_header(header.data(), header.size());
  const std::vector<float> query(kDim, 1.0f);
  PartitionedSearch search(index, query.data(), {});
  CHECK(search.done());
  CHECK(search.hits().empty());
}

TEST_CASE("a damaged header or list gives a precise error, never a crash", "[partitioned]") {
  const std::uint32_t code_bytes = GENERATE(0u, 6u);  // half-float and product-quantised centroids
  INFO("code bytes " << code_bytes);
  Fixture f(Metric::Cosine, 0, code_bytes);
  const std::vector<std::uint8_t>& good = f.built.header;
  const auto load = [](std::vector<std::uint8_t> bytes) { PartitionedIndex::load_header(bytes.data(), bytes.size()); };
  // Every truncation.
  for (std::size_t size = 0; size < good.size(); size += (size < 200 ? 1 : 97)) {
    INFO(size);
    CHECK_THROWS_AS(load(std::vector<std::uint8_t>(good.begin(), good.begin() + size)), Error);
  }
  // Every single-byte change is caught (checksum or structure).
  for (std::size_t at = 0; at < good.size(); at += (at < 400 ? 1 : 61)) {
    std::vector<std::uint8_t> bad = good;
    bad[at] ^= 0x10;
    INFO(at);
    CHECK_THROWS_AS(load(bad), Error);
  }
  std::vector<std::uint8_t> newer = good;
  newer[partitioned::field::kFormatVersion] = static_cast<std::uint8_t>(partitioned::kFormatVersion + 1);
  try {
    load(newer);
    FAIL("a newer version loaded");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Unsupported);
  }
  CHECK_THROWS_WITH(load(std::vector<std::uint8_t>(good.begin(), good.end() - 1)), Catch::Contains("truncated?"));

  // Lists: wrong length, damaged bytes, another list's bytes.
  const ListLocation& where = f.index->header().lists[1];
  const std::vector<std::uint8_t>& file = f.built.files[where.file];
  const std::uint8_t* bytes = file.data() + where.offset;
  CHECK_THROWS_WITH(PartitionedList::parse(*f.index, 1, bytes, where.bytes - 1), Catch::Contains("the header says"));
  std::vector<std::uint8_t> damaged(bytes, bytes + where.bytes);
  damaged[5] ^= 1;
  CHECK_THROWS_WITH(PartitionedList::parse(*f.index, 1, damaged.data(), damaged.size()),
                    Catch::Contains("checksum mismatch"));
  CHECK_THROWS_AS(PartitionedList::parse(*f.index, kLists, bytes, where.bytes), Error);
  // A list that is not wanted is refused by a search.
  PartitionedSearch search(*f.index, &f.data.queries[0], {});
  std::uint32_t unwanted = 0;
  while (std::count(search.wanted().begin(), search.wanted().end(), unwanted)) ++unwanted;
  CHECK_THROWS_WITH(search.score(list_of(*f.index, f.built, unwanted)), Catch::Contains("not wanted"));
}

TEST_CASE("product-quantised centroids order lists by the query's distance to their codes' sub-vectors",
          "[partitioned]") {
  constexpr std::uint32_t kCodeBytes = 6;  // 4 dimensions a code
  for (const Metric metric : kAllMetrics) {
    INFO(metric_name(metric));
    Fixture f(metric, 0, kCodeBytes);
    const PartitionedCentroids& c = f.index->header().centroids;
    CHECK(c.encoding() == partitioned::kCentroidProductQuantized);
    CHECK(c.code_bytes() == kCodeBytes);
    CHECK(c.count() == kLists);
    CHECK(f.built.header.size() < kLists * kDim * 2 + 2 * 256 * kDim + 1024);
    const float* query = &f.data.queries[0];
    const std::vector<float> distance = f.index->list_distances(query);
    std::vector<float> prepared(kDim);
    prepare_for_metric(metric, query, prepared.data(), kDim);
    const std::size_t sub = kDim / kCodeBytes;
    for (std::uint32_t l = 0; l < kLists; ++l) {
      float expected = 0;  // the centroid rebuilt from its codes, then squared L2
      for (std::size_t q = 0; q < kCodeBytes; ++q) {
        const std::uint8_t code = f.built.header[f.built.header.size() - 8 - kLists * kCodeBytes + l * kCodeBytes + q];
        for (std::size_t j = 0; j < sub; ++j) {
          const float t = prepared[q * sub + j] - c.values()[(q * 256 + code) * sub + j];
          expected += t * t;
        }
      }
      CHECK(distance[l] == Approx(expected).epsilon(1e-5).margin(1e-6));
      CHECK(c.distance(prepared.data(), l) == distance[l]);
    }
    const std::vector<std::uint32_t> order = f.index->probe_order(query);
    CHECK(std::is_sorted(order.begin(), order.end(), ProbeOrder{distance}));
    CHECK(f.index->nearest_list(query) == order[0]);
    // Every list probed is still exact search over the stored vectors.
    const auto [hits, exact] = probe_every_list(f, query);
    REQUIRE(hits.size() == exact.size());
    for (std::size_t i = 0; i < hits.size(); ++i) CHECK(hits[i].id == exact[i].id);
  }
}

TEST_CASE("a product-quantised header with impossible code bytes or a non-finite codebook is refused",
          "[partitioned]") {
  Fixture f(Metric::L2, 0, 6);
  const std::vector<std::uint8_t>& good = f.built.header;
  const auto load = [](std::vector<std::uint8_t> bytes) { PartitionedIndex::load_header(bytes.data(), bytes.size()); };
  CHECK_NOTHROW(load(resealed(good)));
  std::vector<std::uint8_t> bad = good;
  bad[partitioned::field::kCentroidCodeBytes] = 5;  // does not divide 24
  CHECK_THROWS_WITH(load(resealed(bad)), Catch::Contains("must divide dimension 24"));
  bad = good;
  bad[partitioned::field::kCentroidEncoding] = partitioned::kCentroidFloat16;
  CHECK_THROWS_WITH(load(resealed(bad)), Catch::Contains("must be 0 for half-float centroids"));
  bad = good;
  bad[partitioned::field::kCentroidEncoding] = 3;
  CHECK_THROWS_WITH(load(resealed(bad)), Catch::Contains("unknown centroid encoding 3"));
  // The first codebook value made an infinity (0x7c00).
  const std::size_t codebook = good.size() - 8 - kLists * 6 - 2 * 256 * kDim;
  bad = good;
  bad[codebook] = 0x00;
  bad[codebook + 1] = 0x7c;
  CHECK_THROWS_WITH(load(resealed(bad)), Catch::Contains("codebook is not finite"));
}
