# Flags shared by every target of the project.
#
# -ffp-contract=off: the core is compiled twice (g++ and Emscripten) and must
# give the same pixels and tensors on both sides; fused multiply-adds would
# round differently, so they are off everywhere.
add_library(lookalike_flags INTERFACE)
target_compile_options(lookalike_flags INTERFACE -Wall -Wextra -ffp-contract=off)
if(EMSCRIPTEN)
  # WASM SIMD for the metric kernels; native wasm exceptions so that the
  # wasm/ layer can catch core errors and hand JavaScript their message.
  target_compile_options(lookalike_flags INTERFACE -msimd128 -fwasm-exceptions)
  target_link_options(lookalike_flags INTERFACE -msimd128 -fwasm-exceptions)
endif()

option(LOOKALIKE_SANITIZE "Build with AddressSanitizer and UBSan" OFF)
if(LOOKALIKE_SANITIZE)
  target_compile_options(lookalike_flags INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(lookalike_flags INTERFACE -fsanitize=address,undefined)
endif()
