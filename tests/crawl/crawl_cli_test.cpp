// `lookalike crawl` end to end: the real binary, run as a child process
// against a fake Flickr on 127.0.0.1 (no test reaches the internet), with
// paging, licence filtering, the keyless feed, network faults, hostile
// answers, and a crawl killed mid-way and resumed.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "crawl/sha256.h"
#include "fake_flickr.h"
#include "lookalike/image/encode.h"
#include "scratch_dir.h"
#include "shard/shard_spec.h"
#include "subprocess.h"
#include "support/test_images.h"

#ifndef LOOKALIKE_CLI
#error "LOOKALIKE_CLI must name the lookalike binary"
#endif

using namespace lookalike;
using namespace lookalike::testing;
namespace fs = std::filesystem;
using Fault = FakePhoto::Fault;

namespace {

// A distinct picture per seed: a pattern with 8×8 blocks of seeded noise.
std::vector<std::uint8_t> jpeg(int seed) {
  Image image = make_pattern(64, 48, seed);
  std::mt19937 random(static_cast<unsigned>(seed));
  for (int by = 0; by < 48; by += 8)
    for (int bx = 0; bx < 64; bx += 8) {
      const auto shade = static_cast<std::uint8_t>(random() % 256);
      for (int y = by; y < by + 8; ++y)
        for (int x = bx; x < bx + 8; ++x) image.at(x, y)[2] = shade;
    }
  return encode_jpeg(image, 90);
}

FakePhoto photo(const std::string& id, int seed, int licence = 4, Fault fault = Fault::None) {
  FakePhoto p;
  p.id = id;
  p.owner = "9" + std::to_string(seed) + "@N01";
  p.ownername = "Owner " + std::to_string(seed);
  p.title = "Photo " + std::to_string(seed);
  p.licence = licence;
  p.bytes = jpeg(seed);
  p.fault = fault;
  return p;
}

// A crawl against the fake Flickr, with settings that keep tests quick:
// short backoffs, a generous rate; each test adds what it exercises.
struct CrawlRun {
  CrawlRun(const FakeFlickr& f, fs::path o, fs::path l, std::string t)
      : flickr(f), out(std::move(o)), logs(std::move(l)), terms(std::move(t)) {}
  const FakeFlickr& flickr;
  fs::path out;
  fs::path logs;
  std::string terms;
  int per_term = 5;
  std::string key = "test-key";  // empty: no key at all (the feed)
  int parallel = 3;
  std::vector<std::string> extra;

