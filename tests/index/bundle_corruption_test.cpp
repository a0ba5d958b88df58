#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "index/bundle_checksum.h"
#include "index_test_support.h"
#include "lookalike/common/error.h"
#include "lookalike/index/bundle_format.h"
#include "lookalike/index/vector_index.h"

using namespace lookalike;
using namespace lookalike::testing;
namespace field = lookalike::bundle::field;

namespace {

using Bytes = std::vector<std::uint8_t>;

std::uint32_t get32(const Bytes& b, std::size_t at) {
  return std::uint32_t(b[at]) | std::uint32_t(b[at + 1]) << 8 | std::uint32_t(b[at + 2]) << 16 |
         std::uint32_t(b[at + 3]) << 24;
}
std::uint64_t get64(const Bytes& b, std::size_t at) { return get32(b, at) | std::uint64_t(get32(b, at + 4)) << 32; }
void put32(Bytes& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}
void put64(Bytes& b, std::size_t at, std::uint64_t v) {
  put32(b, at, static_cast<std::uint32_t>(v));
  put32(b, at + 4, static_cast<std::uint32_t>(v >> 32));
}

std::size_t header_bytes(const Bytes& b) { return get32(b, field::kHeaderBytes); }
std::size_t table_entry(const Bytes& b, std::size_t section) {
  return bundle::kFixedHeaderBytes + get32(b, field::kFeatureSpecBytes) + section * bundle::kSectionEntryBytes;
}
std::size_t section_count(const Bytes& b) { return get32(b, field::kSectionCount); }
std::string section_tag(const Bytes& b, std::size_t s) {
  return std::string(reinterpret_cast<const char*>(&b[table_entry(b, s)]), 4);
}
std::size_t section_offset(const Bytes& b, std::size_t s) { return get64(b, table_entry(b, s) + 8); }
std::size_t section_length(const Bytes& b, std::size_t s) { return get64(b, table_entry(b, s) + 16); }
std::size_t find_section(const Bytes& b, const std::string& tag) {
  for (std::size_t s = 0; s < section_count(b); ++s)
    if (section_tag(b, s) == tag) return s;
  FAIL("no section " << tag);
  return 0;
}

void fix_header_checksum(Bytes& b) {
  const std::size_t at = header_bytes(b) - 8;
  put64(b, at, bundle_checksum(b.data(), at));
}
void fix_section_checksum(Bytes& b, std::size_t s) {
  put64(b, table_entry(b, s) + 24, bundle_checksum(b.data() + section_offset(b, s), section_length(b, s)));
  fix_header_checksum(b);
}

// Loads and expects a lookalike::Error of the given kind whose message contains `text`.
void expect_error(const Bytes& b, ErrorKind kind, const std::string& text) {
  try {
    VectorIndex::load(b.data(), b.size());
    FAIL_CHECK("loaded although " << text << " was expected");
  } catch (const Error& e) {
    INFO("message: " << e.what());
    CHECK(e.kind() == kind);
    CHECK_THAT(std::string(e.what()), Catch::Contains(text));
  }
}

// A small HNSW bundle with a removed element (all sections but the int8 ones,
// or with them), or a small flat one.
Bytes small_bundle(IndexKind kind, ElementType element, bool keep_floats, Metric metric = Metric::Cosine) {
  IndexConfig config = index_config(metric, 5, kind, element, keep_floats);
  config.hnsw.m = 4;
  VectorIndex index(config);
  const std::vector<float> data = random_vectors(43, 5, 17);
  const std::vector<std::uint32_t> ids = sequential_ids(43, 100);
  index.add_many(ids.data(), data.data(), 43, 1);
  if (kind == IndexKind::Hnsw) index.remove(107);
  return index.save();
}

}  // namespace

