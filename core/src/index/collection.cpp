#include "lookalike/index/collection.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include "index/collection_json.h"
#include "lookalike/common/error.h"
#include "lookalike/common/name_list.h"
#include "lookalike/index/item_pages.h"
#include "lookalike/model/model_card.h"

namespace lookalike {
namespace {

using namespace collection_json;

bool is_name(const std::string& s) {
  if (s.empty() || s.size() > 100 || s[0] == '.') return false;
  for (const char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) return false;
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

// The pages' layout; a writer's items (a reader has none) must fit it.
void validate_item_pages(const Collection& c, const Reporter& bad) {
  const ItemPages& p = c.item_pages;
  if (p.size > kMaxItemPageSize) bad("item_pages.size", "must be in [1, " + std::to_string(kMaxItemPageSize) + "]");
  if (std::uint64_t(p.count) * p.size > (std::uint64_t(1) << 32))
    bad("item_pages.count", "pages more ids than there are (2^32)");
  const std::size_t placeholder = p.files.find(kItemPagePlaceholder);
  if (placeholder == std::string::npos || p.files.find(kItemPagePlaceholder, placeholder + 1) != std::string::npos ||
      !is_site_path(item_page_file(p, 0)))
    bad("item_pages.files", std::string("must be a relative path inside the site with one \"") + kItemPagePlaceholder +
                                "\" for the page's number");
  if (!is_site_path(p.labels)) bad("item_pages.labels", "must be a relative path inside the site");
  if (c.items.empty()) {
    if (c.item_count > std::uint64_t(p.count) * p.size)
      bad("item_count", std::to_string(c.item_count) + " is more than " + std::to_string(p.count) + " pages hold");
    return;
  }
  for (std::size_t i = 1; i < c.items.size(); ++i)
    if (c.items[i].id <= c.items[i - 1].id)
      bad(at("items", i) + ".id", "must be above the previous item's: paged items are in ascending ids");
  if (c.items.back().id / p.size + 1 != p.count)
    bad("item_pages.count", "is " + std::to_string(p.count) + ", the items' ids need " +
                                std::to_string(c.items.back().id / p.size + 1) + " pages");
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
  for (std::size_t i = 0; i < c.items.size(); ++i) check_item(c.items[i], at("items", i), labels, ids, bad);
  if (c.item_pages.paged()) validate_item_pages(c, bad);
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

// A document's top level, its value checked first (a writer refuses what
// a reader would): only the schema so far.
template <class T>
json new_document(const T& value, const char* what) {
  validate(value, Reporter{what, ErrorKind::InvalidArgument});
  return json{{"schema", kCollectionSchema}};
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
  if (c.item_pages.paged()) {
    const ItemPages& p = c.item_pages;
    root["item_count"] = c.items.size();
    root["item_pages"] = {{"size", p.size}, {"count", p.count}, {"files", p.files}, {"labels", p.labels}};
  } else {
    json items = json::array();
    for (const CollectionItem& item : c.items) items.push_back(item_to_json(item));
    root["items"] = std::move(items);
  }
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
  if (const json* pages = top.find("item_pages")) {
    if (top.find("items")) bad("items", "and item_pages are both given: a collection's items are in one or the other");
    const Fields f(*pages, "item_pages", bad);
    c.item_pages.size = static_cast<std::uint32_t>(f.number("size", kMaxItemPageSize, true));
    if (c.item_pages.size == 0) f.bad("size", "must be at least 1");
    c.item_pages.count = static_cast<std::uint32_t>(f.number("count", 0xFFFFFFFFu, true));
    c.item_pages.files = f.text("files", true);
    c.item_pages.labels = f.text("labels", true);
    c.item_count = top.number("item_count", 0xFFFFFFFFu, true);
  } else {
    c.items = read_each(top, "items", bad, true, [&](const Fields& f) { return read_item(f, bad); });
    c.item_count = c.items.size();
  }
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
