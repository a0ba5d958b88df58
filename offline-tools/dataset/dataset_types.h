// Small value types shared by the dataset scanner, the manifest and the
// steps that read them (prep, eval, index).
#pragma once

#include <string>

namespace lookalike::cli {

// Which side of a train/test split an image is on. None: not split (yet).
enum class Split { None, Train, Test };

const char* split_name(Split split);  // "", "train", "test"
// Accepts "", "train", "test" (any case, surrounding spaces ignored); throws
// Error(InvalidArgument) for anything else, naming the value.
Split parse_split(const std::string& text);

// Where a photo came from and under which licence, as a crawl recorded it.
// Every field is untrusted text (crawled); empty when unknown.
struct Attribution {
  std::string photo_id, term, url, page, owner, title, licence, licence_url;
  bool empty() const {
    return photo_id.empty() && term.empty() && url.empty() && page.empty() && owner.empty() && title.empty() &&
           licence.empty() && licence_url.empty();
  }
};

}  // namespace lookalike::cli