  std::vector<std::string> argv() const {
    std::vector<std::string> a = {LOOKALIKE_CLI,
                                  "--json",
                                  "crawl",
                                  "--terms",
                                  terms,
                                  "--per-term",
                                  std::to_string(per_term),
                                  "--out",
                                  out.string(),
                                  "--api-base-url",
                                  flickr.api_url(),
                                  "--feed-base-url",
                                  flickr.feed_url(),
                                  "--rate",
                                  "200",
                                  "--backoff",
                                  "0.02",
                                  "--max-backoff",
                                  "0.2",
                                  "--retries",
                                  "3",
                                  "--timeout",
                                  "5",
                                  "--connect-timeout",
                                  "2",
                                  "--parallel",
                                  std::to_string(parallel)};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
  std::vector<std::string> env() const {
    std::vector<std::string> e = {"PATH=/usr/bin:/bin", "HOME=" + logs.string(), "LANG=C.UTF-8"};
    if (!key.empty()) e.push_back("FLICKR_API_KEY=" + key);
    // Sanitizer settings reach the child (native-debug builds).
    for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS"})
      if (const char* value = std::getenv(name)) e.push_back(std::string(name) + "=" + value);
    return e;
  }
  ChildResult run() const { return run_child(argv(), env(), logs); }
};

struct Setup {
  ScratchDir scratch;
  FakeFlickr flickr;
  fs::path logs = scratch.path() / "logs";
  Setup() { fs::create_directories(logs); }
  CrawlRun crawl(const std::string& terms, const std::string& out_name = "out") {
    return CrawlRun{flickr, scratch.path() / out_name, logs, terms};
  }
};

std::vector<nlohmann::json> journal(const fs::path& out) {
  std::vector<nlohmann::json> lines;
  std::ifstream in(out / "crawl.jsonl");
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

std::size_t complete_journal_lines(const fs::path& out) {
  std::ifstream in(out / "crawl.jsonl");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

std::map<std::string, nlohmann::json> journal_by_id(const fs::path& out) {
  std::map<std::string, nlohmann::json> by_id;
  for (auto j : journal(out)) {
    j.erase("downloaded");  // the only field that depends on when
    const std::string id = j["id"];
    INFO("duplicate id in crawl.jsonl: " << id);
    CHECK(by_id.count(id) == 0);
    by_id[id] = j;
  }
  return by_id;
}

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Every file under `root` (relative path → content), hidden ones included.
std::map<std::string, std::string> tree(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) files[fs::relative(e.path(), root).string()] = read_bytes(e.path());
  return files;
}

// The photos of a crawl: what prep reads (no journal, metadata or lock).
std::map<std::string, std::string> photo_tree(const fs::path& root) {
  auto files = tree(root);
  for (const char* name : {"crawl.jsonl", "crawl.json", ".crawl.lock", ".crawl-duplicates.jsonl"}) files.erase(name);
  return files;
}

std::vector<std::string> hidden_files(const fs::path& root) {
  std::vector<std::string> hidden;
  for (const auto& [path, content] : tree(root)) {
    const std::string name = fs::path(path).filename().string();
    if (name[0] == '.' && name != ".crawl.lock" && name != ".crawl-duplicates.jsonl") hidden.push_back(path);
  }
  return hidden;
}

nlohmann::json summary_of(const ChildResult& r) {
  INFO("stderr: " << r.err);
  REQUIRE_FALSE(r.out.empty());
  return nlohmann::json::parse(r.out);
}

std::string failure_reason(const nlohmann::json& summary, const std::string& id) {
  for (const auto& f : summary["failures"])
    if (f["id"] == id) return f["reason"];
  return "";
}

}  // namespace

TEST_CASE("API crawl: pages through results, filters licences, records attribution") {
  Setup s;
  const std::vector<int> licences = {4, 0, 9, 2, 5, 11, 10, 6, 0, 7, 8, 3, 1};
  std::vector<FakePhoto> listed;
  for (int i = 0; i < 30; ++i) {
    FakePhoto p = photo(std::to_string(5300000 + i), i, licences[std::size_t(i) % licences.size()]);
    if (i == 3) p.title = "Bob's \"best\" <b>beach</b>";
    listed.push_back(p);
  }
  // A photo the server lists although its licence was filtered out: the
  // crawler checks licences itself too.
  FakePhoto leaky = photo("5399999", 99, 0);
  leaky.ignores_licence_filter = true;
  listed.insert(listed.begin() + 2, leaky);
  for (const auto& p : listed) s.flickr.add("beach", p);

  CrawlRun run = s.crawl("beach");
  run.per_term = 12;
  run.extra = {"--page-size", "5"};
  const ChildResult r = run.run();
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);

  // The first 12 photos in the search's order whose licence is accepted.
  std::set<std::string> expected;
  for (const auto& p : listed)
    if (p.licence != 0 && expected.size() < 12) expected.insert(p.id);
  const auto records = journal_by_id(run.out);
  std::set<std::string> got;
  for (const auto& [id, j] : records) got.insert(id);
  CHECK(got == expected);

  // Paging: consecutive pages of 5, and the licence filter sent to Flickr.
  const auto pages = s.flickr.search_pages("beach");
  REQUIRE(pages.size() >= 3);
  for (std::size_t i = 0; i < pages.size(); ++i) CHECK(pages[i] == int(i + 1));
  for (const auto& param : s.flickr.search_licence_params()) CHECK(param == "1,10,11,2,3,4,5,6,7,8,9");
  CHECK(s.flickr.image_requests("5399999") == 0);

  const auto summary = summary_of(r);
  CHECK(summary["terms"][0]["skipped_licence"] == 1);
  CHECK(summary["terms"][0]["have"] == 12);
  CHECK(summary["downloaded"] == 12);

