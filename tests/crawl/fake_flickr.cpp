#include "fake_flickr.h"

#include <httplib.h>

#include <atomic>
#include <csignal>
#include <ctime>
#include <thread>

#include <nlohmann/json.hpp>

namespace lookalike::testing {

struct FakeFlickr::Impl {
  FakeBehaviour behaviour;
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::atomic<bool> stopping{false};

  mutable std::mutex mutex;
  std::vector<std::string> term_order;
  std::map<std::string, std::vector<std::size_t>> photos_by_term;
  std::vector<FakePhoto> photos;
  std::map<std::string, std::size_t> by_key;  // URL key "p<index>" → photo
  std::map<std::size_t, int> attempts;        // photo → image requests so far
  std::map<std::size_t, int> complete;        // photo → full bodies sent
  std::map<std::string, int> malformed_sent;
  std::vector<FakeRequest> log;
  std::vector<std::string> licence_params;
  std::map<std::string, std::vector<int>> pages;

  FakeBehaviour current() const {
    std::lock_guard<std::mutex> lock(mutex);
    return behaviour;
  }

  void record(const httplib::Request& req, int status, const std::string& method = "", const std::string& id = "") {
    std::lock_guard<std::mutex> lock(mutex);
    log.push_back({req.path, method, id, status, std::chrono::steady_clock::now()});
  }

  void nap(int ms) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!stopping && std::chrono::steady_clock::now() < end)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  std::string secret_of(std::size_t index) const { return "0a1b2c" + std::to_string(index % 10); }

  std::string url_of(std::size_t index, const std::string& suffix) const {
    return "http://127.0.0.1:" + std::to_string(port) + "/img/65535/p" + std::to_string(index) + "_" +
           secret_of(index) + (suffix.empty() ? "" : "_" + suffix) + ".jpg";
  }

  std::string term_from_request(const httplib::Request& req) {
    if (req.has_param("text")) return req.get_param_value("text");
    std::string tags = req.has_param("tags") ? req.get_param_value("tags") : std::string();
    for (char& c : tags)
      if (c == ',') c = ' ';
    return tags;
  }