TEST_CASE("every byte of the header, flipped, makes loading fail with a lookalike::Error") {
  for (const Bytes& good : {small_bundle(IndexKind::Hnsw, ElementType::Float32, false),
                            small_bundle(IndexKind::Hnsw, ElementType::Int8, true),
                            small_bundle(IndexKind::Flat, ElementType::Int8, false)}) {
    REQUIRE_NOTHROW(VectorIndex::load(good.data(), good.size()));
    for (std::size_t at = 0; at < header_bytes(good); ++at) {
      for (const std::uint8_t bit : {0x01, 0x80}) {
        Bytes b = good;
        b[at] ^= bit;
        INFO("header byte " << at << " ^ " << int(bit));
        try {
          VectorIndex::load(b.data(), b.size());
          FAIL_CHECK("loaded a bundle with a flipped header byte");
        } catch (const Error& e) {
          const bool version = at >= field::kFormatVersion && at < field::kFormatVersion + 4;
          CHECK(e.kind() == (version ? ErrorKind::Unsupported : ErrorKind::Corrupt));
        }
      }
    }
  }
}

TEST_CASE("each header field set to a wrong value (checksum recomputed) is refused by name") {
  const Bytes good = small_bundle(IndexKind::Hnsw, ElementType::Float32, false);
  const auto with = [&good](std::size_t at, std::uint32_t value, int bytes = 4) {
    Bytes b = good;
    if (bytes == 1)
      b[at] = static_cast<std::uint8_t>(value);
    else
      put32(b, at, value);
    fix_header_checksum(b);
    return b;
  };
  Bytes b = good;
  b[0] = 'X';
  expect_error(b, ErrorKind::Corrupt, "not a lookalike index bundle");
  expect_error(with(field::kFormatVersion, 2), ErrorKind::Unsupported, "format version 2 is not supported");
  expect_error(with(field::kHeaderBytes, header_bytes(good) + 8), ErrorKind::Corrupt, "header size field");
  expect_error(with(field::kFeatureSpecBytes, 2000), ErrorKind::Corrupt, "feature spec length 2000");
  expect_error(with(field::kFeatureSpecBytes, get32(good, field::kFeatureSpecBytes) - 1), ErrorKind::Corrupt,
               "header size field");
  expect_error(with(field::kMetric, 0, 1), ErrorKind::Corrupt, "unknown metric code 0");
  expect_error(with(field::kMetric, 5, 1), ErrorKind::Corrupt, "unknown metric code 5");
  expect_error(with(field::kKind, 3, 1), ErrorKind::Corrupt, "unknown index kind code 3");
  expect_error(with(field::kElement, 7, 1), ErrorKind::Corrupt, "unknown element type code 7");
  expect_error(with(field::kFlags, 1, 1), ErrorKind::Corrupt, "keep_float_vectors applies to the int8");
  expect_error(with(field::kFlags, 4, 1), ErrorKind::Corrupt, "unknown flag bits 4");
  expect_error(with(field::kDim, 0), ErrorKind::Corrupt, "dim is 0");
  expect_error(with(field::kDim, 6), ErrorKind::Corrupt, "float vectors section is");
  expect_error(with(field::kDim, 1u << 20), ErrorKind::Corrupt, "dim is 1048576");
  expect_error(with(field::kElementCount, 44), ErrorKind::Corrupt, "ids section is");
  expect_error(with(field::kElementCount, 0xFFFFFFFFu), ErrorKind::Corrupt, "ids section is");
  expect_error(with(field::kLiveCount, 43), ErrorKind::Corrupt, "header says 43 live elements");
  expect_error(with(field::kLiveCount, 44), ErrorKind::Corrupt, "44 live elements of 43");
  expect_error(with(field::kHnswM, 1), ErrorKind::Corrupt, "hnsw.m is 1");
  expect_error(with(field::kHnswM, 65), ErrorKind::Corrupt, "hnsw.m is 65");
  expect_error(with(field::kHnswM, 3), ErrorKind::Corrupt, "links, more than the limit");  // lists hold up to 2·4
  expect_error(with(field::kHnswEfConstruction, 0), ErrorKind::Corrupt, "hnsw.ef_construction is 0");
  expect_error(with(field::kHnswEfSearch, 200000), ErrorKind::Corrupt, "hnsw.ef_search is 200000");
  expect_error(with(field::kSectionCount, 6), ErrorKind::Corrupt, "header size field");
  expect_error(with(field::kSectionCount, 100), ErrorKind::Corrupt, "section count 100");
  expect_error(with(field::kReserved, 1), ErrorKind::Corrupt, "reserved header field");
  b = good;
  b[field::kFeatureSpec] = '\n';
  fix_header_checksum(b);
  expect_error(b, ErrorKind::Corrupt, "feature_spec must be printable ASCII");

  // Fields any value of which is valid load, and the value is what the header says.
  Bytes free = with(field::kFeatureVersion, 9);
  put32(free, field::kHnswEfSearch, 333);
  put64(free, field::kHnswSeed, 0x0123456789abcdefull);
  fix_header_checksum(free);
  const VectorIndex loaded = VectorIndex::load(free.data(), free.size());
  CHECK(loaded.config().feature_version == 9);
  CHECK(loaded.config().hnsw.ef_search == 333);
  CHECK(loaded.config().hnsw.seed == 0x0123456789abcdefull);
  CHECK(loaded.save() == free);
}

