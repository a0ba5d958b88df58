#include "crawl/http_fetcher.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <mutex>

#include "common/text.h"
#include "lookalike/common/error.h"

namespace lookalike::crawl {
namespace {

using cli::lower_ascii;
using cli::trim;

void initialise_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) fail(ErrorKind::Io, "cannot initialise libcurl");
  });
}

struct TransferState {
  HttpResponse* response;
  std::uint64_t max_bytes;
  bool too_large = false;
  const std::function<bool()>* should_stop;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* state = static_cast<TransferState*>(user);
  const std::size_t n = size * count;
  auto& body = state->response->body;
  if (body.size() + n > state->max_bytes) {
    state->too_large = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  body.insert(body.end(), data, data + n);
  return n;
}

// Called once per header line, for every response of a redirect chain: a
// status line starts a new response, so what we keep is the last one's.
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* state = static_cast<TransferState*>(user);
  const std::size_t n = size * count;
  const std::string line(data, n);
  HttpResponse& r = *state->response;
  if (line.rfind("HTTP/", 0) == 0) {
    r.content_type.clear();
    r.retry_after.clear();
    r.reason.clear();
    // "HTTP/1.1 429 Too Many Requests"
    const auto first_space = line.find(' ');
    if (first_space != std::string::npos) {
      const auto second_space = line.find(' ', first_space + 1);
      if (second_space != std::string::npos) r.reason = trim(line.substr(second_space + 1));
    }
    return n;
  }
  const auto colon = line.find(':');
  if (colon == std::string::npos) return n;
  const std::string name = lower_ascii(trim(line.substr(0, colon)));
  const std::string value = trim(line.substr(colon + 1));
  if (name == "content-type")
    r.content_type = lower_ascii(trim(value.substr(0, value.find(';'))));
  else if (name == "retry-after")
    r.retry_after = value;
  return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* state = static_cast<TransferState*>(user);
  return (*state->should_stop && (*state->should_stop)()) ? 1 : 0;
}

std::string seconds_text(double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", seconds);
  return buffer;
}

// The request: a GET of `url` with the settings' limits, writing into
// `state` (body, headers, progress).
void set_request(CURL* curl, const std::string& url, const HttpSettings& settings, TransferState& state,
                 char* error_buffer) {
  curl_easy_reset(curl);  // keeps the connection cache, forgets the previous request's options
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM-based DNS timeouts
  // Only web URLs, also after redirects: a hostile response must not make us
  // read file:// or talk to other protocols.
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, long(settings.max_redirects));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, long(std::llround(settings.connect_timeout_seconds * 1000)));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, long(std::llround(settings.timeout_seconds * 1000)));
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(settings.max_body_bytes));
  curl_easy_setopt(curl, CURLOPT_USERAGENT, settings.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // gzip for JSON; images arrive as they are
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &state);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &state);
}

// What the transfer's outcome means for the crawl: complete, worth a retry
// (Transient), or not.
void classify_transfer(CURLcode code, const std::string& detail, bool too_large, const HttpSettings& settings,
                       HttpResponse& response) {
  using T = HttpResponse::Transfer;
  switch (code) {
    case CURLE_OK: response.transfer = T::Complete; break;
    case CURLE_ABORTED_BY_CALLBACK:
      response.transfer = T::Aborted;
      response.transfer_error = "stopped";
      break;
    case CURLE_FILESIZE_EXCEEDED:
      response.transfer = T::TooLarge;
      response.transfer_error = "larger than " + std::to_string(settings.max_body_bytes) + " bytes";
      break;
    case CURLE_WRITE_ERROR:
      response.transfer = too_large ? T::TooLarge : T::Permanent;
      response.transfer_error =
          too_large ? "larger than " + std::to_string(settings.max_body_bytes) + " bytes" : detail;
      break;
    case CURLE_OPERATION_TIMEDOUT:
      response.transfer = T::Transient;
      response.transfer_error = "timed out (limit " + seconds_text(settings.timeout_seconds) + " s per request)";
      break;
    case CURLE_PARTIAL_FILE:
      response.transfer = T::Transient;
      response.transfer_error = "body cut short (the connection closed before the announced length)";
      break;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      response.transfer = T::Transient;
      response.transfer_error = "cannot connect: " + detail;
      break;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      response.transfer = T::Transient;
      response.transfer_error = "connection dropped: " + detail;
      break;
    default:
      response.transfer = T::Permanent;
      response.transfer_error = detail;
      break;
  }
}

}  // namespace

HttpFetcher::HttpFetcher(HttpSettings settings, std::function<bool()> should_stop)
    : settings_(std::move(settings)), should_stop_(std::move(should_stop)), curl_(nullptr) {
  initialise_curl_once();
  curl_ = curl_easy_init();
  if (!curl_) fail(ErrorKind::Io, "cannot create a libcurl handle");
}

HttpFetcher::~HttpFetcher() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

HttpResponse HttpFetcher::get(const std::string& url) {
  CURL* curl = static_cast<CURL*>(curl_);
  HttpResponse response;
  TransferState state{&response, settings_.max_body_bytes, false, &should_stop_};
  char error_buffer[CURL_ERROR_SIZE] = {0};
  set_request(curl, url, settings_, state, error_buffer);
  const CURLcode code = curl_easy_perform(curl);

  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = status;
  char* effective = nullptr;
  if (curl_easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK && effective)
    response.final_url = effective;
  curl_easy_getinfo(curl, CURLINFO_REDIRECT_COUNT, &response.redirects);

  const std::string detail = error_buffer[0] ? std::string(error_buffer) : std::string(curl_easy_strerror(code));
  classify_transfer(code, detail, state.too_large, settings_, response);
  if (response.transfer != HttpResponse::Transfer::Complete) response.body.clear();
  if (response.reason.empty() && status > 0) response.reason = http_status_text(status);
  return response;
}

std::string http_status_text(long status) {
  switch (status) {
    case 200: return "OK";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 410: return "Gone";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

}  // namespace lookalike::crawl