  const std::map<int, std::pair<std::string, std::string>> names = {
      {1, {"CC BY-NC-SA 2.0", "https://creativecommons.org/licenses/by-nc-sa/2.0/"}},
      {2, {"CC BY-NC 2.0", "https://creativecommons.org/licenses/by-nc/2.0/"}},
      {3, {"CC BY-NC-ND 2.0", "https://creativecommons.org/licenses/by-nc-nd/2.0/"}},
      {4, {"CC BY 2.0", "https://creativecommons.org/licenses/by/2.0/"}},
      {5, {"CC BY-SA 2.0", "https://creativecommons.org/licenses/by-sa/2.0/"}},
      {6, {"CC BY-ND 2.0", "https://creativecommons.org/licenses/by-nd/2.0/"}},
      {7, {"No known copyright restrictions", "https://www.flickr.com/commons/usage/"}},
      {8, {"United States Government Work", "http://www.usa.gov/copyright.shtml"}},
      {9, {"CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"}},
      {10, {"Public Domain Mark 1.0", "https://creativecommons.org/publicdomain/mark/1.0/"}},
      {11, {"CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"}},
  };
  for (const auto& p : listed) {
    if (!expected.count(p.id)) continue;
    INFO("photo " << p.id);
    const auto& j = records.at(p.id);
    CHECK(j["term"] == "beach");
    CHECK(j["path"] == "beach/" + p.id + ".jpg");
    CHECK(j["source"] == "flickr-api");
    CHECK(j["url"] == s.flickr.image_url(p.id, ""));  // medium (url_m) by default
    CHECK(j["page"] == "https://www.flickr.com/photos/" + p.owner + "/" + p.id + "/");
    CHECK(j["owner"] == p.ownername);
    CHECK(j["owner_id"] == p.owner);
    CHECK(j["title"] == p.title);
    CHECK(j["licence_id"] == std::to_string(p.licence));
    CHECK(j["licence"] == names.at(p.licence).first);
    CHECK(j["licence_url"] == names.at(p.licence).second);
    CHECK(j["format"] == "jpeg");
    CHECK(j["width"] == 64);
    CHECK(j["height"] == 48);
    CHECK(j["bytes"] == p.bytes.size());
    const std::string file = read_bytes(run.out / j["path"].get<std::string>());
    CHECK(file == std::string(p.bytes.begin(), p.bytes.end()));
    CHECK(j["sha256"] == crawl::sha256_hex(file));
  }

  const auto meta = nlohmann::json::parse(read_bytes(run.out / "crawl.json"));
  CHECK(meta["photos"] == 12);
  CHECK(meta["republishable"] == true);
  CHECK(meta["sources"] == nlohmann::json::array({"flickr-api"}));
  CHECK(meta["licence_note"].get<std::string>().find("attribution") != std::string::npos);
  CHECK(hidden_files(run.out).empty());
}

TEST_CASE("API crawl: --licences open keeps only licences allowing commercial use and changes; --size falls back") {
  Setup s;
  for (int i = 0; i < 24; ++i) s.flickr.add("hill", photo(std::to_string(7100 + i), i, i % 12));
  CrawlRun run = s.crawl("hill");
  run.per_term = 6;
  run.extra = {"--licences", "open", "--size", "large"};
  const ChildResult r = run.run();
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  const auto records = journal_by_id(run.out);
  REQUIRE(records.size() == 6);
  const std::set<std::string> open = {"4", "5", "7", "8", "9", "10", "11"};
  for (const auto& [id, j] : records) {
    CHECK(open.count(j["licence_id"].get<std::string>()) == 1);
    // No url_l in the answers (small originals): the next size down, url_c.
    CHECK(j["url"] == s.flickr.image_url(id, "c"));
  }
  for (const auto& param : s.flickr.search_licence_params()) CHECK(param == "10,11,4,5,7,8,9");
}

TEST_CASE("keyless crawl uses the public feed and records licences as unknown") {
  Setup s;
  for (int i = 0; i < 23; ++i) {
    FakePhoto p = photo(std::to_string(880000 + i), 40 + i);
    if (i == 1) p.title = "Bob's boat";
    if (i == 2) p.ownername = "Jane O'Doe";
    if (i == 3) p.missing_sizes = {""};  // no medium size: the listed small one is taken
    s.flickr.add("red boat", p);
  }
  CrawlRun run = s.crawl("red boat");
  run.key = "";
  run.per_term = 25;
  const ChildResult r = run.run();
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);  // fewer than asked is not a failure, but it is said
  CHECK(r.err.find("no Flickr API key") != std::string::npos);
  CHECK(r.err.find("only 20 of 25") != std::string::npos);
  CHECK(s.flickr.api_calls("flickr.photos.search") == 0);
  CHECK(s.flickr.api_calls("feed") == 1);

