// A feature turns an upright RGB image into a fixed-length float vector.
//
// Each feature has a name, a canonical spec with every parameter spelled out
// ("colour:bins=8x4x4"), a version bumped whenever its output changes, and a
// dimension. Bundles record all three, so a query is always described by the
// same feature as the index it searches.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "lookalike/image/decode_need.h"
#include "lookalike/image/image.h"

namespace lookalike {

class Feature {
 public:
  virtual ~Feature() = default;
  virtual std::string name() const = 0;
  virtual std::string spec() const = 0;
  virtual int version() const = 0;
  virtual std::size_t dim() const = 0;
  // Returns dim() floats. Throws Error(InvalidArgument) for an empty image.
  virtual std::vector<float> compute(const Image& image) const = 0;
  // The least of the image compute() looks at (decode_need.h): callers decode
  // with it, so a large photo is reduced on the way, the same way everywhere.
  virtual DecodeNeed decode_need() const = 0;
};

// Builds a traditional feature from a spec: "pixels", "pixels:size=32",
// "colour", "colour:bins=16x4x4", "colour-texture". Throws Error naming the
// unknown feature, parameter or value.
std::unique_ptr<Feature> make_feature(const std::string& spec);

// The traditional features' names, in the order tools list them.
std::vector<std::string> traditional_feature_names();

// A file-name-safe form of a canonical spec: the name alone when every
// parameter has its default, otherwise name-value-value ("pixels-32").
std::string feature_slug(const std::string& spec);

}  // namespace lookalike
