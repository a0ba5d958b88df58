#include "dataset/manifest.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/files.h"
#include "lookalike/common/error.h"
#include "lookalike/index/attribution_json.h"

namespace lookalike::cli {
namespace {

using nlohmann::json;

constexpr const char* kPixelHashDescription =
    "XXH3-128 of width and height (32-bit little-endian each) followed by the decoded, upright RGB8 pixels";
constexpr const char* kPerceptualHashDescription =
    "64-bit DCT hash: luminance of a 32x32 area-resized copy, 2-D DCT-II, coefficients (1..8)x(1..8) "
    "compared with their median; luma is the picture's mean luminance";

// Reads typed fields with errors that say where in the file the problem is.
class Reader {
 public:
  Reader(const json& object, std::string where) : object_(object), where_(std::move(where)) {
    if (!object_.is_object()) fail(ErrorKind::Corrupt, where_ + ": expected a JSON object");
  }
  const json* find(const char* key) const {
    const auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }
  const json& need(const char* key) const {
    const json* v = find(key);
    if (!v) fail(ErrorKind::Corrupt, where_ + ": missing \"" + key + "\"");
    return *v;
  }
  std::string text(const char* key, bool required = true) const {
    const json* v = required ? &need(key) : find(key);
    if (!v) return {};
    if (!v->is_string()) fail(ErrorKind::Corrupt, where_ + ": \"" + key + "\" must be a string");
    return v->get<std::string>();
  }
  std::uint64_t unsigned_number(const char* key, bool required = true) const {
    const json* v = required ? &need(key) : find(key);
    if (!v) return 0;
    if (!v->is_number_unsigned() && !(v->is_number_integer() && v->get<long long>() >= 0))
      fail(ErrorKind::Corrupt, where_ + ": \"" + key + "\" must be a non-negative integer");
    return v->get<std::uint64_t>();
  }
  const std::string& where() const { return where_; }

 private:
  const json& object_;
  std::string where_;
};

json source_json(const Attribution& a) {
  json j = json::object();
  put_attribution(j, a);
  return j;
}

json image_fields(const ManifestImage& image) {
  json j;
  j["root"] = image.root;
  j["path"] = image.path;
  j["label"] = image.label;
  j["format"] = image.format;
  j["width"] = image.width;
  j["height"] = image.height;
  j["bytes"] = image.bytes;
  j["pixel_hash"] = image.pixel_hash;
  j["phash"] = hex64(image.phash);
  j["luma"] = image.luma;
  if (image.source && !image.source->empty()) j["source"] = source_json(*image.source);
  return j;
}

std::optional<Attribution> optional_source(const Reader& r) {
  if (const json* s = r.find("source")) {
    if (!s->is_object()) fail(ErrorKind::Corrupt, r.where() + ": \"source\" must be an object");
    return read_attribution(*s);
  }
  return std::nullopt;
}

ManifestImage image_from(const Reader& r, std::size_t root_count) {
  ManifestImage image;
  image.root = r.unsigned_number("root");
  if (image.root >= root_count)
    fail(ErrorKind::Corrupt, r.where() + ": root " + std::to_string(image.root) + " does not exist");
  image.path = r.text("path");
  if (image.path.empty()) fail(ErrorKind::Corrupt, r.where() + ": empty path");
  image.label = r.text("label");
  image.format = r.text("format", false);
  image.width = int(r.unsigned_number("width"));
  image.height = int(r.unsigned_number("height"));
  image.bytes = r.unsigned_number("bytes", false);
  image.pixel_hash = r.text("pixel_hash", false);
  const std::string phash = r.text("phash", false);
  if (!phash.empty()) image.phash = parse_hex64(phash, r.where() + ": phash");
  image.luma = int(r.unsigned_number("luma", false));
  image.source = optional_source(r);
  return image;
}

const json& array_field(const Reader& r, const char* key) {
  const json& v = r.need(key);
  if (!v.is_array()) fail(ErrorKind::Corrupt, r.where() + ": \"" + key + "\" must be an array");
  return v;
}

// Calls read(element) for each element of the array `key`; an optional
// array may be absent.
template <class Read>
void each_element(const Reader& top, const char* key, bool required, Read read) {
  if (!required && !top.find(key)) return;
  const json& array = array_field(top, key);
  for (std::size_t i = 0; i < array.size(); ++i)
    read(Reader(array[i], top.where() + ": " + key + "[" + std::to_string(i) + "]"));
}

// parse() of a field's text, its InvalidArgument becoming Corrupt at r.
template <class Parse>
auto as_corrupt(const Reader& r, Parse parse) {
  try {
    return parse();
  } catch (const Error& e) {
    fail(ErrorKind::Corrupt, r.where() + ": " + e.what());
  }
}

SourceRoot root_from(const Reader& r) {
  return {r.text("path"), as_corrupt(r, [&] { return parse_layout(r.text("layout")); })};
}

ManifestDuplicate duplicate_from(const Reader& r, const Manifest& m) {
  ManifestDuplicate d;
  d.image = image_from(r, m.roots.size());
  d.kind = r.text("kind");
  const Reader of(r.need("duplicate_of"), r.where() + ": duplicate_of");
  d.of_root = of.unsigned_number("root");
  d.of_path = of.text("path");
  d.distance = int(r.unsigned_number("distance", false));
  return d;
}

ManifestRejection rejection_from(const Reader& r) {
  ManifestRejection x;
  x.root = r.unsigned_number("root");
  x.path = r.text("path");
  x.label = r.text("label", false);
  x.reason = r.text("reason");
  x.message = r.text("message", false);
  x.bytes = r.unsigned_number("bytes", false);
  x.source = optional_source(r);
  return x;
}

}  // namespace

std::string hex64(std::uint64_t value) {
  static const char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, value >>= 4) out[std::size_t(i)] = digits[value & 15];
  return out;
}

