// Build a flat (exact) index of colour histograms and search it, with the
// core's public API alone: features, the vector index and its bundle.
//
//   search_flat_index [OUT.lkx]     OUT.lkx: where to save the index (read it with read_bundle)
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <vector>

#include "lookalike/common/error.h"
#include "lookalike/features/feature.h"
#include "lookalike/image/image.h"
#include "lookalike/index/vector_index.h"

using namespace lookalike;

namespace {

// A picture whose colours depend on its number: picture 42 is found first
// among 200 when it is the query.
Image tinted_picture(int i) {
  Image image(64, 48);
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x) {
      std::uint8_t* p = image.at(x, y);
      p[0] = std::uint8_t((i * 7 + x) % 256);
      p[1] = std::uint8_t((i * 3 + y) % 256);
      p[2] = std::uint8_t(255 - (i * 29) % 256);
    }
  return image;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    // A traditional feature by its spec; the index records the canonical one.
    const auto feature = make_feature("colour");
    IndexConfig config;
    config.feature_spec = feature->spec();
    config.dim = static_cast<std::uint32_t>(feature->dim());
    config.metric = Metric::L1;
    config.kind = IndexKind::Flat;  // exact: the ground truth for HNSW
    VectorIndex index(config);
    for (std::uint32_t id = 0; id < 200; ++id) index.add(id, feature->compute(tinted_picture(int(id))).data());

    SearchOptions options;
    options.k = 5;
    const std::vector<float> query = feature->compute(tinted_picture(42));
    std::printf("%s, %s, %zu items; the 5 nearest to picture 42:\n", config.feature_spec.c_str(),
                metric_name(config.metric), index.size());
    for (const Hit& hit : index.search(query.data(), options)) std::printf("  id %3u  L1 %.4f\n", hit.id, hit.score);

    if (argc > 1) {
      const std::vector<std::uint8_t> bundle = index.save();
      std::ofstream(argv[1], std::ios::binary).write(reinterpret_cast<const char*>(bundle.data()), bundle.size());
      std::printf("saved %zu bytes to %s\n", bundle.size(), argv[1]);
    }
    return 0;
  } catch (const Error& e) {
    std::fprintf(stderr, "search_flat_index: %s\n", e.what());
    return 1;
  }
}
