#include "serve/mime_types.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "common/text.h"

namespace lookalike::cli {

std::string mime_type_for(const std::filesystem::path& file) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".cjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".jsonl", "application/x-ndjson; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".webmanifest", "application/manifest+json; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".md", "text/markdown; charset=utf-8"},
      {".csv", "text/csv; charset=utf-8"},
      {".xml", "application/xml; charset=utf-8"},
      {".wasm", "application/wasm"},
      {".onnx", "application/octet-stream"},
      {".gz", "application/gzip"},  // as stored: never with Content-Encoding (the page checks the gzip bytes)
      {".ort", "application/octet-stream"},
      {".lkx", "application/octet-stream"},
      {".bin", "application/octet-stream"},
      {".data", "application/octet-stream"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".png", "image/png"},
      {".gif", "image/gif"},
      {".bmp", "image/bmp"},
      {".webp", "image/webp"},
      {".avif", "image/avif"},
      {".svg", "image/svg+xml"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".pdf", "application/pdf"},
  };
  const std::string ext = lower_ascii(file.extension().string());
  const auto it = types.find(ext);
  return it == types.end() ? "application/octet-stream" : it->second;
}

}  // namespace lookalike::cli
