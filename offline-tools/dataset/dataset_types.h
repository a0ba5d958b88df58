// Small value types shared by the dataset scanner, the manifest and the
// steps that read them (prep, eval, index).
#pragma once

#include <string>

#include "lookalike/index/attribution.h"

namespace lookalike::cli {

// Which side of a train/test split an image is on. None: not split (yet).
enum class Split { None, Train, Test };

const char* split_name(Split split);  // "", "train", "test"
// Accepts "", "train", "test" (any case, surrounding spaces ignored); throws
// Error(InvalidArgument) for anything else, naming the value.
Split parse_split(const std::string& text);

// Where a photo came from and under which licence: the core's one record
// (lookalike/index/attribution.h), as a crawl recorded it.
using lookalike::Attribution;

}  // namespace lookalike::cli
