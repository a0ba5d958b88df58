// The crawler's building blocks, one at a time: names, hashes, URLs,
// Retry-After and backoff, licences, the feed's JSON quirk, the journal's
// repair after a kill, the output folder's lock.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>

#include "crawl/crawl_journal.h"
#include "crawl/flickr_feed_source.h"
#include "crawl/licences.h"
#include "crawl/photo_store.h"
#include "crawl/rate_limiter.h"
#include "crawl/retry_policy.h"
#include "crawl/safe_names.h"
#include "crawl/sha256.h"
#include "crawl/url.h"
#include "lookalike/common/error.h"
#include "scratch_dir.h"

using namespace lookalike;
using namespace lookalike::crawl;

TEST_CASE("sha256_hex matches the FIPS 180-2 test vectors") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("term folders are single safe path components") {
  CHECK(folder_for_term("beach") == "beach");
  CHECK(folder_for_term("red car") == "red-car");
  CHECK(folder_for_term("../../etc") == "_.._etc");
  CHECK(folder_for_term("a/b\\c") == "a_b_c");
  CHECK(folder_for_term("café") == "café");
  CHECK(folder_for_term("..") == "");
  CHECK(folder_for_term("///") == "");
  CHECK(folder_for_term(std::string(300, 'x')).size() == 100);
}

TEST_CASE("hostile photo ids become distinct safe file stems") {
  CHECK(file_stem_for_id("53412345678") == "53412345678");
  const std::string a = file_stem_for_id("../../x");
  const std::string b = file_stem_for_id("..//..x");
  CHECK(a != b);
  for (const std::string& stem :
       {a, b, file_stem_for_id(".."), file_stem_for_id("/etc/passwd"), file_stem_for_id("")}) {
    INFO(stem);
    CHECK_FALSE(stem.empty());
    CHECK(stem.find('/') == std::string::npos);
    CHECK(stem.find("..") == std::string::npos);
    CHECK(stem[0] != '.');
  }
  CHECK(a.rfind("______x-", 0) == 0);
  CHECK(file_stem_for_id(std::string(500, '7')).size() <= 53);
}

TEST_CASE("path_inside refuses anything but a plain downward path") {
  const std::filesystem::path root = "/tmp/out";
  CHECK(path_inside(root, "beach/1.jpg") == root / "beach/1.jpg");
  CHECK_THROWS_AS(path_inside(root, "../x.jpg"), Error);
  CHECK_THROWS_AS(path_inside(root, "beach/../../x.jpg"), Error);
  CHECK_THROWS_AS(path_inside(root, "/etc/passwd"), Error);
  CHECK_THROWS_AS(path_inside(root, ""), Error);
}

TEST_CASE("URL helpers encode queries and switch Flickr size suffixes") {
  CHECK(url_encode("red car&x=1/é") == "red%20car%26x%3D1%2F%C3%A9");
  CHECK(with_query("http://h/p", {{"a", "1"}, {"b", "x y"}}) == "http://h/p?a=1&b=x%20y");
  CHECK(with_query("http://h/p?k=v", {{"a", "1"}}) == "http://h/p?k=v&a=1");
  const std::string small = "https://live.staticflickr.com/65535/53412345678_0a1b2c3d4e_m.jpg";
  CHECK(with_flickr_size_suffix(small, "") == "https://live.staticflickr.com/65535/53412345678_0a1b2c3d4e.jpg");
  CHECK(with_flickr_size_suffix(small, "b") == "https://live.staticflickr.com/65535/53412345678_0a1b2c3d4e_b.jpg");
  CHECK(with_flickr_size_suffix("https://example.org/photo.jpg", "z") == "https://example.org/photo.jpg");
  CHECK(is_web_url("HTTPS://x"));
  CHECK_FALSE(is_web_url("javascript:alert(1)"));
  CHECK_FALSE(is_web_url("file:///etc/passwd"));
  CHECK(clean_text("a\nb\t c\x01") == "a b c");
}

TEST_CASE("Retry-After is read as seconds or as an HTTP date") {
  const std::time_t now = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT
  CHECK(parse_retry_after("120", now) == Approx(120));
  CHECK(parse_retry_after(" 0 ", now) == Approx(0));
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now) == Approx(30));
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now) == Approx(0));  // in the past: no wait
  CHECK_FALSE(parse_retry_after("", now).has_value());
  CHECK_FALSE(parse_retry_after("soon", now).has_value());
  CHECK_FALSE(parse_retry_after("-5", now).has_value());
  CHECK(*parse_retry_after("99999999999999", now) >= 1e9);
}

