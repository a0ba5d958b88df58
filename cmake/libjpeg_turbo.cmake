# libjpeg-turbo, built from Debian's source package for whichever target this
# tree builds (g++, clang for the fuzzer, Emscripten), so that the CLI and the
# page decode JPEG with the very same code: its integer IDCT (full and
# reduced scales), upsampling and colour conversion give identical pixels on
# both sides. Its SIMD code is left out on purpose: the x86 assembly has no
# WebAssembly counterpart, and one C path everywhere is what parity needs.
#
# scripts/setup.sh unpacks the source (apt-get source, Debian's patches
# applied) into build/deps-src/libjpeg-turbo; the library is built once per
# build folder (ExternalProject) and kept there, so rebuilds cost nothing.
# The target lookalike_libjpeg gives the static library and its four public
# headers (jpeglib.h, jconfig.h, jmorecfg.h, jerror.h), nothing else of the
# source tree.
include(ExternalProject)

set(LOOKALIKE_LIBJPEG_TURBO_SOURCE "${CMAKE_SOURCE_DIR}/build/deps-src/libjpeg-turbo"
    CACHE PATH "Debian's libjpeg-turbo source (scripts/setup.sh unpacks it there)")
if(NOT EXISTS "${LOOKALIKE_LIBJPEG_TURBO_SOURCE}/jpeglib.h")
  message(FATAL_ERROR "Missing Debian's libjpeg-turbo source in ${LOOKALIKE_LIBJPEG_TURBO_SOURCE}: "
                      "run scripts/setup.sh (it adds a deb-src entry and runs apt-get source libjpeg-turbo).")
endif()

set(_jpeg_prefix "${CMAKE_BINARY_DIR}/libjpeg-turbo")
set(_jpeg_include "${_jpeg_prefix}/include")
set(_jpeg_library "${_jpeg_prefix}/lib/${CMAKE_STATIC_LIBRARY_PREFIX}jpeg${CMAKE_STATIC_LIBRARY_SUFFIX}")
file(MAKE_DIRECTORY "${_jpeg_include}" "${_jpeg_prefix}/lib")

# The core throws its Error from libjpeg's error callback, through libjpeg's
# own frames: natively they need unwind tables (-fexceptions); WebAssembly
# exceptions unwind any frame. -ffp-contract=off as for the core (libjpeg's
# default paths are integer, but nothing is left to chance).
set(_jpeg_c_flags "-ffp-contract=off")
if(EMSCRIPTEN)
  # WebAssembly has 64-bit integers and 32-bit pointers, which is Linux's
  # x32 ABI, for which libjpeg-turbo keeps its Huffman bit buffer 64 bits
  # wide (jdhuff.h, jchuff.c); these two macros select that path (they are
  # tested nowhere else in its C sources). Left at 32 bits, entropy decoding,
  # most of a large photo's decode, takes about a quarter longer. The pixels
  # are the same either way (tests/wasm, tests/browser compare them).
  string(APPEND _jpeg_c_flags " -D__x86_64__ -D__ILP32__")
else()
  string(APPEND _jpeg_c_flags " -fexceptions")
endif()
if(LOOKALIKE_SANITIZE)
  string(APPEND _jpeg_c_flags " -fsanitize=address,undefined -fno-omit-frame-pointer")
endif()
if(LOOKALIKE_BUILD_FUZZ)
  # Instrumented like the core, so the decoder fuzzer sees inside libjpeg.
  string(APPEND _jpeg_c_flags " -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
                              " -fno-omit-frame-pointer")
endif()

# Position-independent natively, as the core is; not in WebAssembly, where it
# would make every access to libjpeg's tables go through the memory base.
if(EMSCRIPTEN)
  set(_jpeg_pic OFF)
else()
  set(_jpeg_pic ON)
endif()
set(_jpeg_cmake_args
    -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_C_COMPILER=${CMAKE_C_COMPILER}
    "-DCMAKE_C_FLAGS=${_jpeg_c_flags}"
    -DCMAKE_POSITION_INDEPENDENT_CODE=${_jpeg_pic}
    -DENABLE_SHARED=OFF
    -DENABLE_STATIC=ON
    -DWITH_SIMD=OFF
    -DWITH_TURBOJPEG=OFF
    -DWITH_JAVA=OFF
    -DWITH_FUZZ=OFF)
if(CMAKE_TOOLCHAIN_FILE)
  list(APPEND _jpeg_cmake_args "-DCMAKE_TOOLCHAIN_FILE=${CMAKE_TOOLCHAIN_FILE}")
endif()
if(EMSCRIPTEN)
  # check_type_size cannot run its probe under Emscripten 3.1.6 and reports
  # 1 byte, which leaves libjpeg's Huffman bit buffer undefined; wasm32's
  # sizes, given.
  list(APPEND _jpeg_cmake_args -DHAVE_SIZE_T=TRUE -DSIZE_T=4 -DHAVE_UNSIGNED_LONG=TRUE -DUNSIGNED_LONG=4)
endif()
if(CMAKE_C_COMPILER_LAUNCHER)
  list(APPEND _jpeg_cmake_args "-DCMAKE_C_COMPILER_LAUNCHER=${CMAKE_C_COMPILER_LAUNCHER}")
endif()

ExternalProject_Add(
  libjpeg_turbo_build
  SOURCE_DIR "${LOOKALIKE_LIBJPEG_TURBO_SOURCE}"
  BINARY_DIR "${_jpeg_prefix}/build"
  STAMP_DIR "${_jpeg_prefix}/stamp"
  TMP_DIR "${_jpeg_prefix}/tmp"
  CMAKE_ARGS ${_jpeg_cmake_args}
  BUILD_COMMAND ${CMAKE_COMMAND} --build <BINARY_DIR> --target jpeg-static
  INSTALL_COMMAND
    ${CMAKE_COMMAND} -E copy_if_different <BINARY_DIR>/${CMAKE_STATIC_LIBRARY_PREFIX}jpeg${CMAKE_STATIC_LIBRARY_SUFFIX}
    "${_jpeg_library}"
  COMMAND ${CMAKE_COMMAND} -E copy_if_different <BINARY_DIR>/jconfig.h <SOURCE_DIR>/jpeglib.h <SOURCE_DIR>/jmorecfg.h
          <SOURCE_DIR>/jerror.h "${_jpeg_include}"
  BUILD_BYPRODUCTS "${_jpeg_library}"
  # The build reads the source tree, never writes it; no download, no update.
  DOWNLOAD_COMMAND ""
  UPDATE_COMMAND ""
  LOG_CONFIGURE ON
  LOG_BUILD ON
  LOG_OUTPUT_ON_FAILURE ON)

add_library(lookalike_libjpeg STATIC IMPORTED GLOBAL)
set_target_properties(lookalike_libjpeg PROPERTIES IMPORTED_LOCATION "${_jpeg_library}"
                                                   INTERFACE_INCLUDE_DIRECTORIES "${_jpeg_include}"
                                                   INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${_jpeg_include}")
add_dependencies(lookalike_libjpeg libjpeg_turbo_build)
