#include "lookalike/index/collection.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "lookalike/common/error.h"
#include "lookalike/common/name_list.h"
#include "lookalike/index/attribution_json.h"
#include "lookalike/model/model_card.h"

namespace lookalike {
namespace {

using nlohmann::json;

// Where a problem is reported: the file ("collection", "collection list"),
// the error kind (InvalidArgument when writing, Corrupt when reading).
struct Reporter {
  const char* what;
  ErrorKind kind;
  [[noreturn]] void operator()(const std::string& field, const std::string& problem) const {
    fail(kind, std::string(what) + ": " + field + " " + problem);
  }
};

bool is_name(const std::string& s) {
  if (s.empty() || s.size() > 100 || s[0] == '.') return false;
  for (const char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) return false;
  return true;
}

// A path inside site/: relative, '/'-separated, no "." or ".." segment, no
// scheme, no backslash, no control character.
bool is_site_path(const std::string& s) {
  if (s.empty() || s.size() > 1024 || s.front() == '/' || s.back() == '/') return false;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t end = std::min(s.find('/', start), s.size());
    const std::string segment = s.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    start = end + 1;
  }
  for (const char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '\\' || c == ':') return false;
  return true;
}

// RFC 3339 date-time in UTC or with an offset: 2026-11-27T10:00:00Z, optional fraction.
bool is_timestamp(const std::string& s) {
  const auto digits = [&s](std::size_t at, std::size_t n) {
    if (at + n > s.size()) return false;
    for (std::size_t i = at; i < at + n; ++i)
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
  };
  if (!(digits(0, 4) && s.size() > 19 && s[4] == '-' && digits(5, 2) && s[7] == '-' && digits(8, 2) &&
        (s[10] == 'T' || s[10] == 't') && digits(11, 2) && s[13] == ':' && digits(14, 2) && s[16] == ':' &&
        digits(17, 2)))
    return false;
  std::size_t i = 19;
  if (s[i] == '.') {
    ++i;
    const std::size_t first = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == first) return false;
  }
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) return i + 1 == s.size();
  return i + 6 == s.size() && (s[i] == '+' || s[i] == '-') && digits(i + 1, 2) && s[i + 3] == ':' && digits(i + 4, 2);
}

