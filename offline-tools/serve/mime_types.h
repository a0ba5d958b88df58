// Content types by file extension for the static server. Browsers insist on
// some: `application/wasm` for WebAssembly.instantiateStreaming, a JavaScript
// type for module scripts (.js, .mjs) and workers.
#pragma once

#include <filesystem>
#include <string>

namespace lookalike::cli {

// The Content-Type for a file name (extension compared case-insensitively);
// text types carry "; charset=utf-8". Unknown extensions are
// application/octet-stream (never sniffed: the server sends nosniff).
std::string mime_type_for(const std::filesystem::path& file);

// Whether the server may send the file gzip-compressed (Content-Encoding)
// when the browser accepts it: text, scripts, JSON, SVG and the WASM module,
// as static hosts do; never index data, models or images.
bool compressible(const std::filesystem::path& file);

}  // namespace lookalike::cli