  const auto records = journal_by_id(run.out);
  REQUIRE(records.size() == 20);  // the feed lists the latest 20
  const auto& boat = records.at("880001");
  CHECK(boat["title"] == "Bob's boat");
  CHECK(records.at("880002")["owner"] == "Jane O'Doe");
  CHECK(records.at("880003")["url"] == s.flickr.image_url("880003", "m"));
  CHECK(s.flickr.image_requests("880003") == 2);
  for (const auto& [id, j] : records) {
    CHECK(j["licence"] == "unknown");
    CHECK(j["licence_id"].is_null());
    CHECK(j["licence_url"] == "");
    CHECK(j["source"] == "flickr-feed");
    CHECK(j["path"] == "red-boat/" + id + ".jpg");
    CHECK(j["page"] == "https://www.flickr.com/photos/" + j["owner_id"].get<std::string>() + "/" + id + "/");
    // The feed lists the small size (_m); the crawl asks for the medium one.
    if (id != "880003") CHECK(j["url"] == s.flickr.image_url(id, ""));
  }
  const auto meta = nlohmann::json::parse(read_bytes(run.out / "crawl.json"));
  CHECK(meta["republishable"] == false);
  CHECK(meta["licence_note"].get<std::string>().find("unknown licences") != std::string::npos);
  const auto summary = summary_of(r);
  CHECK(summary["terms"][0]["exhausted"] == true);
}

TEST_CASE("network faults: retried with backoff and Retry-After, bounded, never a partial file") {
  Setup s;
  s.flickr.configure([](FakeBehaviour& b) {
    b.timeout_sleep_ms = 8000;  // far past --timeout, so that only t1 ever times out
    b.retry_after_seconds = 1;
  });
  const std::vector<std::pair<std::string, Fault>> faults = {
      {"t1", Fault::TimeoutOnce},     {"t2", Fault::TooManyRequestsOnce},
      {"t3", Fault::UnavailableOnce}, {"t4", Fault::ServerErrorOnce},
      {"t5", Fault::CutShortOnce},    {"t6", Fault::Redirect},
      {"t7", Fault::NotImage},        {"t8", Fault::CutShortAlways},
      {"t9", Fault::NotFound},        {"t10", Fault::None}};
  std::map<std::string, FakePhoto> by_id;
  int seed = 100;
  for (const auto& [id, fault] : faults) {
    by_id[id] = photo(id, seed++, 4, fault);
    s.flickr.add("storm", by_id[id]);
  }
  CrawlRun run = s.crawl("storm");
  run.per_term = 10;
  run.extra = {"--timeout", "2"};
  run.parallel = 4;
  const ChildResult r = run.run();
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 6);  // finished, some photos failed

  const auto records = journal_by_id(run.out);
  std::set<std::string> got;
  for (const auto& [id, j] : records) got.insert(id);
  CHECK(got == std::set<std::string>{"t1", "t2", "t3", "t4", "t5", "t6", "t10"});
  for (const auto& [id, j] : records) {
    INFO(id);
    const auto& bytes = by_id[id].bytes;
    CHECK(read_bytes(run.out / j["path"].get<std::string>()) == std::string(bytes.begin(), bytes.end()));
  }
  CHECK(records.at("t6")["url"] == s.flickr.image_url("t6", ""));  // the URL asked for, not where it redirected

  // Each transient fault cost exactly one retry.
  for (const char* id : {"t1", "t2", "t3", "t4", "t5"}) {
    INFO(id);
    CHECK(s.flickr.image_requests(id) == 2);
  }
  // Retry-After: 1 was honoured: the retry came at least a second later
  // (the backoff alone would have retried within 0.02 s). A lower bound only.
  const auto times = s.flickr.image_request_times("t2");
  REQUIRE(times.size() == 2);
  CHECK(std::chrono::duration<double>(times[1] - times[0]).count() >= 1.0);

  // Permanent failures are not retried; repeated ones stop after --retries.
  CHECK(s.flickr.image_requests("t7") == 1);
  CHECK(s.flickr.image_requests("t9") == 1);
  CHECK(s.flickr.image_requests("t8") == 4);  // 1 + --retries 3
  const auto summary = summary_of(r);
  CHECK(failure_reason(summary, "t7").find("not an image (text/html") != std::string::npos);
  CHECK(failure_reason(summary, "t8").find("body cut short") != std::string::npos);
  CHECK(failure_reason(summary, "t8").find("gave up after 4 attempts") != std::string::npos);
  CHECK(failure_reason(summary, "t9") == "HTTP 404 Not Found");
  CHECK(summary["terms"][0]["failed"] == 3);
  CHECK(summary["terms"][0]["exhausted"] == true);
  CHECK(hidden_files(run.out).empty());
  // Only decodable, complete photos are on disk.
  CHECK(photo_tree(run.out).size() == 7);
}

