#include "serve/static_site_server.h"

#include <httplib.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>

#include "common/files.h"
#include "common/gzip.h"
#include "common/log.h"
#include "common/text.h"
#include "lookalike/common/error.h"
#include "serve/byte_ranges.h"
#include "serve/mime_types.h"
#include "serve/site_path.h"

namespace lookalike::cli {
namespace {

constexpr std::size_t kChunk = 64 * 1024;
// Compressed copies are made for files up to this size and kept up to this
// total (then all are dropped and made again on demand): a site's page,
// scripts, WASM module and collection documents fit many times over.
constexpr std::uintmax_t kLargestCompressed = 16u << 20;
constexpr std::size_t kCompressedBudget = 64u << 20;

// The gzip copies of compressible files, made on first request and kept
// while the file's ETag (size and modification time) stays the same.
class CompressedCopies {
 public:
  std::shared_ptr<const std::string> get(const fs::path& file, const std::string& etag) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      const auto it = copies_.find(file.string());
      if (it != copies_.end() && it->second.etag == etag) return it->second.bytes;
    }
    const std::vector<std::uint8_t> raw = read_file(file);  // outside the lock: other files go on being served
    auto bytes = std::make_shared<const std::string>(gzip_compress(raw.data(), raw.size()));
    std::lock_guard<std::mutex> lock(mutex_);
    if (held_ + bytes->size() > kCompressedBudget) {
      copies_.clear();
      held_ = 0;
    }
    auto& entry = copies_[file.string()];
    held_ -= entry.bytes ? entry.bytes->size() : 0;
    entry = {etag, bytes};
    held_ += bytes->size();
    return bytes;
  }

 private:
  struct Copy {
    std::string etag;
    std::shared_ptr<const std::string> bytes;
  };
  std::mutex mutex_;
  std::map<std::string, Copy> copies_;
  std::size_t held_ = 0;
};

// Whether Accept-Encoding admits gzip (listed, and not with q=0).
bool accepts_gzip(const httplib::Request& req) {
  for (std::string item : split_list(req.get_header_value("Accept-Encoding"))) {
    item.erase(std::remove(item.begin(), item.end(), '\t'), item.end());
    const std::size_t semicolon = item.find(';');
    const std::string coding = lower_ascii(item.substr(0, semicolon));
    if (coding != "gzip" && coding != "*") continue;
    if (semicolon == std::string::npos) return true;
    const std::string params = item.substr(semicolon + 1);
    if (params.rfind("q=", 0) != 0) return true;
    return std::strtod(params.c_str() + 2, nullptr) > 0;
  }
  return false;
}

// httplib reports a failed bind without its cause; binding a probe socket
// the same way recovers errno for a precise message.
std::string explain_listen_failure(const std::string& host, int port) {
  const std::string where = host + ":" + std::to_string(port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* result = nullptr;
  const int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &result);
  if (rc != 0) return "cannot listen on " + where + ": unknown host (" + gai_strerror(rc) + ")";
  int error_number = 0;
  for (addrinfo* ai = result; ai; ai = ai->ai_next) {
    const int fd = ::socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0) {
      error_number = errno;
      continue;
    }
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    const bool bound = ::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0;
    if (!bound) error_number = errno;
    ::close(fd);
    if (bound) {
      error_number = 0;
      break;
    }
  }
  freeaddrinfo(result);
  switch (error_number) {
    case EADDRINUSE:
      return "port " + std::to_string(port) + " on " + host +
             " is already in use (choose another with --port, or --port 0 for a free one)";
    case EACCES:
      return "not permitted to listen on " + where + " (ports below 1024 need privileges; choose another with --port)";
    case EADDRNOTAVAIL: return "cannot listen on " + where + ": " + host + " is not an address of this machine";
    case 0: return "cannot listen on " + where;
    default: return "cannot listen on " + where + ": " + std::strerror(error_number);
  }
}

std::string etag_for(const fs::path& file, std::uint64_t size) {
  std::error_code ec;
  const auto modified = static_cast<unsigned long long>(fs::last_write_time(file, ec).time_since_epoch().count());
  char tag[64];
  std::snprintf(tag, sizeof tag, "\"%llx-%llx\"", static_cast<unsigned long long>(size), modified);
  return tag;
}

