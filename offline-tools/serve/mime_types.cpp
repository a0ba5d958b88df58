#include "serve/mime_types.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "common/text.h"

namespace lookalike::cli {

namespace {

struct ContentType {
  std::string mime;
  bool compressible;  // text, scripts, JSON, SVG and the WASM module shrink severalfold under gzip
};

const ContentType& content_type_for(const std::filesystem::path& file) {
  // Index data (.lkx, .lkp, .bin), models and images: never compressed, so
  // a Range request gets exactly the bytes it asked for (docs/FORMAT.md).
  static const ContentType unknown{"application/octet-stream", false};
  static const std::map<std::string, ContentType> types = {
      {".html", {"text/html; charset=utf-8", true}},
      {".htm", {"text/html; charset=utf-8", true}},
      {".js", {"text/javascript; charset=utf-8", true}},
      {".mjs", {"text/javascript; charset=utf-8", true}},
      {".cjs", {"text/javascript; charset=utf-8", true}},
      {".css", {"text/css; charset=utf-8", true}},
      {".json", {"application/json; charset=utf-8", true}},
      {".jsonl", {"application/x-ndjson; charset=utf-8", true}},
      {".map", {"application/json; charset=utf-8", true}},
      {".webmanifest", {"application/manifest+json; charset=utf-8", true}},
      {".txt", {"text/plain; charset=utf-8", true}},
      {".md", {"text/markdown; charset=utf-8", true}},
      {".csv", {"text/csv; charset=utf-8", true}},
      {".xml", {"application/xml; charset=utf-8", true}},
      {".wasm", {"application/wasm", true}},
      {".onnx", {"application/octet-stream", false}},
      {".gz", {"application/gzip", false}},  // as stored: never with Content-Encoding (the page checks the gzip bytes)
      {".ort", {"application/octet-stream", false}},
      {".lkx", {"application/octet-stream", false}},
      {".bin", {"application/octet-stream", false}},
      {".data", {"application/octet-stream", false}},
      {".jpg", {"image/jpeg", false}},
      {".jpeg", {"image/jpeg", false}},
      {".png", {"image/png", false}},
      {".gif", {"image/gif", false}},
      {".bmp", {"image/bmp", false}},
      {".webp", {"image/webp", false}},
      {".avif", {"image/avif", false}},
      {".svg", {"image/svg+xml", true}},
      {".ico", {"image/x-icon", false}},
      {".woff", {"font/woff", false}},
      {".woff2", {"font/woff2", false}},
      {".ttf", {"font/ttf", false}},
      {".pdf", {"application/pdf", false}},
  };
  const auto it = types.find(lower_ascii(file.extension().string()));
  return it == types.end() ? unknown : it->second;
}

}  // namespace

std::string mime_type_for(const std::filesystem::path& file) { return content_type_for(file).mime; }

bool compressible(const std::filesystem::path& file) { return content_type_for(file).compressible; }

}  // namespace lookalike::cli
