# Header-only dependencies come from Debian packages under /usr/include.
#
# Emscripten's sysroot deliberately excludes /usr/include (it would pull glibc
# headers into the WASM build), so instead of adding /usr/include we build a
# small folder of links to exactly the libraries we use and put that folder on
# the include path of both builds. Sources include them as <stb/stb_image.h>,
# <hnswlib/hnswlib.h>, <nlohmann/json.hpp> and <xxhash.h>.
set(LOOKALIKE_SYSTEM_INCLUDE "/usr/include" CACHE PATH "Where the Debian -dev headers live")
set(LOOKALIKE_DEPS_INCLUDE "${CMAKE_BINARY_DIR}/deps-include")
file(MAKE_DIRECTORY "${LOOKALIKE_DEPS_INCLUDE}")

function(lookalike_link_header name package)
  set(source "${LOOKALIKE_SYSTEM_INCLUDE}/${name}")
  if(NOT EXISTS "${source}")
    message(FATAL_ERROR "Missing ${source}: install the Debian package ${package} (scripts/setup.sh does).")
  endif()
  file(CREATE_LINK "${source}" "${LOOKALIKE_DEPS_INCLUDE}/${name}" SYMBOLIC)
endfunction()

lookalike_link_header(stb libstb-dev)
lookalike_link_header(hnswlib libhnswlib-dev)
lookalike_link_header(nlohmann nlohmann-json3-dev)
lookalike_link_header(xxhash.h libxxhash-dev)

add_library(lookalike_deps INTERFACE)
target_include_directories(lookalike_deps SYSTEM INTERFACE "${LOOKALIKE_DEPS_INCLUDE}")
