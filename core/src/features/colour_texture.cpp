#include "features/colour_texture.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "features/colour_histogram.h"
#include "features/local_binary_pattern.h"
#include "lookalike/common/error.h"
#include "lookalike/image/resize.h"

namespace lookalike {
namespace {

// HSV 8×4×4 for the context histogram; the layout grid merges it to 8×2×2.
constexpr int kHueBins = 8, kSaturationBins = 4, kValueBins = 4;
constexpr int kColourBins = kHueBins * kSaturationBins * kValueBins;  // 128
constexpr int kLayoutBins = kHueBins * 2 * 2;                         // 32
constexpr int kLayoutGrid = 3;
constexpr int kTextureLevels = 4;
constexpr std::int32_t kLbpThreshold = 2;  // grey levels, per original pixel

constexpr std::size_t kContextSize = 2 * kColourBins;
constexpr std::size_t kLayoutSize = kLayoutGrid * kLayoutGrid * kLayoutBins;
constexpr std::size_t kLayoutOffset = kContextSize;
constexpr std::size_t kTextureOffset = kLayoutOffset + kLayoutSize;
static_assert(kTextureOffset + kTextureLevels * kUniformLbpBins == ColourTextureFeature::kDim, "block layout");

constexpr std::array<ColourTextureFeature::Block, 6> kBlocks = {{
    {"colour-context", 0, kContextSize, 1, 1.0f},
    {"layout", kLayoutOffset, kLayoutSize, kLayoutGrid* kLayoutGrid, 0.5f},
    {"texture-1", kTextureOffset + 0 * kUniformLbpBins, kUniformLbpBins, 1, 1.5f},
    {"texture-2", kTextureOffset + 1 * kUniformLbpBins, kUniformLbpBins, 1, 1.5f},
    {"texture-4", kTextureOffset + 2 * kUniformLbpBins, kUniformLbpBins, 1, 1.5f},
    {"texture-8", kTextureOffset + 3 * kUniformLbpBins, kUniformLbpBins, 1, 1.5f},
}};

// The image the descriptor looks at: `image` itself, or its box-filter
// reduction (kept in `storage`) when the longer side exceeds kWorkingSide.
const Image& working_image(const Image& image, Image& storage) {
  const long long longer = std::max(image.width, image.height);
  if (longer <= ColourTextureFeature::kWorkingSide) return image;
  auto scaled = [&](long long side) {
    return static_cast<int>(std::max(1LL, (side * ColourTextureFeature::kWorkingSide + longer / 2) / longer));
  };
  storage = resize(image, scaled(image.width), scaled(image.height), ResizeFilter::Box);
  return storage;
}

// Interior pixels (all four neighbours, clamped at the border, in the same
// bin) count in [0, 128), border pixels in [128, 256).
void accumulate_colour_context(const std::vector<std::uint8_t>& bins, int w, int h, std::uint32_t* counts) {
  for (int y = 0; y < h; ++y) {
    const std::uint8_t* up = bins.data() + std::size_t(y > 0 ? y - 1 : 0) * w;
    const std::uint8_t* mid = bins.data() + std::size_t(y) * w;
    const std::uint8_t* down = bins.data() + std::size_t(y + 1 < h ? y + 1 : h - 1) * w;
    for (int x = 0; x < w; ++x) {
      const int l = x > 0 ? x - 1 : 0, r = x + 1 < w ? x + 1 : w - 1;
      const std::uint8_t b = mid[x];
      const bool interior = up[x] == b && down[x] == b && mid[l] == b && mid[r] == b;
      ++counts[(interior ? 0 : kColourBins) + b];
    }
  }
}

// Cell bounds that are never empty, even for images narrower than the grid.
std::pair<int, int> cell_range(int cell, int side) {
  const int begin = std::min(cell * side / kLayoutGrid, side - 1);
  return {begin, std::max(begin + 1, (cell + 1) * side / kLayoutGrid)};
}

void accumulate_layout(const std::vector<std::uint8_t>& bins, int w, int h, std::uint32_t* counts) {
  for (int gy = 0; gy < kLayoutGrid; ++gy) {
    const auto rows = cell_range(gy, h);
    for (int gx = 0; gx < kLayoutGrid; ++gx) {
      const auto cols = cell_range(gx, w);
      std::uint32_t* cell = counts + (gy * kLayoutGrid + gx) * kLayoutBins;
      for (int y = rows.first; y < rows.second; ++y) {
        const std::uint8_t* row = bins.data() + std::size_t(y) * w;
        for (int x = cols.first; x < cols.second; ++x) {
          const int b = row[x];  // (h·4 + s)·4 + v  →  (h·2 + s/2)·2 + v/2
          ++cell[((b >> 4) * 2 + ((b >> 2) & 3) / 2) * 2 + (b & 3) / 2];
        }
      }
    }
  }
}

// counts → L1-normalised (each cell on its own, so that every cell of the
// layout grid weighs the same whatever its pixel count) → x^0.375 → unit L2
// norm → × weight.
void finish_block(const std::uint32_t* counts, const ColourTextureFeature::Block& block, float* out) {
  const std::size_t cells = block.cells;
  const std::size_t cell_size = block.size / cells;
  double squares = 0.0;
  for (std::size_t cell = 0; cell < cells; ++cell) {
    const std::uint32_t* c = counts + cell * cell_size;
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < cell_size; ++i) total += c[i];
    if (total == 0) continue;  // cannot happen: every cell counts at least one pixel
    const double denominator = double(total) * double(cells);
    for (std::size_t i = 0; i < cell_size; ++i) {
      const float share = float(double(c[i]) / denominator);
      const float root = std::sqrt(share);
      const float compressed = std::sqrt(root * std::sqrt(root));
      out[cell * cell_size + i] = compressed;
      squares += double(compressed) * compressed;
    }
  }
  if (squares == 0.0) return;
  const double scale = double(block.weight) / std::sqrt(squares);
  for (std::size_t i = 0; i < block.size; ++i) out[i] = float(out[i] * scale);
}

}  // namespace

