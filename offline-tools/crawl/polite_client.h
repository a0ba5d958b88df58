// Requests as a well-behaved crawler makes them: each attempt waits for the
// shared rate limiter; transient failures (timeouts, dropped connections,
// bodies cut short, 408/429/5xx) are retried a bounded number of times with
// exponential backoff and jitter; Retry-After on 429 and 503 is honoured,
// and pauses every worker, up to a ceiling past which we give up.
#pragma once

#include <functional>
#include <random>
#include <string>

#include "crawl/http_fetcher.h"
#include "crawl/rate_limiter.h"
#include "crawl/retry_policy.h"

namespace lookalike::crawl {

// What a caller thinks of a complete 2xx response (e.g. a JSON API answer
// that does not parse is worth another try; an error code is not).
struct Judgement {
  enum class Kind { Accept, Retry, Fail };
  Kind kind = Kind::Accept;
  std::string reason;
  static Judgement accept() { return {}; }
  static Judgement retry(std::string why) { return {Kind::Retry, std::move(why)}; }
  static Judgement failure(std::string why) { return {Kind::Fail, std::move(why)}; }
};

struct FetchOutcome {
  enum class Kind { Ok, Failed, Stopped };
  Kind kind = Kind::Failed;
  HttpResponse response;  // the last response received
  std::string failure;    // why, when Failed
  int attempts = 0;
  bool throttled = false;  // failed because the server kept refusing for load (429, or too long a Retry-After)
  bool ok() const { return kind == Kind::Ok; }
};

class PoliteClient {
 public:
  using Judge = std::function<Judgement(const HttpResponse&)>;

  PoliteClient(const HttpSettings& http, const RetrySettings& retry, RateLimiter& limiter,
               std::function<bool()> should_stop);

  FetchOutcome fetch(const std::string& url, const Judge& judge = {});

 private:
  RetrySettings retry_;
  RateLimiter& limiter_;
  std::function<bool()> should_stop_;
  HttpFetcher fetcher_;
  std::mt19937_64 random_;
};

}  // namespace lookalike::crawl