TEST_CASE("malformed JSON from the API is retried a bounded number of times") {
  Setup s;
  for (int i = 0; i < 3; ++i) s.flickr.add("calm", photo("c" + std::to_string(i), 200 + i));
  for (int i = 0; i < 3; ++i) s.flickr.add("broken", photo("b" + std::to_string(i), 300 + i));
  s.flickr.configure([](FakeBehaviour& b) {
    b.malformed_answers_first["calm"] = 2;
    b.always_malformed.insert("broken");
  });
  CrawlRun run = s.crawl("calm,broken");
  run.per_term = 3;
  const ChildResult r = run.run();
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 6);
  CHECK(journal(run.out).size() == 3);
  CHECK(s.flickr.search_pages("calm").size() == 3);    // two malformed answers, then a good one
  CHECK(s.flickr.search_pages("broken").size() == 4);  // 1 + --retries 3, then the term is given up
  const auto summary = summary_of(r);
  CHECK(summary["terms"][0]["have"] == 3);
  CHECK(summary["terms"][1]["error"].get<std::string>().find("malformed JSON") != std::string::npos);
  CHECK(r.err.find("malformed JSON") != std::string::npos);
}

TEST_CASE("an invalid API key stops the crawl at once with a clear message") {
  Setup s;
  s.flickr.add("beach", photo("1", 1));
  CrawlRun run = s.crawl("beach");
  run.key = "not-a-key";
  const ChildResult r = run.run();
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("Invalid API Key (Key has invalid format)") != std::string::npos);
  CHECK(r.err.find("FLICKR_API_KEY") != std::string::npos);
  CHECK(s.flickr.api_calls("flickr.photos.licenses.getInfo") == 1);  // not retried
  CHECK(s.flickr.api_calls("flickr.photos.search") == 0);
  CHECK(s.flickr.image_requests("1") == 0);
  CHECK(photo_tree(run.out).empty());
}

TEST_CASE("a rate-limited or exhausted key stops the crawl after bounded retries") {
  Setup s;
  s.flickr.add("beach", photo("1", 1));
  s.flickr.configure([](FakeBehaviour& b) { b.api_throttled = true; });
  SECTION("429 with a short Retry-After: retried, then given up") {
    s.flickr.configure([](FakeBehaviour& b) { b.throttle_retry_after = 1; });
    CrawlRun run = s.crawl("beach");
    run.extra = {"--retries", "2"};
    const ChildResult r = run.run();
    CHECK(r.exit_code == 5);
    CHECK(r.err.find("429") != std::string::npos);
    CHECK(s.flickr.api_calls("flickr.photos.licenses.getInfo") == 3);
  }
  SECTION("429 asking to wait longer than --max-wait: no retry") {
    s.flickr.configure([](FakeBehaviour& b) { b.throttle_retry_after = 3600; });
    CrawlRun run = s.crawl("beach");
    run.extra = {"--max-wait", "60"};
    const ChildResult r = run.run();
    CHECK(r.exit_code == 5);
    CHECK(r.err.find("Retry-After") != std::string::npos);
    CHECK(s.flickr.api_calls("flickr.photos.licenses.getInfo") == 1);
  }
  CHECK(s.flickr.image_requests("1") == 0);
}

