#include "index/bundle_writer.h"

#include "index/bundle_checksum.h"
#include "index/bundle_codes.h"
#include "lookalike/common/error.h"

namespace lookalike {

BundleWriter::BundleWriter(const IndexConfig& config, std::uint32_t element_count, std::uint32_t live_count,
                           std::vector<bundle::Section> sections)
    : sections_(std::move(sections)) {
  using namespace bundle;
  ByteWriter w(out_);
  const std::size_t spec_bytes = config.feature_spec.size();
  table_offset_ = kFixedHeaderBytes + spec_bytes;
  header_bytes_ = table_offset_ + sections_.size() * kSectionEntryBytes + kChecksumBytes;
  w.bytes(kMagic.data(), kMagic.size());
  w.u32(kFormatVersion);
  w.u32(static_cast<std::uint32_t>(header_bytes_));
  w.u32(static_cast<std::uint32_t>(spec_bytes));
  w.u32(config.feature_version);
  w.u8(metric_code(config.metric));
  w.u8(kind_code(config.kind));
  w.u8(element_code(config.element));
  w.u8(config.keep_float_vectors ? kFlagFloatVectors : 0);
  w.u32(config.dim);
  w.u32(element_count);
  w.u32(live_count);
  w.u32(config.hnsw.m);
  w.u32(config.hnsw.ef_construction);
  w.u32(config.hnsw.ef_search);
  w.u32(static_cast<std::uint32_t>(sections_.size()));
  w.u64(config.hnsw.seed);
  w.u32(0);  // reserved
  w.bytes(config.feature_spec.data(), spec_bytes);
  for (const Section s : sections_) {
    w.bytes(kSectionTags[static_cast<std::size_t>(s)], 4);
    w.zeros(kSectionEntryBytes - 4);  // reserved, offset, length, checksum: patched later
  }
  w.zeros(kChecksumBytes);
}

void BundleWriter::section(bundle::Section section, const std::function<void(ByteWriter&)>& fill) {
  using namespace bundle;
  if (next_ >= sections_.size() || sections_[next_] != section)
    fail(ErrorKind::InvalidArgument, "bundle writer: section written out of the declared order");
  ByteWriter w(out_);
  w.zeros((kSectionAlignment - out_.size() % kSectionAlignment) % kSectionAlignment);
  const std::size_t offset = out_.size();
  fill(w);
  const std::size_t length = out_.size() - offset;
  const std::size_t entry = table_offset_ + next_ * kSectionEntryBytes;
  w.patch_u64(entry + 8, offset);
  w.patch_u64(entry + 16, length);
  w.patch_u64(entry + 24, bundle_checksum(out_.data() + offset, length));
  ++next_;
}

std::vector<std::uint8_t> BundleWriter::finish() {
  if (next_ != sections_.size()) fail(ErrorKind::InvalidArgument, "bundle writer: declared sections are missing");
  const std::size_t checked = header_bytes_ - bundle::kChecksumBytes;
  ByteWriter(out_).patch_u64(checked, bundle_checksum(out_.data(), checked));
  return std::move(out_);
}

}  // namespace lookalike
