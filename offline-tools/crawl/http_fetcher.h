// One HTTP GET at a time over libcurl, with the limits every crawler request
// needs: connect and total timeouts, a body-size cap, redirects limited to
// http/https, and an abort when the crawl is stopped. It makes exactly one
// attempt; retries, backoff and the request rate live in PoliteClient.
//
// Each worker thread owns one HttpFetcher: a curl easy handle is not shared
// between threads, and keeping it alive reuses connections to the host.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace lookalike::crawl {

struct HttpSettings {
  double connect_timeout_seconds = 10;
  double timeout_seconds = 30;                 // the whole request, body included
  std::uint64_t max_body_bytes = 50ull << 20;  // larger bodies are refused
  int max_redirects = 5;
  std::string user_agent = "lookalike-crawler/0.1 (+https://github.com/lookalike; polite, rate-limited)";
};

struct HttpResponse {
  // How the transfer itself went, before looking at the HTTP status.
  enum class Transfer {
    Complete,   // a full response arrived (any status)
    Transient,  // timeout, refused or dropped connection, body cut short: worth retrying
    Permanent,  // malformed URL, forbidden scheme, too many redirects, TLS verification: retrying cannot help
    TooLarge,   // body over max_body_bytes
    Aborted,    // the crawl is stopping
  };
  Transfer transfer = Transfer::Permanent;
  std::string transfer_error;  // why, when not Complete ("timed out after 30 s", ...)
  long status = 0;             // HTTP status of the last response (after redirects)
  std::string reason;          // status text, e.g. "Too Many Requests"
  std::string content_type;    // of the last response, lower case, without parameters
  std::string retry_after;     // raw Retry-After header of the last response, if any
  std::vector<std::uint8_t> body;
  std::string final_url;  // after redirects
  long redirects = 0;
};

class HttpFetcher {
 public:
  // should_stop is polled during transfers; when it returns true the
  // transfer is aborted and the response says Aborted.
  HttpFetcher(HttpSettings settings, std::function<bool()> should_stop);
  ~HttpFetcher();
  HttpFetcher(const HttpFetcher&) = delete;
  HttpFetcher& operator=(const HttpFetcher&) = delete;

  HttpResponse get(const std::string& url);

  const HttpSettings& settings() const { return settings_; }

 private:
  HttpSettings settings_;
  std::function<bool()> should_stop_;
  void* curl_;  // CURL*, kept out of the header
};

// "Not Found" for 404 and so on (the reason phrase HTTP/2 no longer sends).
std::string http_status_text(long status);

}  // namespace lookalike::crawl