  // Over 80 lines on purpose: one function answers the REST endpoint as
  // Flickr does, its checks and quirks in the order a request meets them
  // (throttling, format, key, method, malformed answers, licence filter,
  // pages, extras), so a test's fault can be found by reading it top down.
  void api(const httplib::Request& req, httplib::Response& res) {
    const FakeBehaviour setting = current();
    const std::string method = req.get_param_value("method");
    auto reply = [&](int status, const std::string& body) {
      res.status = status;
      res.set_content(body, "application/json");
      record(req, status, method);
    };
    if (setting.api_throttled) {
      res.set_header("Retry-After", std::to_string(setting.throttle_retry_after));
      return reply(429, "Too Many Requests");
    }
    if (req.get_param_value("format") != "json" || req.get_param_value("nojsoncallback") != "1")
      return reply(200, R"json(jsonFlickrApi({"stat":"fail","code":111,"message":"Format \"xml\" not found"}))json");
    if (req.get_param_value("api_key") != setting.api_key)
      return reply(200, R"json({"stat":"fail","code":100,"message":"Invalid API Key (Key has invalid format)"})json");

    if (method == "flickr.photos.licenses.getInfo") {
      nlohmann::json list = nlohmann::json::array();
      const std::vector<std::pair<int, std::pair<std::string, std::string>>> table = {
          {0, {"All Rights Reserved", ""}},
          {1, {"Attribution-NonCommercial-ShareAlike License", "https://creativecommons.org/licenses/by-nc-sa/2.0/"}},
          {2, {"Attribution-NonCommercial License", "https://creativecommons.org/licenses/by-nc/2.0/"}},
          {3, {"Attribution-NonCommercial-NoDerivs License", "https://creativecommons.org/licenses/by-nc-nd/2.0/"}},
          {4, {"Attribution License", "https://creativecommons.org/licenses/by/2.0/"}},
          {5, {"Attribution-ShareAlike License", "https://creativecommons.org/licenses/by-sa/2.0/"}},
          {6, {"Attribution-NoDerivs License", "https://creativecommons.org/licenses/by-nd/2.0/"}},
          {7, {"No known copyright restrictions", "https://www.flickr.com/commons/usage/"}},
          {8, {"United States Government Work", "http://www.usa.gov/copyright.shtml"}},
          {9, {"Public Domain Dedication (CC0)json", "https://creativecommons.org/publicdomain/zero/1.0/"}},
          {10, {"Public Domain Mark", "https://creativecommons.org/publicdomain/mark/1.0/"}},
          // A licence added after the documented list: understood from its URL.
          {11, {"CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"}},
      };
      for (const auto& [id, rest] : table) list.push_back({{"id", id}, {"name", rest.first}, {"url", rest.second}});
      return reply(200, nlohmann::json({{"licenses", {{"license", list}}}, {"stat", "ok"}}).dump());
    }
    if (method != "flickr.photos.search")
      return reply(200,
                   R"json({"stat":"fail","code":112,"message":"Method \")json" + method + R"json(\" not found"})json");

    const std::string term = term_from_request(req);
    {
      std::lock_guard<std::mutex> lock(mutex);
      licence_params.push_back(req.has_param("license") ? req.get_param_value("license") : "");
      pages[term].push_back(std::stoi(req.has_param("page") ? req.get_param_value("page") : "1"));
    }
    if (setting.always_malformed.count(term))
      return reply(200, R"json({"photos":{"page":1,"pages":3,"photo":[{"id":"1",)json");
    {
      std::unique_lock<std::mutex> lock(mutex);
      const auto first = setting.malformed_answers_first.find(term);
      if (first != setting.malformed_answers_first.end() && malformed_sent[term] < first->second) {
        ++malformed_sent[term];
        lock.unlock();
        return reply(200, "<html><body>Bad gateway</body></html>");
      }
    }

    std::set<int> allowed;
    if (req.has_param("license")) {
      std::string list = req.get_param_value("license");
      std::size_t start = 0;
      while (start < list.size()) {
        std::size_t comma = list.find(',', start);
        if (comma == std::string::npos) comma = list.size();
        allowed.insert(std::stoi(list.substr(start, comma - start)));
        start = comma + 1;
      }
    }
    std::string extras = req.has_param("extras") ? req.get_param_value("extras") : "";
    const int per_page = std::stoi(req.has_param("per_page") ? req.get_param_value("per_page") : "100");
    const int page = std::stoi(req.has_param("page") ? req.get_param_value("page") : "1");

    std::vector<std::size_t> matching;
    {
      std::lock_guard<std::mutex> lock(mutex);
      for (std::size_t i : photos_by_term[term])
        if (allowed.empty() || allowed.count(photos[i].licence) || photos[i].ignores_licence_filter)
          matching.push_back(i);
    }
    const int total = static_cast<int>(matching.size());
    const int page_count = std::max(1, (total + per_page - 1) / per_page);
    nlohmann::json list = nlohmann::json::array();
    for (int k = (page - 1) * per_page; k < std::min(total, page * per_page); ++k) {
      const std::size_t i = matching[std::size_t(k)];
      const FakePhoto& p = photos[i];
      nlohmann::json photo = {{"id", p.id},
                              {"owner", p.owner},
                              {"secret", secret_of(i)},
                              {"server", "65535"},
                              {"farm", 66},
                              {"title", p.title},
                              {"ispublic", 1},
                              {"isfriend", 0},
                              {"isfamily", 0},
                              {"license", std::to_string(p.licence)},
                              {"ownername", p.ownername}};
      // The size extras asked for; url_l is left out, as Flickr does for
      // photos whose original is smaller than 1024 px.
      const std::vector<std::pair<std::string, std::string>> sizes = {
          {"url_s", "m"}, {"url_m", ""}, {"url_z", "z"}, {"url_c", "c"}};
      for (const auto& [extra, suffix] : sizes) {
        if (extras.find(extra) == std::string::npos) continue;
        photo[extra] = p.image_url_override.empty() ? url_of(i, suffix) : p.image_url_override;
        photo["width" + extra.substr(3)] = "64";  // older answers give sizes as strings
        photo["height" + extra.substr(3)] = 48;
      }
      list.push_back(photo);
    }
    // "total" as a string, "page" as a number: the real API mixes them too.
    nlohmann::json body = {{"photos",
                            {{"page", page},
                             {"pages", page_count},
                             {"perpage", per_page},
                             {"total", std::to_string(total)},
                             {"photo", list}}},
                           {"stat", "ok"}};
    reply(200, body.dump());
  }

  void feed(const httplib::Request& req, httplib::Response& res) {
    std::string tags = req.get_param_value("tags");
    for (char& c : tags)
      if (c == ',') c = ' ';
    nlohmann::json items = nlohmann::json::array();
    {
      std::lock_guard<std::mutex> lock(mutex);
      int count = 0;
      for (std::size_t i : photos_by_term[tags]) {
        if (++count > 20) break;  // the feed lists the latest 20
        const FakePhoto& p = photos[i];
        items.push_back({{"title", p.title},
                         {"link", "https://www.flickr.com/photos/" + p.owner + "/" + p.id + "/"},
                         {"media", {{"m", p.image_url_override.empty() ? url_of(i, "m") : p.image_url_override}}},
                         {"date_taken", "2026-11-20T10:00:00-08:00"},
                         {"description", " <p><a href=\"https://www.flickr.com/people/x/\">x</a> posted a photo</p>"},
                         {"published", "2026-11-21T10:00:00Z"},
                         {"author", "nobody@flickr.com (\"" + p.ownername + "\")"},
                         {"author_id", p.owner},
                         {"tags", tags}});
      }
    }
    nlohmann::json body = {{"title", "Recent Uploads tagged " + tags},
                           {"link", "https://www.flickr.com/photos/tags/" + tags + "/"},
                           {"description", ""},
                           {"modified", "2026-11-21T10:00:00Z"},
                           {"generator", "https://www.flickr.com"},
                           {"items", items}};
    // Flickr's feed escapes apostrophes as \' (not valid JSON); so does this one.
    std::string text = body.dump();
    std::string quirky;
    for (char c : text) quirky += c == '\'' ? std::string("\\'") : std::string(1, c);
    res.set_content(quirky, "application/json; charset=utf-8");
    record(req, 200, "feed");
  }

  // Over 80 lines on purpose: every per-photo fault the crawler must survive
  // (missing sizes, timeouts, 429 once, cut-short bodies, redirects) is one
  // case of the one download, side by side so their attempts compare.
  void image(const httplib::Request& req, httplib::Response& res, bool moved) {
    const FakeBehaviour setting = current();
    // /img/65535/p<index>_<secret>[_<suffix>].jpg or /moved/p<index>.jpg
    const std::string name = req.matches[1].str();
    const std::string key = name.substr(0, name.find_first_of("_."));
    std::size_t index = 0;
    int attempt = 0;
    FakePhoto photo;
    {
      std::lock_guard<std::mutex> lock(mutex);
      const auto it = by_key.find(key);
      if (it == by_key.end()) {
        res.status = 404;
        log.push_back({req.path, "", "", 404, std::chrono::steady_clock::now()});
        return;
      }
      index = it->second;
      attempt = ++attempts[index];
      photo = photos[index];
    }
    if (setting.image_delay_ms > 0) nap(setting.image_delay_ms);
    if (!moved) {
      // p<index>_<secret>[_<suffix>].jpg
      const std::string stem = name.substr(0, name.find('.'));
      const auto first = stem.find('_'), second = stem.find('_', first + 1);
      const std::string suffix = second == std::string::npos ? "" : stem.substr(second + 1);
      if (photo.missing_sizes.count(suffix)) {
        res.status = 404;
        res.set_content("no such size", "text/plain");
        record(req, 404, "", photo.id);
        return;
      }
    }
    using F = FakePhoto::Fault;
    auto full = [&] {
      res.status = 200;
      res.set_content(std::string(photo.bytes.begin(), photo.bytes.end()), "image/jpeg");
      std::lock_guard<std::mutex> lock(mutex);
      ++complete[index];
      log.push_back({req.path, "", photo.id, 200, std::chrono::steady_clock::now()});
    };
    auto status = [&](int code, const std::string& body, const std::string& type) {
      res.status = code;
      res.set_content(body, type);
      record(req, code, "", photo.id);
    };
    switch (photo.fault) {
      case F::None: return full();
      case F::TimeoutOnce:
        if (attempt == 1) nap(setting.timeout_sleep_ms);
        return full();
      case F::TooManyRequestsOnce:
      case F::TooManyRequestsAlways:
        if (attempt > 1 && photo.fault == F::TooManyRequestsOnce) return full();
        res.set_header("Retry-After", std::to_string(setting.retry_after_seconds));
        return status(429, "slow down", "text/plain");
      case F::UnavailableOnce: {
        if (attempt > 1) return full();
        const std::time_t when = std::time(nullptr) + setting.retry_after_seconds + 1;
        std::tm tm{};
        gmtime_r(&when, &tm);
        char date[64];
        std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        res.set_header("Retry-After", date);
        return status(503, "maintenance", "text/plain");
      }
      case F::ServerErrorOnce:
        if (attempt > 1) return full();
        return status(500, "oops", "text/plain");
      case F::CutShortOnce:
      case F::CutShortAlways: {
        if (photo.fault == F::CutShortOnce && attempt > 1) return full();
        auto bytes = std::make_shared<std::vector<std::uint8_t>>(photo.bytes);
        res.status = 200;
        res.set_content_provider(bytes->size(), "image/jpeg",
                                 [bytes](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                                   const std::size_t half = bytes->size() / 2;
                                   if (offset < half)
                                     sink.write(reinterpret_cast<const char*>(bytes->data()) + offset, half - offset);
                                   return false;  // closes the connection before the announced length
                                 });
        record(req, 200, "", photo.id);
        return;
      }
      case F::NotImage:
        return status(200, "<!DOCTYPE html><html><body>This photo is no longer available</body></html>",
                      "text/html; charset=utf-8");
      case F::Redirect:
        if (moved) return full();
        res.set_redirect("/moved/" + key + ".jpg", 302);
        record(req, 302, "", photo.id);
        return;
      case F::RedirectToFile:
        res.set_redirect("file:///etc/passwd", 302);
        record(req, 302, "", photo.id);
        return;
      case F::NotFound: return status(404, "not found", "text/plain");
    }
  }
};