std::uint64_t parse_hex64(const std::string& text, const std::string& what) {
  if (text.empty() || text.size() > 16)
    fail(ErrorKind::Corrupt, what + ": expected 16 hex digits, got \"" + text + "\"");
  std::uint64_t value = 0;
  for (char c : text) {
    int d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    else
      fail(ErrorKind::Corrupt, what + ": expected 16 hex digits, got \"" + text + "\"");
    value = (value << 4) | std::uint64_t(d);
  }
  return value;
}

std::vector<std::string> Manifest::labels() const {
  std::set<std::string> set;
  for (const auto& image : images) set.insert(image.label);
  return {set.begin(), set.end()};
}

std::vector<ClassSummary> summarise(const Manifest& manifest) {
  std::map<std::string, ClassSummary> rows;
  auto row = [&](const std::string& label) -> ClassSummary& {
    ClassSummary& s = rows[label];
    s.label = label;
    return s;
  };
  for (const auto& image : manifest.images) {
    ClassSummary& s = row(image.label);
    ++s.kept;
    if (image.split == Split::Train) ++s.train;
    if (image.split == Split::Test) ++s.test;
  }
  for (const auto& d : manifest.duplicates) ++row(d.image.label).duplicates;
  for (const auto& r : manifest.rejected) ++row(r.label).rejected;
  std::vector<ClassSummary> out;
  ClassSummary total;
  total.label = "total";
  for (auto& [label, s] : rows) {
    total.kept += s.kept;
    total.duplicates += s.duplicates;
    total.rejected += s.rejected;
    total.train += s.train;
    total.test += s.test;
    out.push_back(s);
  }
  out.push_back(total);
  return out;
}

json summary_to_json(const std::vector<ClassSummary>& rows) {
  json out = json::array();
  for (const auto& s : rows)
    out.push_back({{"label", s.label},
                   {"kept", s.kept},
                   {"duplicates", s.duplicates},
                   {"rejected", s.rejected},
                   {"train", s.train},
                   {"test", s.test}});
  return out;
}

