// Mapping a request's (already percent-decoded) URL path to a file inside the
// served folder, refusing everything that would leave it: `..` segments
// (however they were encoded), absolute or backslash tricks, NUL bytes, and
// symbolic links whose target lies outside. Hidden names (a segment starting
// with '.', such as .git) are not served.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace lookalike::cli {

namespace fs = std::filesystem;

struct SitePath {
  enum class Status { Ok, NotFound, Forbidden, BadRequest } status = Status::NotFound;
  fs::path file;  // resolved (symlinks followed), inside the root
  bool is_directory = false;
  std::vector<std::string> segments;  // the normalised URL path, for redirects
  std::string reason;                 // why not Ok, for logs
};

// `root` must be canonical (fs::canonical). `url_path` is the decoded path
// of the request, starting with '/'.
SitePath resolve_site_path(const fs::path& root, const std::string& url_path);

// "/a/b%20c/" from segments; every byte outside [A-Za-z0-9-._~!$&'()*+,;=:@]
// percent-encoded, so the result is safe in a Location header.
std::string encode_url_path(const std::vector<std::string>& segments, bool trailing_slash);

}  // namespace lookalike::cli
