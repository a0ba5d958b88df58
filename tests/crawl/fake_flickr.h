// A fake Flickr on 127.0.0.1 for the crawler tests: the REST API
// (flickr.photos.search with paging and the licence filter,
// flickr.photos.licenses.getInfo), the public feed, and the static photo
// host, answering in the shapes the real services document, with faults on
// demand. Every request is logged so tests can count attempts.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace lookalike::testing {

struct FakePhoto {
  enum class Fault {
    None,
    TimeoutOnce,          // the first answer comes after a long sleep
    TooManyRequestsOnce,  // 429 with Retry-After: <seconds>, then fine
    TooManyRequestsAlways,
    UnavailableOnce,  // 503 with Retry-After: <HTTP-date>, then fine
    ServerErrorOnce,  // 500, then fine
    CutShortOnce,     // the body stops half-way (connection closed), then fine
    CutShortAlways,
    NotImage,        // 200 text/html
    Redirect,        // 302 to another path that serves the photo
    RedirectToFile,  // 302 to file:///etc/passwd
    NotFound,        // 404
  };
  std::string id;
  std::string owner = "10000001@N01";
  std::string ownername = "Jane Doe";
  std::string title = "A photo";
  int licence = 4;
  std::vector<std::uint8_t> bytes;  // the photo (a JPEG)
  Fault fault = Fault::None;
  bool ignores_licence_filter = false;  // listed by a search even when its licence is filtered out
  std::string image_url_override;       // served as url_* instead of the fake host's URL
  std::set<std::string> missing_sizes;  // size suffixes ("" medium, "z", "b"…) answered with 404
};

struct FakeBehaviour {
  std::string api_key = "test-key";
  std::map<std::string, int> malformed_answers_first;  // term → how many malformed search answers before good ones
  std::set<std::string> always_malformed;              // terms whose search answers never parse
  bool api_throttled = false;                          // every API call: 429
  int throttle_retry_after = 1;                        // its Retry-After
  int retry_after_seconds = 1;                         // Retry-After of the photo faults
  int timeout_sleep_ms = 3000;                         // how late TimeoutOnce answers
  int image_delay_ms = 0;                              // before every photo answer
};

struct FakeRequest {
  std::string path;
  std::string query_method;  // API method, for API calls
  std::string photo_id;      // for image requests
  int status = 0;
  std::chrono::steady_clock::time_point when;
};

class FakeFlickr {
 public:
  FakeFlickr();
  ~FakeFlickr();
  FakeFlickr(const FakeFlickr&) = delete;
  FakeFlickr& operator=(const FakeFlickr&) = delete;

  std::string base() const;      // http://127.0.0.1:<port>
  std::string api_url() const;   // base + /services/rest/
  std::string feed_url() const;  // base + /services/feeds/photos_public.gne

  void add(const std::string& term, FakePhoto photo);

  // Changes the behaviour (under the server's lock: its threads read it).
  void configure(const std::function<void(FakeBehaviour&)>& change);

  // Observations.
  std::vector<FakeRequest> requests() const;
  int image_requests(const std::string& id) const;          // every attempt
  int complete_image_answers(const std::string& id) const;  // full 200 bodies sent
  int api_calls(const std::string& method) const;
  std::vector<std::chrono::steady_clock::time_point> image_request_times(const std::string& id) const;
  std::vector<std::string> search_licence_params() const;
  std::vector<int> search_pages(const std::string& term) const;
  std::string image_url(const std::string& id, const std::string& suffix = "") const;  // served URL of a photo

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lookalike::testing
