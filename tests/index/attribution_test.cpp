// The one item/attribution record (attribution.h, item_record.h) and the
// page's defaults the collection records (collection.h).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "lookalike/common/error.h"
#include "lookalike/common/name_list.h"
#include "lookalike/index/attribution_json.h"
#include "lookalike/index/collection.h"
#include "lookalike/index/item_record.h"

using namespace lookalike;
using nlohmann::json;

namespace {

Attribution full_attribution() {
  return {"beach/1.jpg",
          "https://live.example/1.jpg",
          "https://example.org/p/1",
          "Ann",
          "Low tide",
          "CC BY 2.0",
          "https://creativecommons.org/licenses/by/2.0/",
          "53412345678",
          "beach"};
}

CollectionBundle bundle(const std::string& feature, Metric metric) {
  CollectionBundle b;
  b.feature = feature;
  b.slug = "s" + std::to_string(std::hash<std::string>{}(feature + metric_name(metric)) % 100000);
  b.metric = metric;
  b.file = b.slug + ".lkx";
  b.dim = 3;
  return b;
}

}  // namespace

TEST_CASE("every attribution field is written and read under its one key") {
  const Attribution a = full_attribution();
  json j = json::object();
  put_attribution(j, a);
  CHECK(j.size() == attribution_fields().size());
  for (const AttributionField& field : attribution_fields()) CHECK(j.at(field.key) == a.*field.member);
  const Attribution back = read_attribution(j);
  for (const AttributionField& field : attribution_fields()) CHECK(back.*field.member == a.*field.member);
  CHECK_FALSE(back.empty());
  CHECK(Attribution{}.empty());

  json sparse = json::object();
  put_attribution(sparse, Attribution{"x.jpg"});
  CHECK(sparse == json{{"path", "x.jpg"}});
  json all = json::object();
  put_attribution(all, Attribution{}, /*keep_empty=*/true);
  CHECK(all.size() == attribution_fields().size());
  int links = 0;
  for (const AttributionField& field : attribution_fields()) links += field.is_link;
  CHECK(links == 3);
}

TEST_CASE("lenient reading takes other tools' spellings and numbers; strict reading names the field") {
  const json other = json::parse(
      R"({"id":333,"tag":"snow","license":"CC0 1.0","ownername":"Bob","page_url":"https://e.org/p","file":"snow/333.jpg",)"
      R"("license_url":"https://creativecommons.org/publicdomain/zero/1.0/","download_url":"https://e.org/333.jpg","title":["x"]})");
  const Attribution a = read_attribution(other);
  CHECK(a.photo_id == "333");
  CHECK(a.term == "snow");
  CHECK(a.licence == "CC0 1.0");
  CHECK(a.owner == "Bob");
  CHECK(a.page == "https://e.org/p");
  CHECK(a.path == "snow/333.jpg");
  CHECK(a.url == "https://e.org/333.jpg");
  CHECK(a.licence_url == "https://creativecommons.org/publicdomain/zero/1.0/");
  CHECK(a.title.empty());  // not text: unknown
  CHECK(read_attribution(json::array()).empty());

  const auto strict = [](const std::string& key, const std::string& problem) {
    fail(ErrorKind::Corrupt, key + " " + problem);
  };
  CHECK_THROWS_WITH(read_attribution(json{{"owner", 5}}, strict), "owner must be a string");
  CHECK(read_attribution(json{{"owner", "Ann"}, {"ownername", "Bob"}}, strict).owner == "Ann");
  CHECK(read_attribution(json{{"ownername", "Bob"}}, strict).owner.empty());  // only the field's own key
}

TEST_CASE("an item record is one line of JSON and reads back, or says what is wrong") {
  ItemRecord record;
  record.source = full_attribution();
  record.label = "beach";
  record.sha256 = std::string(64, 'a');
  record.width = 500;
  record.height = 375;
  const std::string line = item_record_to_json(record);
  CHECK(line.find('\n') == std::string::npos);
  const ItemRecord back = parse_item_record(line);
  CHECK(back.source.path == "beach/1.jpg");
  CHECK(back.source.owner == "Ann");
  CHECK(back.source.photo_id == "53412345678");
  CHECK(back.label == "beach");
  CHECK(back.sha256 == record.sha256);
  CHECK(back.width == 500);
  CHECK(back.height == 375);
  CHECK(item_record_to_json(back) == line);

  // A line of crawl.jsonl is an item record too.
  const ItemRecord crawled = parse_item_record(
      R"({"id":"7","term":"beach","path":"beach/7.jpg","source":"flickr-api","owner_id":"1@N00","licence_id":null,)"
      R"("format":"jpeg","width":4,"height":3,"bytes":100,"sha256":"ab","downloaded":"2026-11-27T10:00:00Z"})");
  CHECK(crawled.source.photo_id == "7");
  CHECK(crawled.width == 4);
  CHECK(crawled.label.empty());

  const auto corrupt = [](const std::string& text, const std::string& message) {
    try {
      parse_item_record(text);
      FAIL_CHECK("parsed: " << text);
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Corrupt);
      CHECK_THAT(std::string(e.what()), Catch::Contains(message));
    }
  };
  corrupt("{\"path\": \"a", "item record: not valid JSON");
  corrupt("[1]", "not a JSON object");
  corrupt(R"({"label":"x"})", "\"path\" is missing");
  corrupt(R"({"path":"a.jpg","label":3})", "\"label\" must be a string");
  corrupt(R"({"path":"a.jpg","width":-1})", "\"width\" must be an integer in [0, 1048576]");
  // Crawled text that is not UTF-8 is written, replaced, rather than refused.
  record.source.title = "bad \xff";
  CHECK_THAT(item_record_to_json(record), Catch::Contains("bad \xef\xbf\xbd"));
}