TEST_CASE("section table entries that disagree with the layout are refused") {
  const Bytes good = small_bundle(IndexKind::Hnsw, ElementType::Int8, true);
  const std::size_t graph = find_section(good, "GRPH");
  Bytes b = good;
  std::memcpy(&b[table_entry(b, 1)], "XYZ\x01", 4);
  fix_header_checksum(b);
  expect_error(b, ErrorKind::Corrupt, "is 'XYZ\\x01' where 'DEL ' belongs");
  b = good;
  put32(b, table_entry(b, 2) + 4, 1);
  fix_header_checksum(b);
  expect_error(b, ErrorKind::Corrupt, "reserved table field");
  b = good;
  put64(b, table_entry(b, 2) + 8, section_offset(good, 2) + 8);
  fix_header_checksum(b);
  expect_error(b, ErrorKind::Corrupt, "starts at byte");
  b = good;
  put64(b, table_entry(b, graph) + 16, section_length(good, graph) + 1);
  fix_header_checksum(b);
  expect_error(b, ErrorKind::Corrupt, "runs past the end");
  b = good;
  put64(b, table_entry(b, graph) + 16, ~std::uint64_t{0});
  fix_header_checksum(b);
  expect_error(b, ErrorKind::Corrupt, "runs past the end");
  b = good;
  put64(b, table_entry(b, 0) + 16, section_length(good, 0) - 4);
  fix_header_checksum(b);
  expect_error(b, ErrorKind::Corrupt, "ids section is");
  b = good;
  b.push_back(0);
  expect_error(b, ErrorKind::Corrupt, "1 bytes follow the last section");
  b = good;
  const std::size_t pad = header_bytes(b);  // header padding up to the first section
  if (pad < section_offset(b, 0)) {
    b[pad] = 1;
    expect_error(b, ErrorKind::Corrupt, "padding byte");
  }
}

TEST_CASE("a flipped byte in any section fails its checksum, naming the section") {
  for (const Bytes& good : {small_bundle(IndexKind::Hnsw, ElementType::Int8, true),
                            small_bundle(IndexKind::Hnsw, ElementType::Float32, false),
                            small_bundle(IndexKind::Flat, ElementType::Float32, false)}) {
    const char* names[] = {"ids", "removed", "float vectors", "int8 codes", "int8 scales", "levels", "graph"};
    const char* tags[] = {"IDS ", "DEL ", "VF32", "I8CD", "I8SC", "LVLS", "GRPH"};
    for (std::size_t s = 0; s < section_count(good); ++s) {
      std::string name;
      for (int t = 0; t < 7; ++t)
        if (section_tag(good, s) == tags[t]) name = names[t];
      const std::size_t offset = section_offset(good, s), length = section_length(good, s);
      for (const std::size_t at : {offset, offset + length / 2, offset + length - 1}) {
        Bytes b = good;
        b[at] ^= 0x10;
        INFO("section " << name << " byte " << at);
        expect_error(b, ErrorKind::Corrupt, name + " section checksum mismatch");
      }
    }
  }
}