TEST_CASE("a photo host that keeps answering 429 stops the crawl instead of being pushed") {
  Setup s;
  s.flickr.add("beach", photo("ok-1", 1));
  s.flickr.add("beach", photo("busy", 2, 4, Fault::TooManyRequestsAlways));
  for (int i = 0; i < 5; ++i) s.flickr.add("beach", photo("later-" + std::to_string(i), 10 + i));
  CrawlRun run = s.crawl("beach,sea");
  run.per_term = 7;
  run.parallel = 1;
  run.extra = {"--retries", "1"};
  const ChildResult r = run.run();
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("keeps refusing") != std::string::npos);
  CHECK(s.flickr.image_requests("busy") == 2);  // 1 + --retries 1
  CHECK(s.flickr.search_pages("sea").empty());  // the crawl stopped: no further term
  for (int i = 0; i < 5; ++i) CHECK(s.flickr.image_requests("later-" + std::to_string(i)) == 0);
  CHECK(journal(run.out).size() == 1);
  CHECK(hidden_files(run.out).empty());
}

TEST_CASE("an unreachable service fails quickly and clearly") {
  ScratchDir scratch;
  std::string dead;
  {
    FakeFlickr gone;
    dead = gone.base();
  }  // its port is closed now
  fs::create_directories(scratch.path() / "logs");
  const std::vector<std::string> argv = {LOOKALIKE_CLI,
                                         "crawl",
                                         "--terms",
                                         "beach",
                                         "--out",
                                         (scratch.path() / "out").string(),
                                         "--api-base-url",
                                         dead + "/services/rest/",
                                         "--retries",
                                         "1",
                                         "--backoff",
                                         "0.01",
                                         "--connect-timeout",
                                         "1"};
  const ChildResult r = run_child(argv, {"PATH=/usr/bin:/bin", "FLICKR_API_KEY=k"}, scratch.path() / "logs");
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("cannot connect") != std::string::npos);
}

TEST_CASE("hostile photo ids and URLs cannot write outside the output folder") {
  Setup s;
  const std::vector<std::string> ids = {"../../x", "..", "/etc/passwd", "a/b", "ok-1", "../../x2", "..\\..\\y"};
  int seed = 500;
  for (const auto& id : ids) s.flickr.add("beach", photo(id, seed++));
  // Links to local files, listed directly or reached by a redirect.
  FakePhoto listed_file = photo("file-url", seed++);
  listed_file.image_url_override = "file:///etc/passwd";
  s.flickr.add("beach", listed_file);
  s.flickr.add("beach", photo("redirect-to-file", seed++, 4, Fault::RedirectToFile));

  CrawlRun run = s.crawl("beach");
  run.per_term = 8;
  const ChildResult r = run.run();
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 6);  // the redirect to a file failed

  const auto records = journal_by_id(run.out);
  REQUIRE(records.size() == ids.size());
  std::set<std::string> paths;
  for (const auto& id : ids) {
    INFO(id);
    REQUIRE(records.count(id));
    const std::string path = records.at(id)["path"];
    CHECK(path.rfind("beach/", 0) == 0);
    CHECK(fs::path(path).filename().string()[0] != '.');
    CHECK(path.find("..") == std::string::npos);
    CHECK(std::count(path.begin(), path.end(), '/') == 1);
    CHECK(fs::is_regular_file(run.out / path));
    paths.insert(path);
  }
  CHECK(paths.size() == ids.size());  // no two hostile ids share a file
  CHECK(records.at("ok-1")["path"] == "beach/ok-1.jpg");
  const auto summary = summary_of(r);
  CHECK(summary["terms"][0]["skipped_no_url"] == 1);  // file:// is never fetched
  const std::string reason = failure_reason(summary, "redirect-to-file");
  CHECK(reason.find("file") != std::string::npos);
  CHECK(s.flickr.image_requests("redirect-to-file") == 1);  // refused, not retried

  // Nothing but the output folder and the test's logs in the scratch folder.
  std::set<std::string> top;
  for (const auto& e : fs::directory_iterator(s.scratch.path())) top.insert(e.path().filename().string());
  CHECK(top == std::set<std::string>{"logs", "out"});
  std::set<std::string> inside;
  for (const auto& e : fs::directory_iterator(run.out)) inside.insert(e.path().filename().string());
  CHECK(inside ==
        std::set<std::string>{".crawl.lock", ".crawl-duplicates.jsonl", "beach", "crawl.json", "crawl.jsonl"});
}

