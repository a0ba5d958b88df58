#include "lookalike/index/partitioned_writer.h"

#include <algorithm>

#include "index/bundle_checksum.h"
#include "index/bundle_codes.h"
#include "index/byte_writer.h"
#include "index/float16.h"
#include "index/int8_quantization.h"
#include "index/vector_preparation.h"
#include "lookalike/common/error.h"
#include "lookalike/index/partitioned_format.h"
#include "lookalike/metrics/kernels.h"

namespace lookalike {
namespace {

using namespace partitioned;

[[noreturn]] void bad_argument(const std::string& message) {
  fail(ErrorKind::InvalidArgument, "partitioned index: " + message);
}

}  // namespace

void prepare_for_metric(Metric metric, const float* in, float* out, std::size_t dim) {
  prepare_vector(metric, in, out, dim);
}

std::vector<float> stored_centroids(const std::vector<float>& centroids) {
  std::vector<float> out(centroids.size());
  for (std::size_t i = 0; i < centroids.size(); ++i) out[i] = half_to_float(float_to_half(centroids[i]));
  return out;
}

std::uint32_t nearest_list(Metric metric, const std::vector<float>& centroids, std::size_t dim, const float* vector) {
  std::vector<float> prepared(dim);
  prepare_vector(metric, vector, prepared.data(), dim);
  const Kernels& kernels = best_kernels();
  std::uint32_t best = 0;
  float best_distance = 0;
  for (std::size_t l = 0; l * dim < centroids.size(); ++l) {
    const float d = kernels.l2_squared(prepared.data(), centroids.data() + l * dim, dim);
    if (l == 0 || d < best_distance) {
      best = static_cast<std::uint32_t>(l);
      best_distance = d;
    }
  }
  return best;
}

struct PartitionedWriter::EncodedItem {
  std::uint32_t id;
  Int8Scale scale;
  std::vector<std::int8_t> codes;
};

PartitionedWriter::PartitionedWriter(const IndexConfig& config, std::vector<float> centroids,
                                     const PartitionedParams& params, EmitFile emit)
    : config_(config), centroids_(std::move(centroids)), params_(params), emit_(std::move(emit)) {
  config_.kind = IndexKind::Partitioned;
  config_.element = ElementType::Int8;
  config_.keep_float_vectors = false;
  validate_index_config(config_);
  if (centroids_.empty() || centroids_.size() % config_.dim != 0)
    bad_argument("centroids must be lists × dim floats (" + std::to_string(centroids_.size()) +
                 " floats for dimension " + std::to_string(config_.dim) + ")");
  const std::size_t lists = centroids_.size() / config_.dim;
  if (lists > kMaxLists) bad_argument("at most " + std::to_string(kMaxLists) + " lists");
  require_finite(centroids_.data(), centroids_.size(), "partitioned index: the centroids");
  if (params_.nprobe < 1 || params_.nprobe > lists)
    bad_argument("nprobe " + std::to_string(params_.nprobe) + " must be in [1, " + std::to_string(lists) + "]");
  if (params_.rerank < 1 || params_.rerank > kMaxRerank)
    bad_argument("rerank " + std::to_string(params_.rerank) + " must be in [1, " + std::to_string(kMaxRerank) + "]");
  if (params_.max_file_bytes == 0 || params_.max_file_bytes > kMaxFileBytes) params_.max_file_bytes = kMaxFileBytes;
}

void PartitionedWriter::add_list(const std::uint32_t* ids, const float* vectors, std::size_t count) {
  add_list_updated(PartitionedList(), nullptr, ids, vectors, count);
}

void PartitionedWriter::add_list_updated(const PartitionedList& list, const std::function<bool(std::uint32_t)>& remove,
                                         const std::uint32_t* ids, const float* vectors, std::size_t count) {
  const std::size_t dim = config_.dim;
  if (lists_.size() >= centroids_.size() / dim) bad_argument("more lists than centroids");
  std::vector<EncodedItem> items;
  items.reserve(list.count() + count);
  for (std::size_t i = 0; i < list.count(); ++i) {
    if (remove && remove(list.id(i))) continue;
    items.push_back({list.id(i), {list.offset(i), list.scale(i)}, {list.codes(i), list.codes(i) + dim}});
  }
  std::vector<float> prepared(dim);
  for (std::size_t i = 0; i < count; ++i) {
    const float* v = vectors + i * dim;
    require_finite(v, dim, "partitioned index: the vector of id " + std::to_string(ids[i]));
    prepare_vector(config_.metric, v, prepared.data(), dim);
    EncodedItem item{ids[i], {}, std::vector<std::int8_t>(dim)};
    item.scale = quantize_int8(prepared.data(), dim, item.codes.data());
    items.push_back(std::move(item));
  }
  std::sort(items.begin(), items.end(), [](const EncodedItem& a, const EncodedItem& b) { return a.id < b.id; });
  for (std::size_t i = 1; i < items.size(); ++i)
    if (items[i].id == items[i - 1].id)
      bad_argument("id " + std::to_string(items[i].id) + " appears twice in list " + std::to_string(lists_.size()));
  write_list(items);
}

void PartitionedWriter::write_list(std::vector<EncodedItem>& items) {
  const std::uint64_t bytes = std::uint64_t(items.size()) * (kItemFixedBytes + config_.dim);
  if (bytes > params_.max_file_bytes)
    fail(ErrorKind::TooLarge, "partitioned index: list " + std::to_string(lists_.size()) + " holds " +
                                  std::to_string(items.size()) + " items (" + std::to_string(bytes) +
                                  " bytes), more than one data file may (" + std::to_string(params_.max_file_bytes) +
                                  "); use more lists");
  if (file_bytes_.empty()) file_bytes_.push_back(0);
  if (!items.empty() && file_.size() + bytes > params_.max_file_bytes) {
    flush_file();
    file_bytes_.push_back(0);
  }
  ListLocation where;
  where.file = static_cast<std::uint32_t>(file_bytes_.size() - 1);
  where.count = static_cast<std::uint32_t>(items.size());
  where.offset = file_.size();
  where.bytes = bytes;
  ByteWriter w(file_);
  for (const EncodedItem& item : items) w.u32(item.id);
  for (const EncodedItem& item : items) {
    w.f32(item.scale.offset);
    w.f32(item.scale.scale);
  }
  for (const EncodedItem& item : items) w.bytes(item.codes.data(), item.codes.size());
  where.checksum = bundle_checksum(file_.data() + where.offset, bytes);
  file_bytes_.back() = file_.size();
  lists_.push_back(where);
  items_ += items.size();
}

void PartitionedWriter::flush_file() {
  emit_(static_cast<std::uint32_t>(file_bytes_.size() - 1), file_);
  file_.clear();
}

std::vector<std::uint8_t> PartitionedWriter::finish() {
  const std::size_t lists = centroids_.size() / config_.dim;
  if (lists_.size() != lists)
    bad_argument(std::to_string(lists_.size()) + " lists were written, the centroids make " + std::to_string(lists));
  flush_file();
  std::vector<std::uint8_t> out;
  ByteWriter w(out);
  w.bytes(kMagic.data(), kMagic.size());
  w.u32(kFormatVersion);
  w.u32(static_cast<std::uint32_t>(config_.feature_spec.size()));
  w.u32(config_.feature_version);
  w.u8(bundle::metric_code(config_.metric));
  w.u8(kCentroidFloat16);
  w.u16(0);
  w.u32(config_.dim);
  w.u32(static_cast<std::uint32_t>(lists));
  w.u32(static_cast<std::uint32_t>(file_bytes_.size()));
  w.u32(params_.nprobe);
  w.u32(params_.rerank);
  w.u32(0);
  w.u64(items_);
  w.u64(params_.seed);
  w.bytes(config_.feature_spec.data(), config_.feature_spec.size());
  w.zeros((kHeaderAlignment - out.size() % kHeaderAlignment) % kHeaderAlignment);
  for (const std::uint64_t bytes : file_bytes_) w.u64(bytes);
  for (const ListLocation& l : lists_) {
    w.u32(l.file);
    w.u32(l.count);
    w.u64(l.offset);
    w.u64(l.checksum);
  }
  for (const float c : centroids_) w.u16(float_to_half(c));
  w.u64(bundle_checksum(out.data(), out.size()));
  return out;
}

}  // namespace lookalike