FakeFlickr::FakeFlickr() : impl_(std::make_unique<Impl>()) {
  std::signal(SIGPIPE, SIG_IGN);  // a client that gave up must not kill the test
  auto& s = impl_->server;
  s.new_task_queue = [] { return new httplib::ThreadPool(24); };
  s.Get("/services/rest/", [this](const httplib::Request& q, httplib::Response& r) { impl_->api(q, r); });
  s.Get("/services/feeds/photos_public.gne",
        [this](const httplib::Request& q, httplib::Response& r) { impl_->feed(q, r); });
  s.Get(R"re(/img/\d+/([^/]+))re",
        [this](const httplib::Request& q, httplib::Response& r) { impl_->image(q, r, false); });
  s.Get(R"re(/moved/([^/]+))re", [this](const httplib::Request& q, httplib::Response& r) { impl_->image(q, r, true); });
  impl_->port = s.bind_to_any_port("127.0.0.1");
  if (impl_->port <= 0) throw std::runtime_error("fake Flickr: cannot bind 127.0.0.1");
  impl_->thread = std::thread([this] { impl_->server.listen_after_bind(); });
  while (!s.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

FakeFlickr::~FakeFlickr() {
  impl_->stopping = true;
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::string FakeFlickr::base() const { return "http://127.0.0.1:" + std::to_string(impl_->port); }
std::string FakeFlickr::api_url() const { return base() + "/services/rest/"; }
std::string FakeFlickr::feed_url() const { return base() + "/services/feeds/photos_public.gne"; }

void FakeFlickr::configure(const std::function<void(FakeBehaviour&)>& change) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  change(impl_->behaviour);
}

void FakeFlickr::add(const std::string& term, FakePhoto photo) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  const std::size_t index = impl_->photos.size();
  impl_->photos.push_back(std::move(photo));
  impl_->photos_by_term[term].push_back(index);
  impl_->by_key["p" + std::to_string(index)] = index;
}

std::vector<FakeRequest> FakeFlickr::requests() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->log;
}