TEST_CASE("inconsistent section contents (checksums recomputed) are refused precisely") {
  const Bytes good = small_bundle(IndexKind::Hnsw, ElementType::Float32, false);
  const std::size_t ids = find_section(good, "IDS "), removed = find_section(good, "DEL "),
                    floats = find_section(good, "VF32"), levels = find_section(good, "LVLS"),
                    graph = find_section(good, "GRPH");
  const auto edit = [&good](std::size_t s, const std::function<void(Bytes&, std::size_t)>& change) {
    Bytes b = good;
    change(b, section_offset(b, s));
    fix_section_checksum(b, s);
    return b;
  };
  expect_error(edit(ids, [](Bytes& b, std::size_t at) { put32(b, at + 4, get32(b, at)); }), ErrorKind::Corrupt,
               "id 100 appears more than once");
  expect_error(edit(removed, [](Bytes& b, std::size_t at) { b[at + 5] |= 0x80; }), ErrorKind::Corrupt,
               "padding bit 47 is set");
  expect_error(edit(removed, [](Bytes& b, std::size_t at) { b[at] |= 0x01; }), ErrorKind::Corrupt,
               "the removed section leaves 41");
  expect_error(edit(floats, [](Bytes& b, std::size_t at) { put32(b, at + 12, 0x7fc00000u); }), ErrorKind::Corrupt,
               "float vector of element 0 (id 100) is not finite at dimension 3");
  expect_error(edit(floats, [](Bytes& b, std::size_t at) { put32(b, at + 20, 0x7f800000u); }), ErrorKind::Corrupt,
               "float vector of element 1 (id 101) is not finite at dimension 0");

  // Levels: above the limit, or a changed layer that the graph no longer matches.
  expect_error(edit(levels, [](Bytes& b, std::size_t at) { b[at + 3] = 17; }), ErrorKind::Corrupt,
               "element 3 is on layer 17, above the limit 16");
  std::size_t ground = 0;  // an element on layer 0 only
  while (good[section_offset(good, levels) + ground] != 0) ++ground;
  expect_error(edit(levels, [ground](Bytes& b, std::size_t at) { b[at + ground] = 15; }), ErrorKind::Corrupt,
               "top layer");

  // The graph: entry point, top layer, link counts and links.
  const std::size_t entry = get32(good, section_offset(good, graph));
  expect_error(edit(graph, [](Bytes& b, std::size_t at) { put32(b, at, 43); }), ErrorKind::Corrupt,
               "entry point 43 is not an element");
  expect_error(edit(graph, [](Bytes& b, std::size_t at) { put32(b, at + 4, get32(b, at + 4) + 1); }),
               ErrorKind::Corrupt, "top layer");
  if (entry != ground)
    expect_error(edit(graph, [ground](Bytes& b, std::size_t at) { put32(b, at, static_cast<std::uint32_t>(ground)); }),
                 ErrorKind::Corrupt, "not on the top layer");
  // Element 0's layer-0 list starts right after entry point and top layer.
  const std::size_t first_list = 8;
  const std::size_t links0 = get32(good, section_offset(good, graph) + first_list) & 0xFFFF;
  REQUIRE(links0 >= 2);
  expect_error(edit(graph,
                    [](Bytes& b, std::size_t at) {
                      b[at + 8] = 9;
                      b[at + 9] = 0;
                    }),
               ErrorKind::Corrupt, "element 0 layer 0 has 9 links, more than the limit 8");
  expect_error(edit(graph, [](Bytes& b, std::size_t at) { put32(b, at + 10, 43); }), ErrorKind::Corrupt,
               "element 0 layer 0 links to 43, not an element");
  expect_error(edit(graph, [](Bytes& b, std::size_t at) { put32(b, at + 10, 0); }), ErrorKind::Corrupt,
               "element 0 layer 0 links to itself");
  expect_error(edit(graph, [](Bytes& b, std::size_t at) { put32(b, at + 14, get32(b, at + 10)); }), ErrorKind::Corrupt,
               "twice");
  expect_error(edit(graph,
                    [](Bytes& b, std::size_t at) {
                      b[at + 8] = 0xff;
                      b[at + 9] = 0xff;
                    }),
               ErrorKind::Corrupt, "65535 links");

  // A link on an upper layer to an element that is not on that layer.
  const VectorIndex index = VectorIndex::load(good.data(), good.size());
  (void)index;
  std::size_t at = 8, upper_link = 0;
  for (std::size_t slot = 0; slot < 43 && !upper_link; ++slot) {
    const unsigned top = good[section_offset(good, levels) + slot];
    for (unsigned level = 0; level <= top; ++level) {
      const std::size_t count = good[section_offset(good, graph) + at] | good[section_offset(good, graph) + at + 1]
                                                                             << 8;
      if (level > 0 && count > 0 && !upper_link) upper_link = at + 2;
      at += 2 + 4 * count;
    }
  }
  REQUIRE(upper_link != 0);
  expect_error(
      edit(graph, [upper_link, ground](
                      Bytes& b, std::size_t at) { put32(b, at + upper_link, static_cast<std::uint32_t>(ground)); }),
      ErrorKind::Corrupt, "which is only on layers 0..0");
}

