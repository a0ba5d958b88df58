#include "crawl/url.h"

#include <cctype>
#include <regex>

namespace lookalike::crawl {

std::string url_encode(const std::string& text) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += char(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string with_query(const std::string& base, const std::vector<std::pair<std::string, std::string>>& params) {
  std::string url = base;
  char separator = base.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [key, value] : params) {
    url += separator;
    url += url_encode(key) + "=" + url_encode(value);
    separator = '&';
  }
  return url;
}

std::string with_flickr_size_suffix(const std::string& url, const std::string& suffix) {
  // <id>_<secret>_<one or two letters>.<ext> at the end of the path.
  static const std::regex pattern(R"(^(.*/[0-9A-Za-z]+_[0-9a-f]+)(_[a-z0-9]{1,2})?(\.(jpg|jpeg|png|gif))$)",
                                  std::regex::icase);
  std::smatch m;
  if (!std::regex_match(url, m, pattern)) return url;
  return m[1].str() + (suffix.empty() ? std::string() : "_" + suffix) + m[3].str();
}

std::string clean_text(const std::string& text, std::size_t limit) {
  std::string out;
  for (unsigned char c : text) {
    if (c <= 0x20 || c == 0x7F) {  // controls and spaces: one space between words
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += char(c);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > limit) {
    std::size_t end = limit;
    while (end > 0 && (static_cast<unsigned char>(out[end]) & 0xC0) == 0x80) --end;
    out.resize(end);
  }
  return out;
}

}  // namespace lookalike::crawl

namespace lookalike::crawl {
bool is_web_url(const std::string& url) {
  std::string head = url.substr(0, 8);
  for (char& c : head) c = char(std::tolower(static_cast<unsigned char>(c)));
  return head.rfind("http://", 0) == 0 || head.rfind("https://", 0) == 0;
}
}  // namespace lookalike::crawl