namespace {
// The sum of a per-photo count over the photos with this id (a photo may be
// listed under several terms).
template <class Photos, class Counts>
int count_for_id(const Photos& photos, const Counts& counts, const std::string& id) {
  int n = 0;
  for (std::size_t i = 0; i < photos.size(); ++i) {
    if (photos[i].id != id) continue;
    const auto it = counts.find(i);
    if (it != counts.end()) n += it->second;
  }
  return n;
}
}  // namespace

int FakeFlickr::image_requests(const std::string& id) const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return count_for_id(impl_->photos, impl_->attempts, id);
}

int FakeFlickr::complete_image_answers(const std::string& id) const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return count_for_id(impl_->photos, impl_->complete, id);
}

int FakeFlickr::api_calls(const std::string& method) const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  int n = 0;
  for (const auto& r : impl_->log)
    if (r.query_method == method) ++n;
  return n;
}

std::vector<std::chrono::steady_clock::time_point> FakeFlickr::image_request_times(const std::string& id) const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  std::vector<std::chrono::steady_clock::time_point> times;
  for (const auto& r : impl_->log)
    if (r.photo_id == id) times.push_back(r.when);
  return times;
}

std::vector<std::string> FakeFlickr::search_licence_params() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->licence_params;
}

std::vector<int> FakeFlickr::search_pages(const std::string& term) const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  const auto it = impl_->pages.find(term);
  return it == impl_->pages.end() ? std::vector<int>{} : it->second;
}

std::string FakeFlickr::image_url(const std::string& id, const std::string& suffix) const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  for (std::size_t i = 0; i < impl_->photos.size(); ++i)
    if (impl_->photos[i].id == id) return impl_->url_of(i, suffix);
  return {};
}

}  // namespace lookalike::testing