bool is_printable_ascii(const std::string& s) {
  for (const char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

std::string at(const std::string& array, std::size_t i) { return array + "[" + std::to_string(i) + "]"; }

constexpr const char* kNameRule = "must be 1 to 100 letters, digits, '.', '_' or '-', not starting with '.'";

void validate_bundles(const std::vector<CollectionBundle>& bundles, const Reporter& bad) {
  std::set<std::string> files, pairs;
  for (std::size_t i = 0; i < bundles.size(); ++i) {
    const CollectionBundle& b = bundles[i];
    const std::string f = at("bundles", i);
    // The page picks a bundle by feature and metric: one each.
    if (!pairs.insert(b.feature + " " + metric_name(b.metric)).second)
      bad(f, "lists feature " + b.feature + " with metric " + metric_name(b.metric) + " a second time");
    if (b.feature.empty() || b.feature.size() > kMaxFeatureSpecBytes || !is_printable_ascii(b.feature))
      bad(f + ".feature", "must be a non-empty feature spec of printable ASCII");
    if (!is_name(b.slug)) bad(f + ".slug", "must be 1 to 100 letters, digits, '.', '_' or '-'");
    if (!is_site_path(b.file)) bad(f + ".file", "must be a relative path inside the site");
    if (!files.insert(b.file).second) bad(f + ".file", "\"" + b.file + "\" is listed twice");
    if (b.dim == 0 || b.dim > kMaxIndexDim) bad(f + ".dim", "must be in [1, " + std::to_string(kMaxIndexDim) + "]");
    const bool partitioned = b.kind == IndexKind::Partitioned;
    if (partitioned != (b.data_files > 0))
      bad(f + ".data_files",
          partitioned ? "must be at least 1 for a partitioned index" : "is for partitioned indexes only");
    if (partitioned && (b.file.size() < 5 || b.file.compare(b.file.size() - 4, 4, ".lkp") != 0))
      bad(f + ".file", "of a partitioned index must end in .lkp");
  }
}

// Each default names a listed bundle, each feature once.
void validate_defaults(const Collection& c, const Reporter& bad) {
  std::set<std::string> features;
  for (std::size_t i = 0; i < c.defaults.size(); ++i) {
    const CollectionChoice& d = c.defaults[i];
    const bool listed = std::any_of(c.bundles.begin(), c.bundles.end(), [&](const CollectionBundle& b) {
      return b.feature == d.feature && b.metric == d.metric;
    });
    if (!listed)
      bad(at("defaults", i),
          "names feature " + d.feature + " with metric " + metric_name(d.metric) + ", which no bundle has");
    if (!features.insert(d.feature).second) bad(at("defaults", i), "lists feature " + d.feature + " a second time");
  }
}

void validate(const Collection& c, const Reporter& bad) {
  if (!is_name(c.name)) bad("name", kNameRule);
  if (!c.created.empty() && !is_timestamp(c.created))
    bad("created", "must be an RFC 3339 time such as 2026-11-27T10:00:00Z");
  std::set<std::string> labels;
  for (std::size_t i = 0; i < c.labels.size(); ++i) {
    if (c.labels[i].empty()) bad(at("labels", i), "is empty");
    if (!labels.insert(c.labels[i]).second) bad(at("labels", i), "\"" + c.labels[i] + "\" is listed twice");
  }
  std::set<std::uint32_t> ids;
  for (std::size_t i = 0; i < c.items.size(); ++i) {
    const CollectionItem& item = c.items[i];
    const std::string f = at("items", i);
    if (!ids.insert(item.id).second) bad(f + ".id", std::to_string(item.id) + " is used by an earlier item");
    if (!item.label.empty() && !labels.count(item.label)) bad(f + ".label", "\"" + item.label + "\" is not in labels");
    if (!item.thumbnail.empty() && !is_site_path(item.thumbnail))
      bad(f + ".thumbnail", "must be a relative path inside the site (no \"..\", no leading \"/\")");
    for (const AttributionField& field : attribution_fields()) {
      const std::string& link = item.source.*field.member;
      if (field.is_link && !link.empty() && !is_web_link(link))
        bad(f + ".source." + field.key, "must be an http or https URL");
    }
  }
  validate_bundles(c.bundles, bad);
  validate_defaults(c, bad);
  for (std::size_t i = 0; i < c.models.size(); ++i) {
    if (!is_site_path(c.models[i].card)) bad(at("models", i) + ".card", "must be a relative path inside the site");
    if (!c.models[i].text_card.empty() && !is_site_path(c.models[i].text_card))
      bad(at("models", i) + ".text_card", "must be a relative path inside the site");
  }
  for (std::size_t i = 0; i < c.samples.size(); ++i)
    if (!is_site_path(c.samples[i].file)) bad(at("samples", i) + ".file", "must be a relative path inside the site");
}

void validate(const CollectionList& list, const Reporter& bad) {
  std::set<std::string> names, files;
  for (std::size_t i = 0; i < list.collections.size(); ++i) {
    const CollectionEntry& e = list.collections[i];
    const std::string f = at("collections", i);
    if (!is_name(e.name)) bad(f + ".name", "must be 1 to 100 letters, digits, '.', '_' or '-'");
    if (!names.insert(e.name).second) bad(f + ".name", "\"" + e.name + "\" is listed twice");
    if (!is_site_path(e.file)) bad(f + ".file", "must be a relative path inside the site");
    if (!files.insert(e.file).second) bad(f + ".file", "\"" + e.file + "\" is listed twice");
  }
  if (list.collections.empty()) {
    if (!list.default_name.empty()) bad("default", "names a collection but the list is empty");
  } else if (!names.count(list.default_name)) {
    bad("default", "\"" + list.default_name + "\" is not one of the collections");
  }
}

// Typed access to one JSON object, naming fields by their path.
class Fields {
 public:
  Fields(const json& object, std::string path, const Reporter& bad)
      : object_(object), path_(std::move(path)), bad_(bad) {
    if (!object_.is_object()) bad_(path_.empty() ? "the top level" : path_, "must be a JSON object");
  }
  std::string name(const char* key) const { return path_.empty() ? key : path_ + "." + key; }
  [[noreturn]] void bad(const char* key, const std::string& problem) const { bad_(name(key), problem); }
  const json* find(const char* key) const {
    const auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }
  const json& required(const char* key) const {
    const json* v = find(key);
    if (!v) bad_(name(key), "is missing");
    return *v;
  }
  std::string text(const char* key, bool is_required = false) const {
    const json* v = is_required ? &required(key) : find(key);
    if (!v) return {};
    if (!v->is_string()) bad_(name(key), "must be a string");
    return v->get<std::string>();
  }
  std::uint64_t number(const char* key, std::uint64_t max, bool is_required = false) const {
    const json* v = is_required ? &required(key) : find(key);
    if (!v) return 0;
    if (!v->is_number_unsigned() || v->get<std::uint64_t>() > max)
      bad_(name(key), "must be an integer in [0, " + std::to_string(max) + "]");
    return v->get<std::uint64_t>();
  }
  const json& array(const char* key, bool is_required = false) const {
    static const json empty = json::array();
    const json* v = is_required ? &required(key) : find(key);
    if (!v) return empty;
    if (!v->is_array()) bad_(name(key), "must be an array");
    return *v;
  }

 private:
  const json& object_;
  std::string path_;
  const Reporter& bad_;
};

json parse_document(const std::string& text, const Reporter& bad) {
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& e) {
    fail(bad.kind, std::string(bad.what) + ": not valid JSON: " + e.what());
  }
  Fields top(root, "", bad);
  const json& schema = top.required("schema");
  if (!schema.is_number_integer()) bad("schema", "must be an integer");
  if (schema.get<long long>() != kCollectionSchema)
    fail(ErrorKind::Unsupported, std::string(bad.what) + ": schema " + std::to_string(schema.get<long long>()) +
                                     " is not supported (this version reads schema " +
                                     std::to_string(kCollectionSchema) + ")");
  return root;
}

// A document's top level, its value checked first (a writer refuses what
// a reader would): only the schema so far.
template <class T>
json new_document(const T& value, const char* what) {
  validate(value, Reporter{what, ErrorKind::InvalidArgument});
  return json{{"schema", kCollectionSchema}};
}

// Titles and owners are crawled text in any script: kept as UTF-8, invalid
// bytes become U+FFFD rather than an exception.
std::string document_text(const json& root) { return root.dump(2, ' ', false, json::error_handler_t::replace) + "\n"; }

// A file read for its fields: valid JSON, a supported schema, an object at
// the top level; problems are Error(Corrupt) naming the file and the field.
struct Document {
  Document(const std::string& text, const char* what)
      : bad{what, ErrorKind::Corrupt}, root(parse_document(text, bad)), top(root, "", bad) {}
  const Reporter bad;
  const json root;
  const Fields top;
};

void put(json& object, const char* key, const std::string& value) {
  if (!value.empty()) object[key] = value;
}

// An array of objects, each with "title" when it has one: parts(element)
// gives the object's other fields and the title.
template <class T, class Parts>
json with_titles(const std::vector<T>& elements, Parts parts) {
  json out = json::array();
  for (const T& element : elements) {
    auto [object, title] = parts(element);
    put(object, "title", title);
    out.push_back(std::move(object));
  }
  return out;
}

json item_to_json(const CollectionItem& item) {
  json j = json::object();
  j["id"] = item.id;
  put(j, "label", item.label);
  put(j, "thumbnail", item.thumbnail);
  if (item.width) j["width"] = item.width;
  if (item.height) j["height"] = item.height;
  json source = json::object();
  put_attribution(source, item.source);
  if (!source.empty()) j["source"] = std::move(source);
  return j;
}

json bundle_to_json(const CollectionBundle& b) {
  json j = {{"feature", b.feature},
            {"slug", b.slug},
            {"metric", metric_name(b.metric)},
            {"file", b.file},
            {"kind", index_kind_name(b.kind)},
            {"element", element_type_name(b.element)},
            {"dim", b.dim},
            {"count", b.count},
            {"bytes", b.bytes}};
  if (b.data_files) j["data_files"] = b.data_files;
  return j;
}

// Reads every element of the array `key` (absent: none, unless required)
// with read(Fields of the element).
template <class Read>
auto read_each(const Fields& top, const char* key, const Reporter& bad, bool required, Read read) {
  const json& array = top.array(key, required);
  std::vector<decltype(read(std::declval<const Fields&>()))> out;
  out.reserve(array.size());
  for (std::size_t i = 0; i < array.size(); ++i) out.push_back(read(Fields(array[i], at(key, i), bad)));
  return out;
}

// Reads one of the core's names (metric, index kind, element type) with the
// parser of those names, reporting the names it accepts.
template <class Parse>
auto read_name(const Fields& f, const char* key, Parse parse, const std::vector<std::string>& names) {
  try {
    return parse(f.text(key, true));
  } catch (const Error&) {
    f.bad(key, "must be " + name_list(names, "\""));
  }
}

CollectionItem read_item(const Fields& f, const Reporter& bad) {
  CollectionItem item;
  item.id = static_cast<std::uint32_t>(f.number("id", 0xFFFFFFFFu, true));
  item.label = f.text("label");
  item.thumbnail = f.text("thumbnail");
  item.width = static_cast<std::uint32_t>(f.number("width", 1u << 20));
  item.height = static_cast<std::uint32_t>(f.number("height", 1u << 20));
  if (const json* source = f.find("source")) {
    const Fields s(*source, f.name("source"), bad);
    item.source = read_attribution(
        *source, [&s](const std::string& key, const std::string& problem) { s.bad(key.c_str(), problem); });
  }
  return item;
}

CollectionBundle read_bundle(const Fields& f) {
  CollectionBundle b;
  b.feature = f.text("feature", true);
  b.slug = f.text("slug", true);
  b.file = f.text("file", true);
  b.metric = read_name(f, "metric", parse_metric, metric_names());
  b.kind = read_name(f, "kind", parse_index_kind, index_kind_names());
  b.element = read_name(f, "element", parse_element_type, element_type_names());
  b.dim = static_cast<std::uint32_t>(f.number("dim", kMaxIndexDim, true));
  b.count = f.number("count", 0xFFFFFFFFu, true);
  b.bytes = f.number("bytes", ~std::uint64_t{0}, true);
  b.data_files = static_cast<std::uint32_t>(f.number("data_files", 10000));
  return b;
}

// The first bundle of each feature, in the order listed: the defaults of a
// collection written before they were recorded.
std::vector<CollectionChoice> listed_defaults(const std::vector<CollectionBundle>& bundles) {
  std::vector<CollectionChoice> out;
  for (const CollectionBundle& b : bundles)
    if (std::none_of(out.begin(), out.end(), [&](const CollectionChoice& c) { return c.feature == b.feature; }))
      out.push_back({b.feature, b.metric});
  return out;
}

std::vector<CollectionChoice> read_defaults(const Fields& top, const std::vector<CollectionBundle>& bundles,
                                            const Reporter& bad) {
  if (!top.find("defaults")) return listed_defaults(bundles);
  return read_each(top, "defaults", bad, false, [](const Fields& f) {
    return CollectionChoice{f.text("feature", true), read_name(f, "metric", parse_metric, metric_names())};
  });
}

// Where a feature stands in the page's preference: models first (the best
// results), then the strongest classic features, then the rest as listed.
int feature_rank(const std::string& spec) {
  if (is_model_spec(spec)) return 0;
  const std::string name = spec.substr(0, spec.find(':'));
  if (name == "colour-texture") return 1;
  if (name == "colour") return 2;
  return 3;
}

}  // namespace

