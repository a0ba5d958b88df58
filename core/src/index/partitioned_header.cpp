// Reading and checking a partitioned index's header (docs/FORMAT.md), and
// what follows from the header alone: the probe order of a query and the
// names of the data files.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numeric>

#include "index/bundle_checksum.h"
#include "index/bundle_codes.h"
#include "index/byte_reader.h"
#include "index/float16.h"
#include "index/vector_preparation.h"
#include "lookalike/common/error.h"
#include "lookalike/index/partitioned_format.h"
#include "lookalike/index/partitioned_index.h"
#include "lookalike/metrics/kernels.h"

namespace lookalike {
namespace {

using namespace partitioned;

#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
constexpr bool kVerifyChecksums = false;  // as in bundle_reader.cpp: fuzzers reach the structure checks
#else
constexpr bool kVerifyChecksums = true;
#endif

[[noreturn]] void corrupt(const std::string& message) {
  fail(ErrorKind::Corrupt, "partitioned index header: " + message);
}

std::string str(std::uint64_t v) { return std::to_string(v); }

std::uint64_t align_up(std::uint64_t v) { return (v + kHeaderAlignment - 1) / kHeaderAlignment * kHeaderAlignment; }

IndexConfig read_config(ByteReader& r, std::uint32_t& list_count, std::uint32_t& file_count, PartitionedHeader& h) {
  r.bytes(kMagic.size() + 4);  // magic and version, checked by the caller
  const std::uint32_t spec_bytes = r.u32();
  IndexConfig config;
  config.kind = IndexKind::Partitioned;
  config.element = ElementType::Int8;
  config.feature_version = r.u32();
  const std::uint8_t metric = r.u8(), encoding = r.u8();
  if (!bundle::decode_metric(metric, config.metric))
    corrupt("unknown metric code " + str(metric) + " (expected 1 l1, 2 l2, 3 cosine or 4 correlation)");
  if (encoding != kCentroidFloat16) corrupt("unknown centroid encoding " + str(encoding) + " (expected 1, float16)");
  if (r.u16() != 0) corrupt("the reserved field at byte 22 is not zero");
  config.dim = r.u32();
  list_count = r.u32();
  file_count = r.u32();
  h.default_nprobe = r.u32();
  h.default_rerank = r.u32();
  if (r.u32() != 0) corrupt("the reserved field at byte 44 is not zero");
  h.item_count = r.u64();
  h.seed = r.u64();
  if (spec_bytes > kMaxFeatureSpecBytes)
    corrupt("feature spec length " + str(spec_bytes) + " is over the limit " + str(kMaxFeatureSpecBytes));
  const std::uint8_t* spec = r.bytes(spec_bytes);
  config.feature_spec.assign(reinterpret_cast<const char*>(spec), spec_bytes);
  try {
    validate_index_config(config);
  } catch (const Error& e) {
    std::string what = e.what();
    const std::string prefix = "index config: ";
    if (what.compare(0, prefix.size(), prefix) == 0) what = what.substr(prefix.size());
    corrupt(what);
  }
  if (list_count < 1 || list_count > kMaxLists)
    corrupt("list count " + str(list_count) + " is outside [1, " + str(kMaxLists) + "]");
  if (file_count < 1 || file_count > kMaxFiles)
    corrupt("data file count " + str(file_count) + " is outside [1, " + str(kMaxFiles) + "]");
  if (h.default_nprobe < 1 || h.default_nprobe > list_count)
    corrupt("default nprobe " + str(h.default_nprobe) + " is outside [1, " + str(list_count) + "]");
  if (h.default_rerank < 1 || h.default_rerank > kMaxRerank)
    corrupt("default rerank " + str(h.default_rerank) + " is outside [1, " + str(kMaxRerank) + "]");
  return config;
}

// Lists lie back to back in list order, a new data file starting only with a
// non-empty list, so every location follows from the previous one.
void read_lists(ByteReader& r, PartitionedHeader& h, std::uint32_t list_count, std::uint32_t file_count) {
  h.file_bytes.resize(file_count);
  for (std::uint64_t& bytes : h.file_bytes) {
    bytes = r.u64();
    if (bytes > kMaxFileBytes)
      corrupt("a data file of " + str(bytes) + " bytes is over the limit " + str(kMaxFileBytes));
  }
  const std::uint64_t item_bytes = kItemFixedBytes + std::uint64_t(h.config.dim);
  h.lists.resize(list_count);
  std::uint32_t file = 0;
  std::uint64_t end = 0, items = 0;
  for (std::uint32_t i = 0; i < list_count; ++i) {
    ListLocation& l = h.lists[i];
    l.file = r.u32();
    l.count = r.u32();
    l.offset = r.u64();
    l.checksum = r.u64();
    l.bytes = std::uint64_t(l.count) * item_bytes;
    const std::string where = "list " + str(i);
    if (l.file != file) {
      if (l.file != file + 1 || l.count == 0 || end == 0)
        corrupt(where + " is in data file " + str(l.file) + " after a list in file " + str(file) +
                " (lists fill files in order, a file starts with a non-empty list)");
      if (end != h.file_bytes[file])
        corrupt("data file " + str(file) + " is " + str(h.file_bytes[file]) + " bytes long but its lists end at byte " +
                str(end));
      file = l.file;
      end = 0;
    }
    if (l.file >= file_count) corrupt(where + " is in data file " + str(l.file) + " of " + str(file_count));
    if (l.offset != end) corrupt(where + " starts at byte " + str(l.offset) + ", expected " + str(end));
    if (l.bytes > h.file_bytes[file] - end)
      corrupt(where + " (" + str(l.count) + " items, " + str(l.bytes) + " bytes at " + str(l.offset) +
              ") runs past the end of data file " + str(file) + " (" + str(h.file_bytes[file]) + " bytes)");
    end += l.bytes;
    items += l.count;
  }
  if (file + 1 != file_count)
    corrupt("the lists use " + str(file + 1) + " data files, the header lists " + str(file_count));
  if (end != h.file_bytes[file])
    corrupt("data file " + str(file) + " is " + str(h.file_bytes[file]) + " bytes long but its lists end at byte " +
            str(end));
  if (items != h.item_count) corrupt("the lists hold " + str(items) + " items, the header says " + str(h.item_count));
}

}  // namespace

PartitionedIndex PartitionedIndex::load_header(const std::uint8_t* data, std::size_t size) {
  if (size < kMagic.size() || std::memcmp(data, kMagic.data(), kMagic.size()) != 0)
    fail(ErrorKind::Corrupt, "not a lookalike partitioned index header: it does not start with its signature");
  if (size < kFixedHeaderBytes) corrupt("truncated to " + str(size) + " bytes, inside the fixed fields");
  const std::uint32_t version = ByteReader::load_u32(data + field::kFormatVersion);
  if (version != kFormatVersion)
    fail(ErrorKind::Unsupported, "partitioned index header: format version " + str(version) +
                                     " is not supported (this build reads version " + str(kFormatVersion) +
                                     "); rebuild the index with this version of lookalike");
  ByteReader r(data, size, "partitioned index header");
  PartitionedIndex index;
  PartitionedHeader& h = index.header_;
  std::uint32_t list_count = 0, file_count = 0;
  h.config = read_config(r, list_count, file_count, h);
  // Everything the counts imply must be there before anything is allocated.
  const std::uint64_t tables = align_up(kFixedHeaderBytes + h.config.feature_spec.size());
  const std::uint64_t expected = tables + std::uint64_t(file_count) * kFileEntryBytes +
                                 std::uint64_t(list_count) * kListEntryBytes + 2ull * list_count * h.config.dim +
                                 kChecksumBytes;
  if (expected != size)
    corrupt("is " + str(size) + " bytes; its counts (" + str(list_count) + " lists, " + str(file_count) +
            " files, dimension " + str(h.config.dim) + ") make it " + str(expected) +
            (size < expected ? ": truncated?" : ""));
  const std::uint64_t stored_sum =
      ByteReader::load_u32(data + size - 8) | (std::uint64_t(ByteReader::load_u32(data + size - 4)) << 32);
  const std::uint64_t sum = bundle_checksum(data, size - kChecksumBytes);
  if (kVerifyChecksums && sum != stored_sum) corrupt("checksum mismatch: the file is damaged");
  for (std::size_t p = r.position(); p < tables; ++p)
    if (r.u8() != 0) corrupt("padding byte " + str(p) + " after the feature spec is not zero");
  read_lists(r, h, list_count, file_count);
  const std::size_t values = std::size_t(list_count) * h.config.dim;
  h.centroids.resize(values);
  const std::uint8_t* halves = r.bytes(2 * values);
  for (std::size_t i = 0; i < values; ++i) {
    const std::uint16_t half = static_cast<std::uint16_t>(halves[2 * i] | (halves[2 * i + 1] << 8));
    if (!half_is_finite(half))
      corrupt("centroid " + str(i / h.config.dim) + " is not finite at dimension " + str(i % h.config.dim));
    h.centroids[i] = half_to_float(half);
  }
  return index;
}

std::size_t PartitionedIndex::item_bytes() const { return kItemFixedBytes + header_.config.dim; }

std::vector<std::uint32_t> PartitionedIndex::probe_order(const float* query) const {
  const std::size_t dim = header_.config.dim, lists = header_.lists.size();
  std::vector<float> prepared(dim);
  require_finite(query, dim, "query");
  prepare_vector(header_.config.metric, query, prepared.data(), dim);
  const Kernels& kernels = best_kernels();
  std::vector<float> distance(lists);
  for (std::size_t l = 0; l < lists; ++l)
    distance[l] = kernels.l2_squared(prepared.data(), header_.centroids.data() + l * dim, dim);
  std::vector<std::uint32_t> order(lists);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&distance](std::uint32_t a, std::uint32_t b) {
    return distance[a] < distance[b] || (distance[a] == distance[b] && a < b);
  });
  return order;
}

std::string PartitionedIndex::data_file_name(const std::string& header_file_name, std::uint32_t file) {
  std::string stem = header_file_name;
  const std::string extension = ".lkp";
  if (stem.size() > extension.size() && stem.compare(stem.size() - extension.size(), extension.size(), extension) == 0)
    stem.resize(stem.size() - extension.size());
  char number[16];
  std::snprintf(number, sizeof number, ".%04u.bin", file);
  return stem + number;
}

}  // namespace lookalike
