#include "crawl/retry_policy.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>

namespace lookalike::crawl {
namespace {

// Days from 1970-01-01 to the given civil date (proleptic Gregorian), so the
// HTTP-date is read as UTC without depending on the process time zone.
long days_from_civil(long year, unsigned month, unsigned day) {
  year -= month <= 2;
  const long era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

std::optional<std::time_t> parse_http_date(const std::string& value) {
  // IMF-fixdate, the form servers must send: "Sun, 06 Nov 1994 08:49:37 GMT".
  char weekday[4] = {0}, month_name[4] = {0}, zone[4] = {0};
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  if (std::sscanf(value.c_str(), "%3s, %d %3s %d %d:%d:%d %3s", weekday, &day, month_name, &year, &hour, &minute,
                  &second, zone) != 8)
    return std::nullopt;
  if (std::strcmp(zone, "GMT") != 0) return std::nullopt;
  static const char* const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  unsigned month = 0;
  for (unsigned i = 0; i < 12; ++i)
    if (std::strcmp(month_name, months[i]) == 0) month = i + 1;
  if (month == 0 || day < 1 || day > 31 || year < 1970 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const long days = days_from_civil(year, month, static_cast<unsigned>(day));
  return static_cast<std::time_t>(days * 86400L + hour * 3600L + minute * 60L + second);
}

}  // namespace

double backoff_delay(const RetrySettings& settings, int retry, std::mt19937_64& random) {
  const int exponent = std::clamp(retry - 1, 0, 30);
  const double ceiling = std::min(settings.max_backoff_seconds, settings.backoff_seconds * std::ldexp(1.0, exponent));
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  return std::max(0.0, ceiling) * jitter(random);
}

std::optional<double> parse_retry_after(const std::string& value, std::time_t now) {
  std::string v = value;
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.pop_back();
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.erase(v.begin());
  if (v.empty()) return std::nullopt;
  if (std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (v.size() > 9) return 1e9;  // absurdly long: callers compare with their ceiling
    return std::stod(v);
  }
  const auto when = parse_http_date(v);
  if (!when) return std::nullopt;
  return std::max(0.0, std::difftime(*when, now));
}

bool is_retryable_status(long status) { return status == 408 || status == 429 || (status >= 500 && status <= 599); }

}  // namespace lookalike::crawl
