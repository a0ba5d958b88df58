#include "index/bundle_reader.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "index/bundle_checksum.h"
#include "index/bundle_codes.h"
#include "index/byte_reader.h"
#include "lookalike/common/error.h"
#include "lookalike/index/bundle_format.h"

namespace lookalike {
namespace {

using namespace bundle;

// Fuzzing builds accept any checksum, so that mutated inputs get past them
// to the structure checks, which must hold for crafted files with valid
// checksums too (tests/fuzz; the usual libFuzzer convention).
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
constexpr bool kVerifyChecksums = false;
#else
constexpr bool kVerifyChecksums = true;
#endif

[[noreturn]] void corrupt(const std::string& message) { fail(ErrorKind::Corrupt, "index bundle: " + message); }

std::string str(std::uint64_t v) { return std::to_string(v); }

std::string hex64(std::uint64_t v) {
  char text[19];
  std::snprintf(text, sizeof text, "0x%016llx", static_cast<unsigned long long>(v));
  return text;
}

// A tag as text: printable bytes as they are, others as \xNN.
std::string tag_text(const std::uint8_t* p) {
  std::string out;
  for (int i = 0; i < 4; ++i) {
    if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\') {
      out += static_cast<char>(p[i]);
    } else {
      char esc[5];
      std::snprintf(esc, sizeof esc, "\\x%02x", p[i]);
      out += esc;
    }
  }
  return "'" + out + "'";
}

std::uint64_t align_up(std::uint64_t v) { return (v + kSectionAlignment - 1) / kSectionAlignment * kSectionAlignment; }

const char* section_name(Section s) {
  switch (s) {
    case Section::Ids: return "ids";
    case Section::Removed: return "removed";
    case Section::Floats: return "float vectors";
    case Section::Codes: return "int8 codes";
    case Section::Scales: return "int8 scales";
    case Section::Levels: return "levels";
    case Section::Graph: return "graph";
  }
  return "?";
}

IndexConfig read_header_fields(const std::uint8_t* data, std::uint32_t spec_bytes, std::uint32_t& element_count,
                               std::uint32_t& live_count) {
  ByteReader r(data + field::kFeatureVersion, kFixedHeaderBytes - field::kFeatureVersion, "index bundle header");
  IndexConfig config;
  config.feature_version = r.u32();
  const std::uint8_t metric = r.u8(), kind = r.u8(), element = r.u8(), flags = r.u8();
  if (!decode_metric(metric, config.metric))
    corrupt("unknown metric code " + str(metric) + " (expected 1 l1, 2 l2, 3 cosine or 4 correlation)");
  if (!decode_kind(kind, config.kind)) corrupt("unknown index kind code " + str(kind) + " (expected 1 flat or 2 hnsw)");
  if (!decode_element(element, config.element))
    corrupt("unknown element type code " + str(element) + " (expected 1 float32 or 2 int8)");
  if (flags & ~kFlagFloatVectors) corrupt("unknown flag bits " + str(flags & ~kFlagFloatVectors) + " are set");
  config.keep_float_vectors = (flags & kFlagFloatVectors) != 0;
  config.dim = r.u32();
  element_count = r.u32();
  live_count = r.u32();
  config.hnsw.m = r.u32();
  config.hnsw.ef_construction = r.u32();
  config.hnsw.ef_search = r.u32();
  r.u32();  // section count, read by the caller
  config.hnsw.seed = r.u64();
  if (r.u32() != 0) corrupt("the reserved header field at byte 64 is not zero");
  config.feature_spec.assign(reinterpret_cast<const char*>(data + field::kFeatureSpec), spec_bytes);
  try {
    validate_index_config(config);
  } catch (const Error& e) {
    const std::string prefix = "index config: ";
    std::string what = e.what();
    if (what.compare(0, prefix.size(), prefix) == 0) what = what.substr(prefix.size());
    corrupt("header: " + what);
  }
  if (live_count > element_count) corrupt("header says " + str(live_count) + " live elements of " + str(element_count));
  return config;
}

// Exact byte length of a fixed-size section; the graph's is checked as it is walked.
std::uint64_t section_length(Section s, std::uint64_t count, std::uint64_t dim) {
  switch (s) {
    case Section::Ids: return count * 4;
    case Section::Removed: return (count + 7) / 8;
    case Section::Floats: return count * dim * 4;
    case Section::Codes: return count * dim;
    case Section::Scales: return count * 8;
    case Section::Levels: return count;
    case Section::Graph: return 0;
  }
  return 0;
}

void check_ids(const BundleContents& c) {
  std::vector<std::uint32_t> ids(c.element_count);
  for (std::uint32_t i = 0; i < c.element_count; ++i) ids[i] = c.id(i);
  std::sort(ids.begin(), ids.end());
  const auto twice = std::adjacent_find(ids.begin(), ids.end());
  if (twice != ids.end()) corrupt("id " + str(*twice) + " appears more than once");
}

void check_removed(const BundleContents& c) {
  std::uint64_t removed = 0;
  for (std::uint32_t i = 0; i < c.element_count; ++i) removed += c.is_removed(i);
  for (std::uint64_t bit = c.element_count; bit < c.removed.size * 8; ++bit)
    if (c.removed.data[bit / 8] & (1u << (bit % 8))) corrupt("removed section: padding bit " + str(bit) + " is set");
  if (c.element_count - removed != c.live_count)
    corrupt("header says " + str(c.live_count) + " live elements, the removed section leaves " +
            str(c.element_count - removed));
  if (c.config.kind == IndexKind::Flat && removed != 0) corrupt("a flat bundle has no removed elements");
}

// Vectors must be finite; for cosine and correlation they are stored
// prepared (index/vector_preparation.h): of norm 1, or 0. Beyond catching
// corruption this keeps every internal distance a number (no ∞ − ∞).
void check_vectors(const BundleContents& c) {
  const std::size_t dim = c.config.dim;
  const bool unit = c.config.metric == Metric::Cosine || c.config.metric == Metric::Correlation;
  const auto element = [&c](std::uint32_t i) { return "element " + str(i) + " (id " + str(c.id(i)) + ")"; };
  if (c.floats.size) {
    std::vector<float> v(dim);
    for (std::uint32_t i = 0; i < c.element_count; ++i) {
      c.float_vector(i, v.data());
      double squared = 0;
      for (std::size_t j = 0; j < dim; ++j) {
        if (!std::isfinite(v[j])) corrupt("float vector of " + element(i) + " is not finite at dimension " + str(j));
        squared += double(v[j]) * v[j];
      }
      if (unit && squared != 0 && std::fabs(squared - 1.0) > 1e-4)
        corrupt("float vector of " + element(i) + " has squared norm " + std::to_string(squared) + ", not 1 as " +
                metric_name(c.config.metric) + " stores it");
    }
  }
  if (c.scales.size) {
    // Dequantised values offset + scale·c, |c| ≤ 128, must be finite floats,
    // and within [−1, 1] where vectors are normalised.
    const double limit = unit ? 1.0 + 1e-4 : double(FLT_MAX);
    for (std::uint32_t i = 0; i < c.element_count; ++i) {
      const Int8Scale s = c.int8_scale(i);
      if (!std::isfinite(s.offset) || !std::isfinite(s.scale) || s.scale < 0 ||
          std::fabs(double(s.offset)) + 128.0 * double(s.scale) > limit)
        corrupt("int8 scale of " + element(i) + " is invalid (offset " + std::to_string(s.offset) + ", scale " +
                std::to_string(s.scale) + ")");
    }
  }
}

void check_levels_and_graph(BundleContents& c) {
  if (c.config.kind != IndexKind::Hnsw) return;
  unsigned top = 0;
  for (std::uint32_t i = 0; i < c.element_count; ++i) {
    if (c.level(i) > kMaxHnswLevel)
      corrupt("element " + str(i) + " is on layer " + str(c.level(i)) + ", above the limit " + str(kMaxHnswLevel));
    top = std::max(top, c.level(i));
  }
  ByteReader r(c.graph.data, c.graph.size, "index bundle: graph section");
  const std::uint32_t entry = r.u32(), max_level = r.u32();
  if (c.element_count == 0) {
    if (entry != kNoEntryPoint || max_level != kNoEntryPoint)
      corrupt("graph section: an empty graph must have entry point and top layer 0xffffffff");
    c.entry_point = entry;
    c.max_level = -1;
  } else {
    if (entry >= c.element_count)
      corrupt("graph section: entry point " + str(entry) + " is not an element (count " + str(c.element_count) + ")");
    if (max_level != top)
      corrupt("graph section: top layer " + str(max_level) + " but the highest element layer is " + str(top));
    if (c.level(entry) != top)
      corrupt("graph section: entry point " + str(entry) + " is on layer " + str(c.level(entry)) +
              ", not on the top layer " + str(top));
    c.entry_point = entry;
    c.max_level = static_cast<int>(top);
  }
  // Walk every list once; `seen` marks a neighbour with the number of the
  // list it was last met in, to catch repeats in O(1).
  std::vector<std::uint64_t> seen(c.element_count, ~std::uint64_t{0});
  std::uint64_t list_number = 0;
  for (std::uint32_t slot = 0; slot < c.element_count; ++slot) {
    for (unsigned level = 0; level <= c.level(slot); ++level, ++list_number) {
      const std::size_t limit = level == 0 ? 2 * c.config.hnsw.m : c.config.hnsw.m;
      const std::size_t count = r.u16();
      const std::string where = "graph section: element " + std::to_string(slot) + " layer " + std::to_string(level);
      if (count > limit) corrupt(where + " has " + str(count) + " links, more than the limit " + str(limit));
      const std::uint8_t* p = r.bytes(count * 4);
      for (std::size_t j = 0; j < count; ++j) {
        const std::uint32_t n = ByteReader::load_u32(p + 4 * j);
        if (n >= c.element_count) corrupt(where + " links to " + str(n) + ", not an element");
        if (n == slot) corrupt(where + " links to itself");
        if (c.level(n) < level)
          corrupt(where + " links to element " + str(n) + ", which is only on layers 0.." + str(c.level(n)));
        if (seen[n] == list_number) corrupt(where + " links to element " + str(n) + " twice");
        seen[n] = list_number;
      }
    }
  }
  if (r.remaining() != 0) corrupt("graph section: " + str(r.remaining()) + " bytes after the last link list");
}

}  // namespace

