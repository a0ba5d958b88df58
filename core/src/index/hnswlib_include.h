// The one way the core includes hnswlib (private to core/index).
//
// NO_MANUAL_VECTORIZATION keeps hnswlib's own SSE/AVX code out: it does not
// compile for WebAssembly, its hnswlib.h then defines non-inline functions
// (cpuid, AVXCapable) that would clash between translation units, and the
// index never uses hnswlib's spaces anyway: its distances come from the
// core's kernels (index/element_distance.h). hnswlib forgets a few includes
// of its own, supplied here.
#pragma once

#ifndef NO_MANUAL_VECTORIZATION
#define NO_MANUAL_VECTORIZATION
#endif

#include <cstddef>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include <hnswlib/hnswlib.h>