TEST_CASE("backoff doubles, jitters and never exceeds its ceiling") {
  RetrySettings s;
  s.backoff_seconds = 1;
  s.max_backoff_seconds = 10;
  std::mt19937_64 random(7);
  for (int retry = 1; retry <= 40; ++retry) {
    const double ceiling = std::min(10.0, std::ldexp(1.0, retry - 1));
    for (int k = 0; k < 20; ++k) {
      const double d = backoff_delay(s, retry, random);
      CHECK(d <= ceiling);
      CHECK(d >= 0.5 * ceiling);
    }
  }
  CHECK(is_retryable_status(429));
  CHECK(is_retryable_status(503));
  CHECK(is_retryable_status(500));
  CHECK_FALSE(is_retryable_status(404));
  CHECK_FALSE(is_retryable_status(403));
}

TEST_CASE("the rate limiter's waits end when the crawl stops") {
  RateLimiter unlimited(0);
  CHECK(unlimited.acquire({}));
  CHECK(unlimited.acquire({}));
  RateLimiter slow(0.0001);  // one request every 10000 s
  CHECK(slow.acquire([] { return false; }));
  bool stop = false;
  int polls = 0;
  // The second slot is hours away: only the stop can end this wait.
  CHECK_FALSE(slow.acquire([&] {
    if (++polls > 3) stop = true;
    return stop;
  }));
  RateLimiter paused(0);
  paused.pause_for(10000);
  CHECK_FALSE(paused.acquire([] { return true; }));
}

TEST_CASE("licences are classified from their URL, new ones included") {
  const Licence by = classify_licence("4", "Attribution License", "https://creativecommons.org/licenses/by/2.0/");
  CHECK(by.short_name == "CC BY 2.0");
  CHECK(by.kind == Licence::Kind::CreativeCommons);
  CHECK(by.redistributable());
  const Licence nc = classify_licence("1", "x", "https://creativecommons.org/licenses/by-nc-sa/2.0/");
  CHECK(nc.short_name == "CC BY-NC-SA 2.0");
  CHECK(nc.non_commercial);
  CHECK_FALSE(nc.no_derivatives);
  CHECK(classify_licence("11", "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/").short_name == "CC BY 4.0");
  CHECK(classify_licence("9", "", "https://creativecommons.org/publicdomain/zero/1.0/").short_name == "CC0 1.0");
  CHECK(classify_licence("10", "", "https://creativecommons.org/publicdomain/mark/1.0/").kind ==
        Licence::Kind::PublicDomain);
  const Licence arr = classify_licence("0", "All Rights Reserved", "");
  CHECK(arr.kind == Licence::Kind::AllRightsReserved);
  CHECK_FALSE(arr.redistributable());
  const Licence odd = classify_licence("42", "Some future licence", "https://example.org/terms");
  CHECK_FALSE(odd.redistributable());
  CHECK_FALSE(unknown_licence().redistributable());
}