std::uint32_t BundleContents::id(std::uint32_t slot) const {
  return ByteReader::load_u32(ids.data + 4 * std::size_t(slot));
}
bool BundleContents::is_removed(std::uint32_t slot) const { return (removed.data[slot / 8] >> (slot % 8)) & 1u; }
unsigned BundleContents::level(std::uint32_t slot) const { return levels.data[slot]; }

void BundleContents::float_vector(std::uint32_t slot, float* out) const {
  const std::uint8_t* p = floats.data + std::size_t(slot) * config.dim * 4;
  for (std::size_t j = 0; j < config.dim; ++j) {
    const std::uint32_t bits = ByteReader::load_u32(p + 4 * j);
    std::memcpy(out + j, &bits, 4);
  }
}

const std::int8_t* BundleContents::int8_codes(std::uint32_t slot) const {
  return reinterpret_cast<const std::int8_t*>(codes.data + std::size_t(slot) * config.dim);
}

Int8Scale BundleContents::int8_scale(std::uint32_t slot) const {
  const std::uint8_t* p = scales.data + std::size_t(slot) * 8;
  const std::uint32_t offset = ByteReader::load_u32(p), scale = ByteReader::load_u32(p + 4);
  Int8Scale s;
  std::memcpy(&s.offset, &offset, 4);
  std::memcpy(&s.scale, &scale, 4);
  return s;
}

