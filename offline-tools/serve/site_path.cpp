#include "serve/site_path.h"

#include <cctype>
#include <cstring>

namespace lookalike::cli {
namespace {

// True when `path` is `root` or lies below it, compared component by
// component (a plain prefix test would accept /site-other for /site).
bool inside(const fs::path& root, const fs::path& path) {
  auto r = root.begin(), p = path.begin();
  for (; r != root.end(); ++r, ++p) {
    if (r->empty()) continue;  // a trailing separator of the root
    if (p == path.end() || *r != *p) return false;
  }
  return true;
}

}  // namespace

SitePath resolve_site_path(const fs::path& root, const std::string& url_path) {
  SitePath out;
  if (url_path.empty() || url_path[0] != '/') {
    out.status = SitePath::Status::BadRequest;
    out.reason = "the path does not start with /";
    return out;
  }
  if (url_path.find('\0') != std::string::npos || url_path.find('\\') != std::string::npos) {
    out.status = SitePath::Status::Forbidden;
    out.reason = "NUL or backslash in the path";
    return out;
  }
  std::size_t start = 1;
  while (start <= url_path.size()) {
    std::size_t end = url_path.find('/', start);
    if (end == std::string::npos) end = url_path.size();
    const std::string segment = url_path.substr(start, end - start);
    start = end + 1;
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      out.status = SitePath::Status::Forbidden;
      out.reason = "the path leaves the served folder";
      return out;
    }
    if (segment[0] == '.' && segment != ".well-known") {
      out.status = SitePath::Status::NotFound;
      out.reason = "hidden files are not served";
      return out;
    }
    out.segments.push_back(segment);
  }
  fs::path candidate = root;
  for (const auto& s : out.segments) candidate /= s;
  std::error_code ec;
  const fs::path real = fs::canonical(candidate, ec);
  if (ec) {
    out.status = SitePath::Status::NotFound;
    out.reason = "no such file";
    return out;
  }
  if (!inside(root, real)) {
    out.status = SitePath::Status::Forbidden;
    out.reason = "a symbolic link points outside the served folder";
    return out;
  }
  out.is_directory = fs::is_directory(real, ec);
  if (!out.is_directory && !fs::is_regular_file(real, ec)) {
    out.status = SitePath::Status::NotFound;
    out.reason = "not a regular file";
    return out;
  }
  out.file = real;
  out.status = SitePath::Status::Ok;
  return out;
}

std::string encode_url_path(const std::vector<std::string>& segments, bool trailing_slash) {
  static const char* const hex = "0123456789ABCDEF";
  std::string out;
  for (const auto& segment : segments) {
    out += '/';
    for (unsigned char c : segment) {
      if (std::isalnum(c) || std::strchr("-._~!$&'()*+,;=:@", c)) {
        out += char(c);
      } else {
        out += '%';
        out += hex[c >> 4];
        out += hex[c & 15];
      }
    }
  }
  if (out.empty() || trailing_slash) out += '/';
  return out;
}

}  // namespace lookalike::cli
