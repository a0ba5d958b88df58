// File names made from untrusted text. Search terms come from the command
// line and photo ids from a remote server; neither may choose where a file
// lands. Every name produced here is a single path component made of safe
// characters, never "." or "..", so DIR/<folder>/<stem>.<ext> stays in DIR.
#pragma once

#include <filesystem>
#include <string>

namespace lookalike::crawl {

// The folder for a search term ("red car" → "red-car"): ASCII letters,
// digits, '-', '_', '.', and UTF-8 bytes are kept, white space becomes '-',
// anything else '_'; leading dots are dropped, at most 100 bytes. Empty when
// nothing usable is left (the caller reports the term as unusable).
std::string folder_for_term(const std::string& term);

// The file stem for a photo id. A well-formed id (Flickr ids are digits) is
// used as is; anything else, e.g. "../../x", becomes its safe characters plus
// a hash of the original ("______x-1a2b3c4d5e6f"), so two hostile ids never
// share a file and none can leave the folder.
std::string file_stem_for_id(const std::string& id);
bool is_plain_id(const std::string& id);  // [A-Za-z0-9_-]{1,64}

// root / relative, after checking that the relative path is a plain downward
// path (no absolute part, no "..", no empty or "." component). Throws
// lookalike::Error(InvalidArgument) otherwise: a last line of defence.
std::filesystem::path path_inside(const std::filesystem::path& root, const std::filesystem::path& relative);

}  // namespace lookalike::crawl