bool etag_matches(const std::string& header, const std::string& etag) {
  if (header == "*") return true;
  std::size_t start = 0;
  while (start < header.size()) {
    std::size_t end = header.find(',', start);
    if (end == std::string::npos) end = header.size();
    std::string tag = header.substr(start, end - start);
    tag.erase(0, tag.find_first_not_of(" \t"));
    tag.erase(tag.find_last_not_of(" \t") + 1);
    if (tag.rfind("W/", 0) == 0) tag = tag.substr(2);
    if (tag == etag) return true;
    start = end + 1;
  }
  return false;
}

void plain(httplib::Response& res, int status, const std::string& text) {
  res.status = status;
  res.set_content(text + "\n", "text/plain; charset=utf-8");
}

// The whole file gzip-compressed, with the ETag of that encoding.
void send_compressed(const std::shared_ptr<const std::string>& bytes, const std::string& mime, httplib::Response& res) {
  res.status = 200;
  res.set_header("Content-Encoding", "gzip");
  res.set_content_provider(bytes->size(), mime,
                           [bytes](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                             return sink.write(bytes->data() + offset, std::min(length, kChunk));
                           });
}

// The file with its ETag (a 304 when the client has it) and the byte range
// asked for, streamed from disk; a whole compressible file gzip-compressed
// when the browser accepts that (a range is always of the file's own bytes).
void send_file(const fs::path& file, const httplib::Request& req, httplib::Response& res, CompressedCopies& copies) {
  std::error_code ec;
  const std::uint64_t size = fs::file_size(file, ec);
  if (ec) return plain(res, 404, "Not found");
  const bool may_compress = compressible(file) && size > 0 && size <= kLargestCompressed;
  const bool compress = may_compress && accepts_gzip(req) && !req.has_header("Range");
  if (may_compress) res.set_header("Vary", "Accept-Encoding");
  std::string etag = etag_for(file, size);
  if (compress) etag.insert(etag.size() - 1, "-gzip");  // each encoding its own tag
  res.set_header("ETag", etag);
  res.set_header("Cache-Control", "no-cache");
  res.set_header("Accept-Ranges", "bytes");
  if (req.has_header("If-None-Match") && etag_matches(req.get_header_value("If-None-Match"), etag)) {
    res.status = 304;
    return;
  }
  // httplib applies req.ranges to the response as given; it is checked and
  // clamped here first (the request object belongs to this call).
  auto& ranges = const_cast<httplib::Request&>(req).ranges;
  if (req.has_header("If-Range") && !etag_matches(req.get_header_value("If-Range"), etag)) ranges.clear();
  std::vector<RequestedRange> requested(ranges.begin(), ranges.end());
  const RangePlan plan = plan_ranges(requested, size);
  ranges.clear();
  if (plan.kind == RangePlan::Kind::Unsatisfiable) {
    res.set_header("Content-Range", "bytes */" + std::to_string(size));
    return plain(res, 416, "Range not satisfiable");
  }
  // Several ranges would go out as multipart/byteranges, which this httplib
  // labels with a wrong total length; the whole file is an allowed answer.
  if (plan.kind == RangePlan::Kind::Partial && plan.ranges.size() == 1) {
    for (const auto& r : plan.ranges) ranges.emplace_back(r.first, r.second);
    res.status = 206;
  } else {
    res.status = 200;
  }
  const std::string mime = mime_type_for(file);
  if (compress) {
    std::shared_ptr<const std::string> bytes;
    try {
      bytes = copies.get(file, etag);
    } catch (const Error&) {
      return plain(res, 403, "Forbidden: the file cannot be read");
    }
    return send_compressed(bytes, mime, res);
  }
  if (size == 0) {
    res.set_content("", mime);
    return;
  }
  auto stream = std::make_shared<std::ifstream>(file, std::ios::binary);
  if (!*stream) return plain(res, 403, "Forbidden: the file cannot be read");
  res.set_content_provider(static_cast<std::size_t>(size), mime,
                           [stream](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                             char buffer[kChunk];
                             const std::size_t n = std::min(length, kChunk);
                             stream->clear();
                             stream->seekg(static_cast<std::streamoff>(offset));
                             if (!stream->read(buffer, static_cast<std::streamsize>(n))) return false;
                             return sink.write(buffer, n);
                           });
}

