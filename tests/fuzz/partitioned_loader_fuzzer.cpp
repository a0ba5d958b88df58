// libFuzzer target: a partitioned index's header and lists from arbitrary
// bytes either load or throw lookalike::Error; never a crash, a sanitizer
// finding or an allocation out of proportion to the bytes. An input is
//   u32 n, then n bytes of header, then the bytes of data file 0
// (make_partitioned_corpus writes valid ones). Every list of file 0 that
// lies inside the input is parsed, and a search runs over whatever loaded.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "lookalike/common/error.h"
#include "lookalike/index/partitioned_index.h"

using namespace lookalike;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  std::uint32_t header_bytes;
  std::memcpy(&header_bytes, data, 4);
  if (header_bytes > size - 4) return 0;
  const std::uint8_t* header = data + 4;
  const std::uint8_t* file = header + header_bytes;
  const std::size_t file_bytes = size - 4 - header_bytes;
  try {
    const PartitionedIndex index = PartitionedIndex::load_header(header, header_bytes);
    std::vector<float> query(index.config().dim, 0.25f);
    query[0] = 1.0f;
    PartitionedSearchOptions options;
    options.k = 5;
    options.accept = [](std::uint32_t id) { return id % 2 == 0; };
    PartitionedSearch search(index, query.data(), options);
    while (!search.done()) {
      const std::vector<std::uint32_t> wanted = search.wanted();
      for (const std::uint32_t l : wanted) {
        const ListLocation& where = index.header().lists[l];
        if (where.file != 0 || where.offset > file_bytes || where.bytes > file_bytes - where.offset) return 0;
        const PartitionedList list = PartitionedList::parse(index, l, file + where.offset, where.bytes);
        if (list.count() > 0 && !list.find(list.id(0))) __builtin_trap();
        search.score(list);
      }
    }
    search.hits();
  } catch (const Error&) {}
  return 0;
}