TEST_CASE("a photo already kept is skipped: same id under another term, same content under another id") {
  Setup s;
  const FakePhoto b1 = photo("b1", 1), b2 = photo("b2", 2), b3 = photo("b3", 3);
  for (const auto& p : {b1, b2, b3}) s.flickr.add("beach", p);
  FakePhoto copy = photo("s1", 9);
  copy.bytes = b3.bytes;  // the same image posted again under another id
  s.flickr.add("sea", b2);
  s.flickr.add("sea", copy);
  s.flickr.add("sea", photo("s2", 4));
  s.flickr.add("sea", photo("s3", 5));

  CrawlRun run = s.crawl("beach,sea");
  run.per_term = 3;
  const ChildResult r = run.run();
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  const auto records = journal_by_id(run.out);
  CHECK(records.size() == 5);
  CHECK(records.at("b2")["term"] == "beach");
  CHECK(records.count("s1") == 0);
  CHECK(s.flickr.image_requests("b2") == 1);  // never downloaded twice
  CHECK_FALSE(fs::exists(run.out / "sea" / "s1.jpg"));
  const auto summary = summary_of(r);
  CHECK(summary["terms"][1]["skipped_same_id"] == 1);
  CHECK(summary["terms"][1]["skipped_same_content"] == 1);
  CHECK(summary["terms"][1]["have"] == 2);

  // Run again: everything is there, nothing is downloaded.
  const auto before = s.flickr.requests().size();
  const ChildResult again = run.run();
  CHECK(again.exit_code == 0);
  const auto requests = s.flickr.requests();
  CHECK(requests.size() > before);  // it did ask the API (sea still wants one more)
  for (std::size_t i = before; i < requests.size(); ++i) CHECK(requests[i].photo_id.empty());
  CHECK(summary_of(again)["terms"][1]["skipped_same_content"] == 1);  // remembered, not downloaded again
  CHECK(journal(run.out).size() == 5);
}

