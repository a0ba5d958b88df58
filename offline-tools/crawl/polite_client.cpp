#include "crawl/polite_client.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <optional>

#include "common/log.h"

namespace lookalike::crawl {

using namespace lookalike::cli;  // logging, progress, interrupt flag
namespace {

std::string seconds_text(double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", seconds);
  return buffer;
}

std::string status_text(const HttpResponse& r) {
  return "HTTP " + std::to_string(r.status) + (r.reason.empty() ? "" : " " + r.reason);
}

// What one attempt's response means: final (true: `outcome` says accepted,
// stopped or failed) or worth another attempt (`problem` says why,
// `asked_wait` what the server asked for).
bool settle_attempt(const HttpResponse& r, const PoliteClient::Judge& judge, FetchOutcome& outcome,
                    std::string& problem, std::optional<double>& asked_wait) {
  using T = HttpResponse::Transfer;
  switch (r.transfer) {
    case T::Aborted: outcome.kind = FetchOutcome::Kind::Stopped; return true;
    case T::Permanent:
    case T::TooLarge:
      outcome.kind = FetchOutcome::Kind::Failed;
      outcome.failure = r.transfer_error;
      return true;
    case T::Transient: problem = r.transfer_error; break;
    case T::Complete:
      if (r.status >= 200 && r.status <= 299) {
        const Judgement j = judge ? judge(r) : Judgement::accept();
        if (j.kind == Judgement::Kind::Accept) {
          outcome.kind = FetchOutcome::Kind::Ok;
          return true;
        }
        if (j.kind == Judgement::Kind::Fail) {
          outcome.kind = FetchOutcome::Kind::Failed;
          outcome.failure = j.reason;
          return true;
        }
        problem = j.reason;
      } else if (is_retryable_status(r.status)) {
        problem = status_text(r);
        if (r.status == 429 || r.status == 503) asked_wait = parse_retry_after(r.retry_after, std::time(nullptr));
      } else {
        outcome.kind = FetchOutcome::Kind::Failed;
        outcome.failure = status_text(r);
        return true;
      }
      break;
  }
  return false;
}

}  // namespace

PoliteClient::PoliteClient(const HttpSettings& http, const RetrySettings& retry, RateLimiter& limiter,
                           std::function<bool()> should_stop)
    : retry_(retry),
      limiter_(limiter),
      should_stop_(should_stop),
      fetcher_(http, should_stop),
      random_(std::random_device{}()) {}

FetchOutcome PoliteClient::fetch(const std::string& url, const Judge& judge) {
  FetchOutcome outcome;
  const int max_attempts = 1 + std::max(0, retry_.retries);
  for (int attempt = 1; attempt <= max_attempts; ++attempt) {
    outcome.attempts = attempt;
    if (!limiter_.acquire(should_stop_)) {
      outcome.kind = FetchOutcome::Kind::Stopped;
      return outcome;
    }
    outcome.response = fetcher_.get(url);
    const HttpResponse& r = outcome.response;
    std::string problem;
    std::optional<double> asked_wait;
    if (settle_attempt(r, judge, outcome, problem, asked_wait)) return outcome;

    const bool refused_for_load = r.transfer == HttpResponse::Transfer::Complete && r.status == 429;
    if (asked_wait && *asked_wait > retry_.max_wait_seconds) {
      outcome.kind = FetchOutcome::Kind::Failed;
      outcome.throttled = true;
      outcome.failure = problem + " asking to wait " + seconds_text(*asked_wait) +
                        " s (Retry-After), longer than the --max-wait of " + seconds_text(retry_.max_wait_seconds) +
                        " s";
      return outcome;
    }
    if (attempt == max_attempts) {
      outcome.kind = FetchOutcome::Kind::Failed;
      outcome.throttled = refused_for_load;
      outcome.failure =
          problem + (max_attempts > 1 ? " (gave up after " + std::to_string(max_attempts) + " attempts)" : "");
      return outcome;
    }

    double delay = backoff_delay(retry_, attempt, random_);
    if (asked_wait) {
      // Retry-After is a floor, and it concerns the server, not this request.
      delay = std::max(delay, *asked_wait);
      limiter_.pause_for(*asked_wait);
    } else if (refused_for_load) {
      limiter_.pause_for(delay);
    }
    log_verbose("retrying " + url + " in " + seconds_text(delay) + " s (attempt " + std::to_string(attempt + 1) +
                " of " + std::to_string(max_attempts) + "): " + problem);
    if (!sleep_unless_stopped(delay, should_stop_)) {
      outcome.kind = FetchOutcome::Kind::Stopped;
      return outcome;
    }
  }
  return outcome;  // not reached: the loop returns on its last attempt
}

}  // namespace lookalike::crawl
