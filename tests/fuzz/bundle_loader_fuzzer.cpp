// libFuzzer target: any byte sequence given to VectorIndex::load either loads
// or throws lookalike::Error; it never crashes, trips a sanitizer, or
// allocates without bound. What loads must also work: it saves back to a
// bundle of the same size that saves to itself (the format is canonical; in
// this build the loader ignores checksums, so the input's may differ), and
// search, search_by_id, remove and add run on it.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "lookalike/common/error.h"
#include "lookalike/index/vector_index.h"

using namespace lookalike;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    VectorIndex index = VectorIndex::load(data, size);
    const std::vector<std::uint8_t> again = index.save();
    if (again.size() != size) __builtin_trap();
    if (VectorIndex::load(again.data(), again.size()).save() != again) __builtin_trap();

    std::vector<float> query(index.config().dim, 0.25f);
    query[0] = 1.0f;
    SearchOptions options;
    options.k = 5;
    index.search(query.data(), options);
    options.accept = [](std::uint32_t id) { return id % 2 == 0; };
    index.search(query.data(), options);

    const std::vector<std::uint32_t> ids = index.ids();
    if (!ids.empty()) {
      index.search_by_id(ids.front(), {});
      index.remove(ids.front());
    }
    // A new id, or one that was removed (hnswlib's update path).
    const std::uint32_t fresh = ids.empty() ? 0 : ids.back() + 1;
    if (!index.contains(fresh)) index.add(fresh, query.data());
    if (index.search(query.data(), {}).empty()) __builtin_trap();
  } catch (const Error&) {}
  return 0;
}
