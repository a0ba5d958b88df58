// When and how long to wait before trying a request again.
//
// Bounded everywhere: a fixed number of retries, an exponential backoff with
// a ceiling, and a ceiling on how long a server's Retry-After is honoured
// (a longer demand gives up instead of waiting for hours).
#pragma once

#include <ctime>
#include <optional>
#include <random>
#include <string>

namespace lookalike::crawl {

struct RetrySettings {
  int retries = 4;                    // attempts after the first one
  double backoff_seconds = 1.0;       // delay before the first retry, doubled each time
  double max_backoff_seconds = 60.0;  // ceiling of that doubling
  double max_wait_seconds = 300.0;    // longest Retry-After honoured
};

// Delay before retry number `retry` (1 for the first retry):
// min(max_backoff, backoff · 2^(retry−1)), scaled by a random factor in
// [0.5, 1] so that parallel workers do not retry in lock step.
double backoff_delay(const RetrySettings& settings, int retry, std::mt19937_64& random);

// Seconds to wait from a Retry-After header: delta-seconds ("120") or an
// HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT", measured from `now`, never
// negative). Nothing when the value is missing or malformed.
std::optional<double> parse_retry_after(const std::string& value, std::time_t now);

// Statuses worth another try: 408, 429 and every 5xx.
bool is_retryable_status(long status);

}  // namespace lookalike::crawl