bool is_web_link(const std::string& s) {
  const auto starts = [&s](const char* prefix) { return s.rfind(prefix, 0) == 0; };
  if (!(starts("http://") || starts("https://")) || s.size() > 4096) return false;
  for (const char c : s)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\')
      return false;
  return true;
}

void check_collection_name(const std::string& name) {
  if (!is_name(name)) fail(ErrorKind::InvalidArgument, "collection name \"" + name + "\" " + kNameRule);
}

std::vector<CollectionChoice> preferred_defaults(const std::vector<CollectionBundle>& bundles) {
  std::vector<CollectionChoice> choices = listed_defaults(bundles);
  for (CollectionChoice& choice : choices) {
    const auto has = [&](Metric m) {
      return std::any_of(bundles.begin(), bundles.end(),
                         [&](const CollectionBundle& b) { return b.feature == choice.feature && b.metric == m; });
    };
    for (const Metric m : kMetricPreference)
      if (has(m)) {
        choice.metric = m;
        break;
      }
  }
  std::stable_sort(choices.begin(), choices.end(), [](const CollectionChoice& a, const CollectionChoice& b) {
    return feature_rank(a.feature) < feature_rank(b.feature);
  });
  return choices;
}

std::string collection_to_json(const Collection& c) {
  json root = new_document(c, "collection");
  root["name"] = c.name;
  put(root, "title", c.title);
  put(root, "created", c.created);
  put(root, "licence_note", c.licence_note);
  root["labels"] = c.labels;
  json items = json::array();
  for (const CollectionItem& item : c.items) items.push_back(item_to_json(item));
  root["items"] = std::move(items);
  json bundles = json::array();
  for (const CollectionBundle& b : c.bundles) bundles.push_back(bundle_to_json(b));
  root["bundles"] = std::move(bundles);
  json models = json::array();
  for (const CollectionModel& m : c.models) {
    json j = {{"card", m.card}};
    if (!m.text_card.empty()) j["text_card"] = m.text_card;
    models.push_back(std::move(j));
  }
  root["models"] = std::move(models);
  if (!c.samples.empty())
    root["samples"] = with_titles(c.samples, [](const CollectionSample& s) {
      return std::make_pair(json{{"file", s.file}}, s.title);
    });
  json defaults = json::array();
  for (const CollectionChoice& d : c.defaults.empty() ? preferred_defaults(c.bundles) : c.defaults)
    defaults.push_back({{"feature", d.feature}, {"metric", metric_name(d.metric)}});
  if (!defaults.empty()) root["defaults"] = std::move(defaults);
  return document_text(root);
}

