// Flickr's photo licences: what each id means, which ones a crawl accepts,
// and the short names attribution uses ("CC BY 2.0").
//
// The table comes from flickr.photos.licenses.getInfo at the start of an API
// crawl, so licences Flickr adds later are understood from their URL; the
// documented list (ids 0–10) is the fallback when that call cannot be used.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace lookalike::crawl {

struct Licence {
  enum class Kind {
    Unknown,            // the public feed says nothing about licences
    AllRightsReserved,  // no permission to republish
    CreativeCommons,    // a CC licence: attribution required, maybe NC/ND/SA terms
    PublicDomain,       // CC0, Public Domain Mark, no known copyright restrictions, US Government Work
  };
  std::string id;          // Flickr's id ("4"); empty when unknown
  std::string name;        // Flickr's name ("Attribution License")
  std::string url;         // the licence's own page
  std::string short_name;  // "CC BY 2.0", "CC0 1.0", "Public Domain Mark 1.0", "All Rights Reserved", "unknown"
  Kind kind = Kind::Unknown;
  bool non_commercial = false;  // NC: only non-commercial republication
  bool no_derivatives = false;  // ND: only unmodified copies

  // May be republished (with attribution where the licence asks for it).
  bool redistributable() const { return kind == Kind::CreativeCommons || kind == Kind::PublicDomain; }
};

// Builds a Licence from what Flickr reports, deriving kind, flags and short
// name from the URL (creativecommons.org/licenses/by-nc-sa/2.0/ → CC BY-NC-SA 2.0).
Licence classify_licence(const std::string& id, const std::string& name, const std::string& url);
Licence unknown_licence();

// The list documented for flickr.photos.licenses.getInfo (ids 0 to 10).
std::vector<Licence> documented_flickr_licences();

// Which licence ids a crawl accepts, from --licences:
//   "cc"    every Creative Commons licence and every public-domain mark (default)
//   "open"  only those that allow commercial use and changes: CC BY, CC BY-SA, public domain
//   "any"   everything, All Rights Reserved included: for private experiments only
//   "4,5,9" these Flickr ids
// Throws lookalike::Error(InvalidArgument) naming the valid choices.
std::set<std::string> select_licences(const std::string& spec, const std::vector<Licence>& table);

// One line for logs: "CC BY 2.0, CC BY-SA 2.0, CC0 1.0".
std::string describe_licences(const std::set<std::string>& ids, const std::vector<Licence>& table);

}  // namespace lookalike::crawl