TEST_CASE("the page's defaults: a model first, then colour-texture, colour, the rest; cosine first") {
  const std::vector<CollectionBundle> bundles = {bundle("pixels:size=64", Metric::L1),
                                                 bundle("colour:bins=8x4x4", Metric::L2),
                                                 bundle("colour:bins=8x4x4", Metric::L1),
                                                 bundle("colour-texture:v=1", Metric::L1),
                                                 bundle("colour-texture:v=1", Metric::Correlation),
                                                 bundle("model:tiny", Metric::L2),
                                                 bundle("model:tiny", Metric::Cosine)};
  const auto d = preferred_defaults(bundles);
  REQUIRE(d.size() == 4);
  CHECK(d[0].feature == "model:tiny");
  CHECK(d[0].metric == Metric::Cosine);
  CHECK(d[1].feature == "colour-texture:v=1");
  CHECK(d[1].metric == Metric::Correlation);
  CHECK(d[2].feature == "colour:bins=8x4x4");
  CHECK(d[2].metric == Metric::L2);
  CHECK(d[3].feature == "pixels:size=64");
  CHECK(d[3].metric == Metric::L1);
}

TEST_CASE("a collection records its defaults; one written without them means the first bundle of each feature") {
  Collection c;
  c.name = "x";
  c.bundles = {bundle("pixels:size=64", Metric::L1), bundle("colour-texture:v=1", Metric::L2),
               bundle("colour-texture:v=1", Metric::Cosine)};
  for (auto& b : c.bundles) b.count = 0;
  const std::string text = collection_to_json(c);
  const json written = json::parse(text);
  CHECK(written.at("defaults") ==
        json::parse(
            R"([{"feature":"colour-texture:v=1","metric":"cosine"},{"feature":"pixels:size=64","metric":"l1"}])"));
  CHECK(parse_collection(text).defaults.front().feature == "colour-texture:v=1");

  json old = written;
  old.erase("defaults");
  const Collection before = parse_collection(old.dump());
  REQUIRE(before.defaults.size() == 2);
  CHECK(before.defaults[0].feature == "pixels:size=64");
  CHECK(before.defaults[1].feature == "colour-texture:v=1");
  CHECK(before.defaults[1].metric == Metric::L2);

  c.defaults = {{"pixels:size=64", Metric::L2}};
  CHECK_THROWS_WITH(collection_to_json(c), Catch::Contains("defaults[0] names feature pixels:size=64 with metric l2"));
  c.defaults = {{"pixels:size=64", Metric::L1}, {"pixels:size=64", Metric::L1}};
  CHECK_THROWS_WITH(collection_to_json(c), Catch::Contains("defaults[1] lists feature pixels:size=64 a second time"));
  old["defaults"] = json::parse(R"([{"feature":"pixels:size=64","metric":"hamming"}])");
  CHECK_THROWS_WITH(parse_collection(old.dump()),
                    Catch::Contains("defaults[0].metric must be \"l1\", \"l2\", \"cosine\" or \"correlation\""));
}

TEST_CASE("lists of choices are written from the lists") {
  CHECK(name_list({}) == "");
  CHECK(name_list({"a"}) == "a");
  CHECK(name_list({"a", "b", "c"}, "\"") == "\"a\", \"b\" or \"c\"");
  CHECK(name_list(metric_names()) == "l1, l2, cosine or correlation");
  CHECK(name_list(index_kind_names()) == "flat, hnsw or partitioned");
  CHECK(name_list(element_type_names()) == "float32 or int8");
  CHECK_THROWS_WITH(parse_metric("hamming"), Catch::Contains("(expected l1, l2, cosine or correlation)"));
}
