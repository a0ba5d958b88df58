// Read an index bundle (.lkx, docs/FORMAT.md) as the page does: everything
// is validated first, and a damaged file gives a precise message instead of
// a crash. Then "more like this" for its first item.
//
//   read_bundle BUNDLE.lkx
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

#include "lookalike/common/error.h"
#include "lookalike/index/vector_index.h"

using namespace lookalike;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: read_bundle BUNDLE.lkx\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "read_bundle: cannot open %s\n", argv[1]);
    return 1;
  }
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    const VectorIndex index = VectorIndex::load(bytes.data(), bytes.size());
    const IndexConfig& c = index.config();
    std::printf("%s: %s index of %zu %u-d %s vectors, feature %s (version %u), metric %s\n", argv[1],
                index_kind_name(c.kind), index.size(), c.dim, element_type_name(c.element), c.feature_spec.c_str(),
                c.feature_version, metric_name(c.metric));
    if (index.size() == 0) return 0;
    const std::uint32_t first = index.ids().front();
    SearchOptions options;
    options.k = 3;
    std::printf("more like item %u:\n", first);
    for (const Hit& hit : index.search_by_id(first, options))
      std::printf("  id %u  %s %.4f\n", hit.id, metric_name(c.metric), hit.score);
    return 0;
  } catch (const Error& e) {
    std::fprintf(stderr, "read_bundle: %s: %s\n", argv[1], e.what());
    return 1;
  }
}