// A GET: the file the path names (a folder's index.html), or why not.
void answer_get(const fs::path& root, const httplib::Request& req, httplib::Response& res, CompressedCopies& copies) {
  SitePath site = resolve_site_path(root, req.path);
  switch (site.status) {
    case SitePath::Status::BadRequest: return plain(res, 400, "Bad request");
    case SitePath::Status::Forbidden: return plain(res, 403, "Forbidden: " + site.reason);
    case SitePath::Status::NotFound: return plain(res, 404, "Not found");
    case SitePath::Status::Ok: break;
  }
  if (site.is_directory) {
    if (req.path.empty() || req.path.back() != '/') {
      // Relative links in index.html resolve against the folder.
      res.set_redirect(encode_url_path(site.segments, true), 301);
      return;
    }
    site = resolve_site_path(root, req.path + "index.html");
    if (site.status != SitePath::Status::Ok || site.is_directory)
      return plain(res, 404, "Not found (no index.html in this folder)");
  }
  send_file(site.file, req, res, copies);
}

}  // namespace

struct StaticSiteServer::State {
  httplib::Server server;
  std::atomic<bool> stopped{false};
  CompressedCopies compressed;
};

StaticSiteServer::StaticSiteServer(ServeOptions options)
    : options_(std::move(options)), state_(std::make_unique<State>()) {
  require_directory(options_.root);
  std::error_code ec;
  canonical_root_ = fs::canonical(options_.root, ec);
  if (ec) fail(ErrorKind::Io, "cannot resolve " + options_.root.string() + ": " + ec.message());

  httplib::Server& server = state_->server;
  // On every response, errors included: the page must stay cross-origin
  // isolated whatever it loads.
  server.set_default_headers({{"Cross-Origin-Opener-Policy", "same-origin"},
                              {"Cross-Origin-Embedder-Policy", "require-corp"},
                              {"Cross-Origin-Resource-Policy", "same-origin"},
                              {"X-Content-Type-Options", "nosniff"}});
  // SO_REUSEADDR (a restart may bind while old connections linger) but not
  // httplib's default SO_REUSEPORT, which would let a second server share a
  // port in use instead of failing with a clear message.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  // Short keep-alive, so Ctrl-C does not wait long for idle connections.
  server.set_keep_alive_timeout(2);

  const fs::path root = canonical_root_;
  CompressedCopies& compressed = state_->compressed;
  server.Get(".*", [root, &compressed](const httplib::Request& req, httplib::Response& res) {
    answer_get(root, req, res, compressed);
  });
  if (options_.log_requests)
    server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      log_info(req.method + " " + req.target + " " + std::to_string(res.status));
    });
}

StaticSiteServer::~StaticSiteServer() { stop(); }

int StaticSiteServer::bind() {
  httplib::Server& server = state_->server;
  if (options_.port == 0) {
    port_ = server.bind_to_any_port(options_.host);
    if (port_ <= 0) fail(ErrorKind::Io, explain_listen_failure(options_.host, 0));
  } else {
    if (!server.bind_to_port(options_.host, options_.port))
      fail(ErrorKind::Io, explain_listen_failure(options_.host, options_.port));
    port_ = options_.port;
  }
  return port_;
}

void StaticSiteServer::run() { state_->server.listen_after_bind(); }

void StaticSiteServer::stop() {
  // httplib's stop() must run once, and only once the server is running.
  if (state_ && state_->server.is_running() && !state_->stopped.exchange(true)) state_->server.stop();
}

std::string StaticSiteServer::url() const {
  const bool ipv6 = options_.host.find(':') != std::string::npos;
  const std::string host = options_.host == "0.0.0.0" ? "127.0.0.1"
                           : options_.host == "::"    ? "[::1]"
                           : ipv6                     ? "[" + options_.host + "]"
                                                      : options_.host;
  return "http://" + host + ":" + std::to_string(port_) + "/";
}

}  // namespace lookalike::cli