namespace {

// The fixed part of the header: signature, version, sizes and checksum.
// Returns the header's size; spec_bytes and section_count are its fields.
std::uint32_t check_header(const std::uint8_t* data, std::size_t size, std::uint32_t& spec_bytes,
                           std::uint32_t& section_count) {
  if (size < kMagic.size() || std::memcmp(data, kMagic.data(), kMagic.size()) != 0)
    fail(ErrorKind::Corrupt, "not a lookalike index bundle: it does not start with the bundle signature");
  if (size < field::kHeaderBytes) corrupt("truncated to " + str(size) + " bytes, inside the header");
  const std::uint32_t version = ByteReader::load_u32(data + field::kFormatVersion);
  if (version != kFormatVersion)
    fail(ErrorKind::Unsupported, "index bundle: format version " + str(version) +
                                     " is not supported (this build reads version " + str(kFormatVersion) +
                                     "); rebuild the index with this version of lookalike");
  if (size < kFixedHeaderBytes) corrupt("truncated to " + str(size) + " bytes, inside the header");
  const std::uint32_t header_bytes = ByteReader::load_u32(data + field::kHeaderBytes);
  spec_bytes = ByteReader::load_u32(data + field::kFeatureSpecBytes);
  section_count = ByteReader::load_u32(data + field::kSectionCount);
  if (spec_bytes > kMaxFeatureSpecBytes)
    corrupt("feature spec length " + str(spec_bytes) + " is over the limit " + str(kMaxFeatureSpecBytes));
  if (section_count > kMaxSections)
    corrupt("section count " + str(section_count) + " is over the limit " + str(kMaxSections));
  const std::uint64_t expected_header = kFixedHeaderBytes + std::uint64_t(spec_bytes) +
                                        std::uint64_t(section_count) * kSectionEntryBytes + kChecksumBytes;
  if (header_bytes != expected_header)
    corrupt("header size field is " + str(header_bytes) + " but the feature spec and section table make it " +
            str(expected_header));
  if (header_bytes > size)
    corrupt("truncated to " + str(size) + " bytes, inside the " + str(header_bytes) + "-byte header");
  const std::uint64_t stored_header_sum = ByteReader(data + header_bytes - kChecksumBytes, kChecksumBytes, "").u64();
  const std::uint64_t header_sum = bundle_checksum(data, header_bytes - kChecksumBytes);
  if (kVerifyChecksums && stored_header_sum != header_sum)
    corrupt("header checksum mismatch (stored " + hex64(stored_header_sum) + ", computed " + hex64(header_sum) + ")");
  return header_bytes;
}

// Entry i of the section table, which must describe section s: its tag,
// where it starts (at `offset`, after zero padding from previous_end), its
// length and checksum. Returns the section's bytes.
BundleContents::Bytes read_section(const std::uint8_t* data, std::size_t size, const std::uint8_t* entry, std::size_t i,
                                   Section s, const BundleContents& c, std::uint64_t next_offset,
                                   std::uint64_t previous_end) {
  const char* want = kSectionTags[static_cast<std::size_t>(s)];
  if (std::memcmp(entry, want, 4) != 0)
    corrupt("section " + str(i) + " is " + tag_text(entry) + " where '" + want + "' belongs");
  ByteReader r(entry + 4, kSectionEntryBytes - 4, "");
  const std::uint32_t reserved = r.u32();
  const std::uint64_t offset = r.u64(), length = r.u64(), stored_sum = r.u64();
  const std::string name = std::string(section_name(s)) + " section";
  if (reserved != 0) corrupt(name + ": reserved table field is not zero");
  if (offset != next_offset) corrupt(name + " starts at byte " + str(offset) + ", expected " + str(next_offset));
  if (offset > size || length > size - offset)
    corrupt(name + " (" + str(length) + " bytes at " + str(offset) + ") runs past the end of the " + str(size) +
            "-byte bundle: truncated?");
  if (s == Section::Graph ? length < 8 : length != section_length(s, c.element_count, c.config.dim))
    corrupt(name + " is " + str(length) + " bytes, expected " +
            (s == Section::Graph ? std::string("at least 8") : str(section_length(s, c.element_count, c.config.dim))) +
            " for " + str(c.element_count) + " elements of dimension " + str(c.config.dim));
  for (std::uint64_t pad = previous_end; pad < offset; ++pad)
    if (data[pad] != 0) corrupt("padding byte " + str(pad) + " before the " + name + " is not zero");
  const std::uint64_t sum = bundle_checksum(data + offset, static_cast<std::size_t>(length));
  if (kVerifyChecksums && sum != stored_sum)
    corrupt(name + " checksum mismatch (stored " + hex64(stored_sum) + ", computed " + hex64(sum) + ")");
  return {data + offset, static_cast<std::size_t>(length)};
}

BundleContents::Bytes& section_bytes(BundleContents& c, Section s) {
  switch (s) {
    case Section::Ids: return c.ids;
    case Section::Removed: return c.removed;
    case Section::Floats: return c.floats;
    case Section::Codes: return c.codes;
    case Section::Scales: return c.scales;
    case Section::Levels: return c.levels;
    case Section::Graph: break;
  }
  return c.graph;
}

}  // namespace