TEST_CASE("licence selections: cc, open, any and explicit ids") {
  const auto table = documented_flickr_licences();
  REQUIRE(table.size() == 11);
  CHECK(select_licences("cc", table) == std::set<std::string>{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"});
  CHECK(select_licences("open", table) == std::set<std::string>{"4", "5", "7", "8", "9", "10"});
  CHECK(select_licences("any", table).count("0") == 1);
  CHECK(select_licences("4, 9", table) == std::set<std::string>{"4", "9"});
  CHECK_THROWS_WITH(select_licences("4,99", table), Catch::Contains("unknown licence '99'"));
  CHECK_THROWS_AS(select_licences(",", table), Error);
}

TEST_CASE("the feed's escaped apostrophes are repaired, other escapes kept") {
  const std::string raw = R"({"a":"x\\","b":"it\'s","c":"say \"hi\"","d":"\u00e9\n"})";
  const auto j = nlohmann::json::parse(repair_feed_json(raw));
  CHECK(j["a"] == "x\\");
  CHECK(j["b"] == "it's");
  CHECK(j["c"] == "say \"hi\"");
  CHECK(j["d"] == "é\n");
  CHECK(feed_author_name("nobody@flickr.com (\"Jane O'Doe\")") == "Jane O'Doe");
  CHECK(feed_photo_id("https://www.flickr.com/photos/12345@N00/53412345678/", "") == "53412345678");
  CHECK(feed_photo_id("", "https://live.staticflickr.com/65535/53412345678_0a1b2c3d4e_m.jpg") == "53412345678");
  CHECK(feed_photo_id("https://example.org/", "https://example.org/x.jpg") == "");
}

namespace {

CrawlRecord sample_record(const std::string& id, const std::string& sha) {
  CrawlRecord r;
  r.photo.id = id;
  r.photo.term = "beach";
  r.photo.source = "flickr-api";
  r.photo.licence = classify_licence("4", "Attribution License", "https://creativecommons.org/licenses/by/2.0/");
  r.path = "beach/" + id + ".jpg";
  r.sha256 = sha;
  r.format = "jpeg";
  r.width = 4;
  r.height = 3;
  r.bytes = 100;
  r.downloaded = "2026-11-27T10:00:00Z";
  return r;
}

}  // namespace

TEST_CASE("the journal keeps whole lines and cuts a torn last one") {
  lookalike::testing::ScratchDir dir;
  const auto file = dir.path() / "crawl.jsonl";
  const auto duplicates = dir.path() / ".crawl-duplicates.jsonl";
  {
    CrawlJournal journal(file, duplicates);
    CHECK(journal.commit(sample_record("1", "aa"), {}) == CrawlJournal::Commit::Committed);
    CHECK(journal.commit(sample_record("2", "bb"), {}) == CrawlJournal::Commit::Committed);
    std::string kept;
    CHECK(journal.commit(sample_record("1", "cc"), {}, &kept) == CrawlJournal::Commit::SameId);
    CHECK(kept == "beach/1.jpg");
    bool placed = false;
    CHECK(journal.commit(
              sample_record("3", "aa"), [&] { placed = true; }, &kept) == CrawlJournal::Commit::SameContent);
    CHECK_FALSE(placed);
    CHECK(kept == "beach/1.jpg");
  }
  {
    std::ofstream torn(file, std::ios::app);
    torn << R"({"id":"3","term":"beach","pa)";  // a crawl killed mid-write
  }
  CrawlJournal reopened(file, duplicates);
  CHECK(reopened.open_report().records == 2);
  CHECK(reopened.open_report().torn_bytes_removed > 0);
  CHECK(reopened.count_for_term("beach") == 2);
  CHECK(reopened.has_id("2"));
  CHECK_FALSE(reopened.has_id("3"));
  CHECK(reopened.duplicate_of("3") == std::optional<std::string>("beach/1.jpg"));  // remembered
  CHECK_FALSE(reopened.duplicate_of("2").has_value());
  const auto r = reopened.find_id("1");
  REQUIRE(r);
  CHECK(r->photo.licence.short_name == "CC BY 2.0");
  CHECK(r->photo.licence.id == "4");
  // The repaired file ends with a newline, so the next line starts clean.
  CHECK(reopened.commit(sample_record("3", "dd"), {}) == CrawlJournal::Commit::Committed);
  CrawlJournal again(file, duplicates);
  CHECK(again.open_report().records == 3);
  CHECK(again.open_report().bad_lines == 0);
}

TEST_CASE("an output folder takes one crawl at a time, and temporaries are hidden and cleaned") {
  lookalike::testing::ScratchDir dir;
  PhotoStore store(dir.path() / "out");
  CHECK_THROWS_WITH(PhotoStore(dir.path() / "out"), Catch::Contains("another crawl is writing"));
  const auto temporary = store.write_temporary("beach/1.jpg", {1, 2, 3});
  CHECK(temporary.filename().string()[0] == '.');
  CHECK(store.find_existing("beach", "1").empty());
  CHECK(store.remove_leftover_temporaries() == 1);
  CHECK_FALSE(std::filesystem::exists(temporary));
  const auto again = store.write_temporary("beach/1.jpg", {1, 2, 3});
  store.place(again, "beach/1.jpg");
  CHECK(store.find_existing("beach", "1") == "beach/1.jpg");
  CHECK_THROWS_AS(store.write_temporary("../escape.jpg", {1}), Error);
}
