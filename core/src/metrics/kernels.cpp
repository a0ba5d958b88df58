// Chooses the kernel set for this machine once, at first use.
#include "lookalike/metrics/kernels.h"

namespace lookalike {

#if defined(__EMSCRIPTEN__)
const Kernels& simd128_kernels();
#elif defined(__x86_64__) || defined(_M_X64)
const Kernels& sse2_kernels();
const Kernels& avx2_kernels();
namespace {
bool cpu_has_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}
}  // namespace
#endif

std::vector<const Kernels*> available_kernels() {
  std::vector<const Kernels*> sets{&scalar_kernels()};
#if defined(__EMSCRIPTEN__)
  sets.push_back(&simd128_kernels());
#elif defined(__x86_64__) || defined(_M_X64)
  sets.push_back(&sse2_kernels());
  if (cpu_has_avx2()) sets.push_back(&avx2_kernels());
#endif
  return sets;
}

const Kernels& best_kernels() {
  static const Kernels* best = available_kernels().back();
  return *best;
}

}  // namespace lookalike