json manifest_to_json(const Manifest& manifest) {
  json j;
  j["schema"] = Manifest::kSchema;
  j["kind"] = "lookalike-manifest";
  j["created"] = manifest.created;
  j["tool"] = manifest.tool;
  j["options"] = manifest.options;
  j["hashes"] = {{"pixel", kPixelHashDescription}, {"perceptual", kPerceptualHashDescription}};
  j["roots"] = json::array();
  for (const auto& root : manifest.roots) j["roots"].push_back(root_to_json(root));
  j["labels"] = manifest.labels();
  j["images"] = json::array();
  for (const auto& image : manifest.images) {
    json e = image_fields(image);
    e["split"] = split_name(image.split);
    j["images"].push_back(std::move(e));
  }
  j["duplicates"] = json::array();
  for (const auto& d : manifest.duplicates) {
    json e = image_fields(d.image);
    e["kind"] = d.kind;
    e["duplicate_of"] = {{"root", d.of_root}, {"path", d.of_path}};
    e["distance"] = d.distance;
    j["duplicates"].push_back(std::move(e));
  }
  j["rejected"] = json::array();
  for (const auto& r : manifest.rejected) {
    json e{{"root", r.root}, {"path", r.path}, {"label", r.label}, {"reason", r.reason}, {"message", r.message}};
    if (r.bytes > 0) e["bytes"] = r.bytes;
    if (r.source && !r.source->empty()) e["source"] = source_json(*r.source);
    j["rejected"].push_back(std::move(e));
  }
  j["summary"] = summary_to_json(summarise(manifest));
  return j;
}

json root_to_json(const SourceRoot& root) {
  return {{"path", root.path.string()}, {"layout", layout_name(root.layout)}};
}

SourceRoot root_from_json(const json& j, const std::string& where) { return root_from(Reader(j, where)); }

Manifest manifest_from_json(const json& j, const std::string& name) {
  const Reader top(j, name);
  if (top.text("kind", false) != "lookalike-manifest")
    fail(ErrorKind::Corrupt, name + ": not a lookalike manifest (no \"kind\": \"lookalike-manifest\")");
  const std::uint64_t schema = top.unsigned_number("schema");
  if (schema != std::uint64_t(Manifest::kSchema))
    fail(ErrorKind::Unsupported, name + ": manifest schema " + std::to_string(schema) +
                                     " is not supported (this lookalike reads schema " +
                                     std::to_string(Manifest::kSchema) + ")");
  Manifest m;
  m.created = top.text("created", false);
  m.tool = top.text("tool", false);
  if (const json* o = top.find("options")) m.options = *o;
  each_element(top, "roots", true, [&](const Reader& r) { m.roots.push_back(root_from(r)); });
  each_element(top, "images", true, [&](const Reader& r) {
    ManifestImage image = image_from(r, m.roots.size());
    image.split = as_corrupt(r, [&] { return parse_split(r.text("split", false)); });
    m.images.push_back(std::move(image));
  });
  each_element(top, "duplicates", false, [&](const Reader& r) { m.duplicates.push_back(duplicate_from(r, m)); });
  each_element(top, "rejected", false, [&](const Reader& r) { m.rejected.push_back(rejection_from(r)); });
  return m;
}

Manifest read_manifest(const fs::path& file) {
  const std::string text = read_text_file(file);
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    // nlohmann's message carries the line and column of the fault.
    std::string what = e.what();
    const auto colon = what.find(": ");
    fail(ErrorKind::Corrupt,
         file.string() + ": not valid JSON (" + (colon == std::string::npos ? what : what.substr(colon + 2)) + ")");
  }
  return manifest_from_json(j, file.string());
}

void write_manifest(const fs::path& file, const Manifest& manifest) {
  write_file_atomic(file, manifest_to_json(manifest).dump(2) + "\n");
}

}  // namespace lookalike::cli
