#include "crawl/safe_names.h"

#include "crawl/sha256.h"
#include "lookalike/common/error.h"

namespace lookalike::crawl {
namespace {

bool is_ascii_alnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Cuts at most `limit` bytes without splitting a UTF-8 sequence.
std::string cut_utf8(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace

std::string folder_for_term(const std::string& term) {
  std::string out;
  for (unsigned char c : term) {
    if (is_ascii_alnum(c) || c == '-' || c == '_' || c == '.' || c >= 0x80)
      out += char(c);
    else if (c == ' ' || c == '\t')
      out += '-';
    else
      out += '_';
  }
  std::size_t first = out.find_first_not_of('.');
  out = first == std::string::npos ? std::string() : out.substr(first);
  out = cut_utf8(out, 100);
  // A name made only of separators says nothing about the term.
  if (out.find_first_not_of("-_.") == std::string::npos) return {};
  return out;
}

bool is_plain_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (unsigned char c : id)
    if (!is_ascii_alnum(c) && c != '-' && c != '_') return false;
  return true;
}

std::string file_stem_for_id(const std::string& id) {
  if (is_plain_id(id)) return id;
  std::string safe;
  for (unsigned char c : id) safe += (is_ascii_alnum(c) || c == '-') ? char(c) : '_';
  if (safe.size() > 40) safe.resize(40);
  if (safe.empty()) safe = "id";
  return safe + "-" + sha256_hex(id).substr(0, 12);
}

std::filesystem::path path_inside(const std::filesystem::path& root, const std::filesystem::path& relative) {
  if (relative.empty() || relative.is_absolute() || relative.has_root_name() || relative.has_root_directory())
    fail(ErrorKind::InvalidArgument, "refusing to write outside the output folder: " + relative.string());
  for (const auto& part : relative) {
    const std::string s = part.string();
    if (s.empty() || s == "." || s == ".." || s.find('/') != std::string::npos)
      fail(ErrorKind::InvalidArgument, "refusing to write outside the output folder: " + relative.string());
  }
  return root / relative;
}

}  // namespace lookalike::crawl