const std::array<ColourTextureFeature::Block, 6>& ColourTextureFeature::blocks() { return kBlocks; }

std::vector<float> ColourTextureFeature::compute(const Image& input) const {
  if (input.empty()) fail(ErrorKind::InvalidArgument, "feature colour-texture: empty image");
  if (input.rgb.size() != input.pixel_count() * 3)
    fail(ErrorKind::InvalidArgument, "feature colour-texture: image buffer does not match its size");
  Image reduced;
  const Image& image = working_image(input, reduced);
  const int w = image.width, h = image.height;

  std::vector<std::uint8_t> bins(image.pixel_count());
  const std::uint8_t* p = image.rgb.data();
  for (std::uint8_t& b : bins) {
    b = static_cast<std::uint8_t>(hsv_bin(p, kHueBins, kSaturationBins, kValueBins));
    p += 3;
  }

  std::vector<std::uint32_t> counts(kDim, 0);
  accumulate_colour_context(bins, w, h, counts.data() + kBlocks[0].offset);
  accumulate_layout(bins, w, h, counts.data() + kBlocks[1].offset);
  GreyPlane grey = grey_plane(image);
  std::int32_t threshold = kLbpThreshold;
  for (int level = 0; level < kTextureLevels; ++level) {
    if (level > 0) {
      grey = halve(grey);
      threshold *= 4;  // pyramid values are sums of 4^level pixels
    }
    accumulate_uniform_lbp(grey, threshold, counts.data() + kBlocks[2 + level].offset);
  }

  std::vector<float> vector(kDim, 0.0f);
  for (const Block& block : kBlocks) finish_block(counts.data() + block.offset, block, vector.data() + block.offset);
  return vector;
}

}  // namespace lookalike
