// How small a decoded image may be: the least its consumer needs (a model
// card's resize, a feature's working size, a thumbnail). A 12-megapixel photo
// that a model sees at 224×224 need not be decoded at 4032×3024: decode_image
// reduces it on the way (a JPEG in the DCT domain, then any format with an
// integer area filter) by the largest factor that keeps every bound of the
// consumer's need, and the consumer's own resize does the rest.
//
// A need is a pure function of the consumer (never of the caller), so the
// CLI and the page, asking for the same card or feature, decode the same
// file to the same pixels.
#pragma once

namespace lookalike {

struct DecodeNeed {
  int shorter_side = 0;  // the decoded image's shorter side stays at least this
  int longer_side = 0;   // and its longer side at least this; both 0: the full image

  bool full_size() const { return shorter_side <= 0 && longer_side <= 0; }
  bool operator==(const DecodeNeed& other) const {
    return shorter_side == other.shorter_side && longer_side == other.longer_side;
  }
  bool operator!=(const DecodeNeed& other) const { return !(*this == other); }
};

// Consumers that resample with an interpolating filter (bilinear, bicubic)
// ask for this many times the size they resize to: their filter then still
// does most of the reduction, and the result stays within a fraction of a
// pixel level of a full-size decode followed by the same resize
// (docs/BENCHMARKS.md, decode_bench). Area-averaging consumers (box filter,
// histograms) need no margin: averaging composes.
constexpr int kInterpolationMargin = 2;

// Reductions stop at this factor (a 16-megapixel photo to 15×12 pixels).
constexpr int kMaxReduction = 256;

// The largest factor, at most kMaxReduction, by which an image of width ×
// height may be reduced for `need` (each side becomes ceil(side / factor));
// 1 means full size.
int reduction_factor(int width, int height, const DecodeNeed& need);

// A side of length `side` reduced by `factor`: ceil(side / factor), as the
// JPEG decoder's scaled output and the area filter both round.
int reduced_side(int side, int factor);

}  // namespace lookalike