BundleContents read_bundle(const std::uint8_t* data, std::size_t size) {
  std::uint32_t spec_bytes = 0, section_count = 0;
  const std::uint32_t header_bytes = check_header(data, size, spec_bytes, section_count);
  BundleContents c;
  c.config = read_header_fields(data, spec_bytes, c.element_count, c.live_count);

  const std::vector<Section> expected = sections_for(c.config);
  if (section_count != expected.size())
    corrupt("the header lists " + str(section_count) + " sections, a " + index_kind_name(c.config.kind) + " " +
            element_type_name(c.config.element) + (c.config.keep_float_vectors ? " (with float vectors)" : "") +
            " bundle has " + str(expected.size()));
  std::uint64_t next_offset = align_up(header_bytes), previous_end = header_bytes;
  const std::uint8_t* table = data + kFixedHeaderBytes + spec_bytes;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const BundleContents::Bytes bytes =
        read_section(data, size, table + i * kSectionEntryBytes, i, expected[i], c, next_offset, previous_end);
    section_bytes(c, expected[i]) = bytes;
    previous_end = std::uint64_t(bytes.data - data) + bytes.size;
    next_offset = align_up(previous_end);
    if (i + 1 == expected.size() && previous_end != size)
      corrupt(str(size - previous_end) + " bytes follow the last section");
  }

  check_ids(c);
  check_removed(c);
  check_vectors(c);
  check_levels_and_graph(c);
  return c;
}

void for_each_link_list(const BundleContents& c,
                        const std::function<void(std::uint32_t, unsigned, const std::vector<std::uint32_t>&)>& visit) {
  ByteReader r(c.graph.data, c.graph.size, "index bundle: graph section");
  r.bytes(8);  // entry point and top layer
  std::vector<std::uint32_t> links;
  for (std::uint32_t slot = 0; slot < c.element_count; ++slot) {
    for (unsigned level = 0; level <= c.level(slot); ++level) {
      const std::size_t count = r.u16();
      const std::uint8_t* p = r.bytes(count * 4);
      links.resize(count);
      for (std::size_t j = 0; j < count; ++j) links[j] = ByteReader::load_u32(p + 4 * j);
      visit(slot, level, links);
    }
  }
}

}  // namespace lookalike
