#include "crawl/licences.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "common/text.h"
#include "lookalike/common/error.h"

namespace lookalike::crawl {
namespace {

bool contains(const std::string& haystack, const char* needle) { return haystack.find(needle) != std::string::npos; }

}  // namespace

Licence classify_licence(const std::string& id, const std::string& name, const std::string& url) {
  Licence l;
  l.id = id;
  l.name = name;
  l.url = url;
  const std::string u = cli::lower_ascii(url), n = cli::lower_ascii(name);
  static const std::regex cc(R"(creativecommons\.org/licenses/([a-z-]+)/([0-9.]+))");
  static const std::regex pd(R"(creativecommons\.org/publicdomain/(zero|mark)/([0-9.]+))");
  std::smatch m;
  if (std::regex_search(u, m, cc)) {
    const std::string code = m[1].str();
    l.kind = Licence::Kind::CreativeCommons;
    l.non_commercial = contains(code, "nc");
    l.no_derivatives = contains(code, "nd");
    l.short_name = "CC " + cli::upper_ascii(code) + " " + m[2].str();
  } else if (std::regex_search(u, m, pd)) {
    l.kind = Licence::Kind::PublicDomain;
    l.short_name = (m[1].str() == "zero" ? "CC0 " : "Public Domain Mark ") + m[2].str();
  } else if (contains(u, "flickr.com/commons/usage") || contains(n, "no known copyright")) {
    l.kind = Licence::Kind::PublicDomain;
    l.short_name = "No known copyright restrictions";
  } else if (contains(u, "usa.gov") || contains(n, "government work")) {
    l.kind = Licence::Kind::PublicDomain;
    l.short_name = "United States Government Work";
  } else if (contains(n, "all rights reserved") || id == "0") {
    l.kind = Licence::Kind::AllRightsReserved;
    l.short_name = "All Rights Reserved";
  } else {
    // Something new we cannot read: never assume it allows republication.
    l.kind = Licence::Kind::Unknown;
    l.short_name = name.empty() ? "licence " + id : name;
  }
  return l;
}

Licence unknown_licence() {
  Licence l;
  l.short_name = "unknown";
  l.kind = Licence::Kind::Unknown;
  return l;
}

std::vector<Licence> documented_flickr_licences() {
  return {
      classify_licence("0", "All Rights Reserved", ""),
      classify_licence("1", "Attribution-NonCommercial-ShareAlike License",
                       "https://creativecommons.org/licenses/by-nc-sa/2.0/"),
      classify_licence("2", "Attribution-NonCommercial License", "https://creativecommons.org/licenses/by-nc/2.0/"),
      classify_licence("3", "Attribution-NonCommercial-NoDerivs License",
                       "https://creativecommons.org/licenses/by-nc-nd/2.0/"),
      classify_licence("4", "Attribution License", "https://creativecommons.org/licenses/by/2.0/"),
      classify_licence("5", "Attribution-ShareAlike License", "https://creativecommons.org/licenses/by-sa/2.0/"),
      classify_licence("6", "Attribution-NoDerivs License", "https://creativecommons.org/licenses/by-nd/2.0/"),
      classify_licence("7", "No known copyright restrictions", "https://www.flickr.com/commons/usage/"),
      classify_licence("8", "United States Government Work", "http://www.usa.gov/copyright.shtml"),
      classify_licence("9", "Public Domain Dedication (CC0)", "https://creativecommons.org/publicdomain/zero/1.0/"),
      classify_licence("10", "Public Domain Mark", "https://creativecommons.org/publicdomain/mark/1.0/"),
  };
}

std::set<std::string> select_licences(const std::string& spec, const std::vector<Licence>& table) {
  std::set<std::string> ids;
  const std::string s = cli::lower_ascii(spec);
  if (s == "cc" || s == "open" || s == "any") {
    for (const Licence& l : table) {
      const bool take = s == "any" || (s == "cc" && l.redistributable()) ||
                        (s == "open" && l.redistributable() && !l.non_commercial && !l.no_derivatives);
      if (take) ids.insert(l.id);
    }
    return ids;
  }
  std::string valid;
  for (const Licence& l : table) valid += (valid.empty() ? "" : ", ") + l.id + " " + l.short_name;
  std::size_t start = 0;
  while (start <= spec.size()) {
    std::size_t comma = spec.find(',', start);
    if (comma == std::string::npos) comma = spec.size();
    std::string id = spec.substr(start, comma - start);
    id.erase(0, id.find_first_not_of(" \t"));
    id.erase(id.find_last_not_of(" \t") + 1);
    if (!id.empty()) {
      const bool known = std::any_of(table.begin(), table.end(), [&](const Licence& l) { return l.id == id; });
      if (!known)
        fail(ErrorKind::InvalidArgument, "unknown licence '" + id + "' in --licences " + spec +
                                             " (use cc, open, any, or Flickr licence ids: " + valid + ")");
      ids.insert(id);
    }
    start = comma + 1;
  }
  if (ids.empty()) fail(ErrorKind::InvalidArgument, "--licences is empty (use cc, open, any, or Flickr licence ids)");
  return ids;
}

std::string describe_licences(const std::set<std::string>& ids, const std::vector<Licence>& table) {
  std::string out;
  for (const Licence& l : table)
    if (ids.count(l.id)) out += (out.empty() ? "" : ", ") + l.short_name;
  return out.empty() ? "none" : out;
}

}  // namespace lookalike::crawl
