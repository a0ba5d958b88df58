// The longer side the traditional features need of a decoded image.
//
// colour-texture reduces every larger image to it (box filter) so that its
// texture scales mean the same on a phone photo as on a thumbnail; a colour
// histogram's shares barely move when an image is averaged down to it (over
// 100 000 pixels for 128 bins); pixels averages down to S × S anyway. 384 is
// the longer side of WANG's photos, which are therefore never reduced. One
// value for all three means the CLI decodes a photo once for every
// traditional feature (decode_need.h: the same need, the same reduction).
#pragma once

namespace lookalike {

constexpr int kTraditionalWorkingSide = 384;

}  // namespace lookalike
