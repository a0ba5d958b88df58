// Writes a bundle (index/bundle_format.h, docs/FORMAT.md): the header from an
// index config, then each declared section in order, each filled by a
// callback; checksums and the section table are completed by finish().
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "index/byte_writer.h"
#include "lookalike/index/bundle_format.h"
#include "lookalike/index/index_config.h"

namespace lookalike {

class BundleWriter {
 public:
  BundleWriter(const IndexConfig& config, std::uint32_t element_count, std::uint32_t live_count,
               std::vector<bundle::Section> sections);

  // Writes the next declared section; `fill` appends exactly its bytes.
  void section(bundle::Section section, const std::function<void(ByteWriter&)>& fill);
  std::vector<std::uint8_t> finish();

 private:
  std::vector<bundle::Section> sections_;
  std::size_t next_ = 0;
  std::size_t table_offset_ = 0;
  std::size_t header_bytes_ = 0;
  std::vector<std::uint8_t> out_;
};

}  // namespace lookalike