Collection parse_collection(const std::string& json_text) {
  const Document document(json_text, "collection");
  const Fields& top = document.top;
  const Reporter& bad = document.bad;
  Collection c;
  c.name = top.text("name", true);
  c.title = top.text("title");
  c.created = top.text("created");
  c.licence_note = top.text("licence_note");
  const json& labels = top.array("labels");
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (!labels[i].is_string()) bad(at("labels", i), "must be a string");
    c.labels.push_back(labels[i].get<std::string>());
  }
  c.items = read_each(top, "items", bad, true, [&](const Fields& f) { return read_item(f, bad); });
  c.bundles = read_each(top, "bundles", bad, false, read_bundle);
  c.models = read_each(top, "models", bad, false, [](const Fields& f) {
    return CollectionModel{f.text("card", true), f.text("text_card")};
  });
  c.samples = read_each(top, "samples", bad, false, [](const Fields& f) {
    return CollectionSample{f.text("file", true), f.text("title")};
  });
  c.defaults = read_defaults(top, c.bundles, bad);
  validate(c, bad);
  return c;
}

std::string collection_list_to_json(const CollectionList& list) {
  json root = new_document(list, "collection list");
  root["default"] = list.default_name;
  root["collections"] = with_titles(list.collections, [](const CollectionEntry& e) {
    return std::make_pair(json{{"name", e.name}, {"file", e.file}}, e.title);
  });
  return document_text(root);
}

CollectionList parse_collection_list(const std::string& json_text) {
  const Document document(json_text, "collection list");
  CollectionList list;
  list.default_name = document.top.text("default");
  list.collections = read_each(document.top, "collections", document.bad, true, [](const Fields& f) {
    return CollectionEntry{f.text("name", true), f.text("title"), f.text("file", true)};
  });
  validate(list, document.bad);
  return list;
}

}  // namespace lookalike