TEST_CASE("int8 scales that would overflow, are negative, or break normalisation are refused") {
  const Bytes l2 = small_bundle(IndexKind::Flat, ElementType::Int8, false, Metric::L2);
  const Bytes cosine = small_bundle(IndexKind::Hnsw, ElementType::Int8, false, Metric::Cosine);
  const auto with_scale = [](const Bytes& good, float offset, float scale) {
    const std::size_t scales = find_section(good, "I8SC");
    Bytes b = good;
    std::uint32_t o, s;
    std::memcpy(&o, &offset, 4);
    std::memcpy(&s, &scale, 4);
    put32(b, section_offset(b, scales) + 8, o);
    put32(b, section_offset(b, scales) + 12, s);
    fix_section_checksum(b, scales);
    return b;
  };
  expect_error(with_scale(l2, 0.0f, -1.0f), ErrorKind::Corrupt, "int8 scale of element 1 (id 101) is invalid");
  expect_error(with_scale(l2, 0.0f, 3e37f), ErrorKind::Corrupt, "int8 scale of element 1");
  expect_error(with_scale(l2, std::numeric_limits<float>::infinity(), 0.0f), ErrorKind::Corrupt,
               "int8 scale of element 1");
  const Bytes fine = with_scale(l2, 1.0f, 0.5f);
  CHECK_NOTHROW(VectorIndex::load(fine.data(), fine.size()));
  // Cosine stores normalised vectors: every dequantised value is within [−1, 1].
  expect_error(with_scale(cosine, 1.0f, 0.5f), ErrorKind::Corrupt, "int8 scale of element 1");
  const Bytes unit = with_scale(cosine, 0.0f, 1.0f / 128);
  CHECK_NOTHROW(VectorIndex::load(unit.data(), unit.size()));
}

TEST_CASE("cosine and correlation float vectors that are not normalised are refused") {
  for (const Metric metric : {Metric::Cosine, Metric::Correlation}) {
    Bytes b = small_bundle(IndexKind::Hnsw, ElementType::Float32, false, metric);
    const std::size_t floats = find_section(b, "VF32");
    const float two = 2.0f;
    std::uint32_t bits;
    std::memcpy(&bits, &two, 4);
    put32(b, section_offset(b, floats) + 4 * 5 * 2, bits);  // element 2, dimension 0
    fix_section_checksum(b, floats);
    expect_error(b, ErrorKind::Corrupt, "float vector of element 2 (id 102) has squared norm");
  }
}

TEST_CASE("a flat bundle with removed elements is refused") {
  Bytes b = small_bundle(IndexKind::Flat, ElementType::Float32, false);
  const std::size_t removed = find_section(b, "DEL ");
  b[section_offset(b, removed)] |= 1;
  fix_section_checksum(b, removed);
  put32(b, field::kLiveCount, 42);
  fix_header_checksum(b);
  expect_error(b, ErrorKind::Corrupt, "a flat bundle has no removed elements");
}

TEST_CASE("every truncation of small bundles is an error, never a crash") {
  for (const Bytes& good : {small_bundle(IndexKind::Hnsw, ElementType::Float32, false, Metric::L2),
                            small_bundle(IndexKind::Hnsw, ElementType::Int8, true, Metric::Correlation),
                            small_bundle(IndexKind::Hnsw, ElementType::Int8, false, Metric::L1),
                            small_bundle(IndexKind::Flat, ElementType::Float32, false)}) {
    for (std::size_t size = 0; size < good.size(); ++size) {
      INFO("truncated to " << size << " of " << good.size() << " bytes");
      CHECK_THROWS_AS(VectorIndex::load(good.data(), size), Error);
    }
    const Bytes empty;
    CHECK_THROWS_WITH(VectorIndex::load(empty.data(), 0), Catch::Contains("not a lookalike index bundle"));
    CHECK_THROWS_WITH(VectorIndex::load(good.data(), 40), Catch::Contains("truncated to 40 bytes"));
  }
}