namespace {

// Three terms, a photo that is not an image among them, slow enough
// downloads that a signal lands mid-way.
void add_resume_photos(FakeFlickr& flickr) {
  int seed = 700;
  for (const std::string term : {"beach", "forest", "city"})
    for (int i = 0; i < 7; ++i) {
      FakePhoto p = photo(term + "-" + std::to_string(i), seed++, 4 + (i % 2));
      if (term == "forest" && i == 1) p.fault = Fault::NotImage;
      flickr.add(term, p);
    }
  flickr.configure([](FakeBehaviour& b) { b.image_delay_ms = 150; });
}

void check_same_result(const fs::path& reference, const fs::path& resumed) {
  CHECK(photo_tree(resumed) == photo_tree(reference));
  CHECK(journal_by_id(resumed) == journal_by_id(reference));
  CHECK(hidden_files(resumed).empty());
  const auto a = nlohmann::json::parse(read_bytes(reference / "crawl.json"));
  const auto b = nlohmann::json::parse(read_bytes(resumed / "crawl.json"));
  CHECK(a["photos"] == b["photos"]);
  CHECK(a["licences"] == b["licences"]);
  CHECK(a["terms"] == b["terms"]);
}

bool wait_for_journal_lines(const fs::path& out, std::size_t lines) {
  for (int i = 0; i < 3000; ++i) {  // at most a minute
    if (complete_journal_lines(out) >= lines) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace

TEST_CASE("a crawl killed mid-way and resumed ends like an uninterrupted one") {
  Setup s;
  add_resume_photos(s.flickr);
  CrawlRun reference = s.crawl("beach,forest,city", "reference");
  reference.parallel = 2;
  const ChildResult whole = reference.run();
  INFO("reference stderr: " << whole.err);
  REQUIRE(whole.exit_code == 6);  // the photo that is not an image
  REQUIRE(journal(reference.out).size() == 15);

  const int signal_number = GENERATE(SIGKILL, SIGINT, SIGTERM);
  INFO("signal " << signal_number);
  CrawlRun run = s.crawl("beach,forest,city", "resumed");
  run.parallel = reference.parallel;
  std::set<std::string> kept_before;
  std::size_t requests_before = 0;
  {
    Child child(run.argv(), run.env(), s.logs);
    REQUIRE(wait_for_journal_lines(run.out, 4));
    child.send(signal_number);
    const ChildResult stopped = child.wait();
    INFO("stopped stderr: " << stopped.err);
    if (signal_number == SIGKILL) {
      CHECK(stopped.signal == SIGKILL);
    } else {
      CHECK(stopped.exit_code == 130);  // a clean stop: finished files kept, nothing half-written
      CHECK(hidden_files(run.out).empty());
    }
    requests_before = s.flickr.requests().size();
    for (const auto& [id, j] : journal_by_id(run.out)) kept_before.insert(id);
  }
  REQUIRE(kept_before.size() >= 4);
  REQUIRE(kept_before.size() < 15);  // stopped mid-way

  const ChildResult resumed = run.run();
  INFO("resumed stderr: " << resumed.err);
  CHECK(resumed.exit_code == whole.exit_code);
  check_same_result(reference.out, run.out);
  // Nothing recorded before the stop was asked for again.
  const auto requests = s.flickr.requests();
  for (std::size_t i = requests_before; i < requests.size(); ++i) CHECK(kept_before.count(requests[i].photo_id) == 0);
}

TEST_CASE("a photo file placed but not yet recorded is recorded without downloading it again") {
  Setup s;
  for (int i = 0; i < 4; ++i) s.flickr.add("beach", photo("p" + std::to_string(i), 900 + i));
  CrawlRun run = s.crawl("beach");
  run.per_term = 4;
  REQUIRE(run.run().exit_code == 0);
  const auto complete = journal_by_id(run.out);
  REQUIRE(complete.size() == 4);

  // As if the crawl had been killed between renaming a file and writing its
  // line: drop the last line, keep the file; add a stray file of unknown origin.
  std::vector<std::string> lines;
  {
    std::ifstream in(run.out / "crawl.jsonl");
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  const std::string dropped = nlohmann::json::parse(lines.back())["id"];
  lines.pop_back();
  {
    std::ofstream out(run.out / "crawl.jsonl", std::ios::trunc);
    for (const auto& line : lines) out << line << "\n";
  }
  fs::copy_file(run.out / complete.at(dropped)["path"].get<std::string>(), run.out / "beach" / "stray.jpg");
  const int requests_before = s.flickr.image_requests(dropped);

  const ChildResult r = run.run();
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(s.flickr.image_requests(dropped) == requests_before);  // not downloaded again
  CHECK(journal_by_id(run.out) == complete);
  CHECK(summary_of(r)["terms"][0]["recovered"] == 1);
  CHECK(r.err.find("1 photo file(s)") != std::string::npos);  // the stray file has no attribution
  CHECK(r.err.find("beach/stray.jpg") != std::string::npos);
}

TEST_CASE("a sharded crawl: each shard downloads only the photos whose id hashes to it, its share of --per-term") {
  Setup s;
  std::vector<FakePhoto> listed;
  for (int i = 0; i < 40; ++i) listed.push_back(photo(std::to_string(5400000 + i), 200 + i));
  for (const auto& p : listed) s.flickr.add("beach", p);
  std::set<std::string> all;
  for (std::size_t shard = 0; shard < 2; ++shard) {
    CrawlRun run = s.crawl("beach");
    run.per_term = 11;
    run.extra = {"--shard", std::to_string(shard) + "/2", "--page-size", "10"};
    const ChildResult r = run.run();
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    // The first photos of the search's order among this shard's, 6 + 5 = 11.
    const std::size_t share = shard == 0 ? 6 : 5;
    std::set<std::string> expected;
    for (const auto& p : listed)
      if (cli::ShardSpec::shard_of_key(p.id, 2) == shard && expected.size() < share) expected.insert(p.id);
    std::set<std::string> got;
    for (const auto& [id, j] : journal_by_id(run.out / ("shard-0000" + std::to_string(shard) + "-of-00002")))
      got.insert(id);
    CHECK(got == expected);
    for (const auto& id : got) CHECK(all.insert(id).second);
    CHECK(summary_of(r)["terms"][0]["other_shards"].get<int>() > 0);
  }
  // No photo was downloaded twice, by either shard.
  for (const auto& p : listed) CHECK(s.flickr.image_requests(p.id) <= 1);
}
