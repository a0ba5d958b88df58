#include <catch2/catch.hpp>

#include "lookalike/common/error.h"
#include "lookalike/index/collection.h"
#include "support/expect_error.h"

using namespace lookalike;
using namespace lookalike::testing;

namespace {

Collection sample() {
  Collection c;
  c.name = "demo";
  c.title = "Demo <b>photos</b> — ünïcode";
  c.created = "2026-11-27T10:00:00Z";
  c.licence_note = "Thumbnails are CC BY; see each item.";
  c.labels = {"beach", "mountain"};
  CollectionItem a;
  a.id = 0;
  a.label = "beach";
  a.thumbnail = "thumbs/0.jpg";
  a.width = 640;
  a.height = 480;
  a.source = {"beach/123.jpg",
              "https://live.example/123.jpg",
              "https://example.org/p/123",
              "Ann \"A\" Owner",
              "Sunset",
              "CC BY 2.0",
              "https://creativecommons.org/licenses/by/2.0/"};
  CollectionItem b;
  b.id = 7;
  b.label = "mountain";
  b.thumbnail = "thumbs/7.jpg";
  c.items = {a, b};
  CollectionBundle bundle;
  bundle.feature = "colour:bins=8x4x4";
  bundle.slug = "colour";
  bundle.metric = Metric::L1;
  bundle.file = "demo.colour.l1.lkx";
  bundle.kind = IndexKind::Hnsw;
  bundle.element = ElementType::Int8;
  bundle.dim = 128;
  bundle.count = 2;
  bundle.bytes = 123456;
  c.bundles = {bundle};
  c.models = {{"models/mobilenetv2-int8.json"}};
  c.samples = {{"samples/7.jpg", "A <i>mountain</i>"}, {"samples/0.jpg", ""}};
  return c;
}

void expect_corrupt(const std::string& json, const std::string& text) {
  expect_error(
      ErrorKind::Corrupt, [&] { parse_collection(json); }, text);
}

}  // namespace

TEST_CASE("a collection survives JSON and back, field by field") {
  const Collection c = sample();
  const std::string text = collection_to_json(c);
  const Collection back = parse_collection(text);
  CHECK(back.name == c.name);
  CHECK(back.title == c.title);
  CHECK(back.created == c.created);
  CHECK(back.licence_note == c.licence_note);
  CHECK(back.labels == c.labels);
  REQUIRE(back.items.size() == 2);
  CHECK(back.items[0].id == 0);
  CHECK(back.items[0].width == 640);
  CHECK(back.items[0].source.owner == "Ann \"A\" Owner");
  CHECK(back.items[0].source.licence_url == c.items[0].source.licence_url);
  CHECK(back.items[1].id == 7);
  CHECK(back.items[1].width == 0);
  CHECK(back.items[1].source.url.empty());
  REQUIRE(back.bundles.size() == 1);
  CHECK(back.bundles[0].metric == Metric::L1);
  CHECK(back.bundles[0].element == ElementType::Int8);
  CHECK(back.bundles[0].bytes == 123456);
  CHECK(back.models[0].card == "models/mobilenetv2-int8.json");
  REQUIRE(back.samples.size() == 2);
  CHECK(back.samples[0].file == "samples/7.jpg");
  CHECK(back.samples[0].title == "A <i>mountain</i>");
  CHECK(back.samples[1].title.empty());
  CHECK(collection_to_json(back) == text);
  // Optional parts may be absent.
  const Collection minimal = parse_collection(R"({"schema":1,"name":"x","items":[{"id":3}]})");
  CHECK(minimal.items.size() == 1);
  CHECK(minimal.bundles.empty());
  CHECK(minimal.samples.empty());
  CHECK(collection_to_json(minimal).find("samples") == std::string::npos);
}

TEST_CASE("a collection with a wrong field is refused, naming the field") {
  expect_corrupt("{", "collection: not valid JSON");
  expect_corrupt("[1]", "collection: the top level must be a JSON object");
  expect_corrupt(R"({"name":"x","items":[]})", "collection: schema is missing");
  try {
    parse_collection(R"({"schema":2,"name":"x","items":[]})");
    FAIL_CHECK("schema 2 parsed");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Unsupported);
    CHECK_THAT(std::string(e.what()), Catch::Contains("schema 2 is not supported"));
  }
  expect_corrupt(R"({"schema":1,"items":[]})", "collection: name is missing");
  expect_corrupt(R"({"schema":1,"name":"a/b","items":[]})", "collection: name must be");
  expect_corrupt(R"({"schema":1,"name":"x"})", "collection: items is missing");
  expect_corrupt(R"({"schema":1,"name":"x","items":{}})", "collection: items must be an array");
  expect_corrupt(R"({"schema":1,"name":"x","items":[{"id":1},{}]})", "collection: items[1].id is missing");
  expect_corrupt(R"({"schema":1,"name":"x","items":[{"id":-1}]})", "items[0].id must be an integer");
  expect_corrupt(R"({"schema":1,"name":"x","items":[{"id":1},{"id":1}]})", "items[1].id 1 is used by an earlier item");
  expect_corrupt(R"({"schema":1,"name":"x","items":[{"id":1,"label":"cat"}]})",
                 "items[0].label \"cat\" is not in labels");
  expect_corrupt(R"({"schema":1,"name":"x","items":[{"id":1,"thumbnail":"../etc/passwd"}]})", "items[0].thumbnail");
  expect_corrupt(R"({"schema":1,"name":"x","items":[{"id":1,"thumbnail":"/abs.jpg"}]})", "items[0].thumbnail");
  expect_corrupt(R"j({"schema":1,"name":"x","items":[{"id":1,"source":{"url":"javascript:alert(1)"}}]})j",
                 "items[0].source.url must be an http or https URL");
  expect_corrupt(R"({"schema":1,"name":"x","items":[{"id":1,"source":{"owner":5}}]})",
                 "items[0].source.owner must be a string");
  expect_corrupt(R"({"schema":1,"name":"x","created":"yesterday","items":[]})", "created must be an RFC 3339 time");
  expect_corrupt(R"({"schema":1,"name":"x","labels":["a","a"],"items":[]})", "labels[1] \"a\" is listed twice");
  const std::string bundle =
      R"("feature":"pixels:size=64","slug":"pixels","file":"x.pixels.l2.lkx","kind":"flat","element":"float32","dim":12288,"count":1,"bytes":9)";
  CHECK_NOTHROW(parse_collection(R"({"schema":1,"name":"x","items":[],"bundles":[{"metric":"l2",)" + bundle + "}]}"));
  expect_corrupt(R"({"schema":1,"name":"x","items":[],"bundles":[{"metric":"hamming",)" + bundle + "}]}",
                 "bundles[0].metric must be");
  expect_corrupt(R"({"schema":1,"name":"x","items":[],"bundles":[{"metric":"l2"}]})", "bundles[0].feature is missing");
  expect_corrupt(R"({"schema":1,"name":"x","items":[],"models":[{"card":"https://x/y.json"}]})", "models[0].card");
  expect_corrupt(R"({"schema":1,"name":"x","items":[],"bundles":[{"metric":"l2",)" + bundle + R"(},{"metric":"l2",)" +
                     bundle.substr(0, bundle.find("x.pixels")) +
                     R"(x.other.lkx","kind":"flat","element":"float32","dim":3,"count":1,"bytes":9}]})",
                 "bundles[1] lists feature pixels:size=64 with metric l2 a second time");
  expect_corrupt(R"({"schema":1,"name":"x","items":[],"samples":[{"title":"t"}]})", "samples[0].file is missing");
  expect_corrupt(R"({"schema":1,"name":"x","items":[],"samples":[{"file":"../s.jpg"}]})",
                 "samples[0].file must be a relative path");
}

TEST_CASE("collection names are checked on their own, before anything is written") {
  CHECK_NOTHROW(check_collection_name("demo-2_b.v1"));
  CHECK_THROWS_WITH(check_collection_name("../x"),
                    Catch::Contains("collection name \"../x\" must be 1 to 100 letters"));
  CHECK_THROWS(check_collection_name(""));
  CHECK_THROWS(check_collection_name(".hidden"));
  CHECK_THROWS(check_collection_name("a b"));
  try {
    check_collection_name("a/b");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::InvalidArgument);
  }
}

TEST_CASE("writing a collection validates it first") {
  Collection c = sample();
  c.items[1].source.page = "ftp://example.org/";
  CHECK_THROWS_WITH(collection_to_json(c), Catch::Contains("collection: items[1].source.page must be an http"));
  c = sample();
  c.bundles[0].dim = 0;
  try {
    collection_to_json(c);
    FAIL_CHECK("wrote a bundle of dimension 0");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::InvalidArgument);
    CHECK_THAT(std::string(e.what()), Catch::Contains("bundles[0].dim must be in [1, 65536]"));
  }
  c = sample();
  c.created = "2026-11-27T10:00:00.123+01:00";
  CHECK_NOTHROW(collection_to_json(c));
  c.items[0].source.title = std::string("bad \xff utf-8");  // crawled bytes: replaced, not thrown
  CHECK_THAT(collection_to_json(c), Catch::Contains("bad \xef\xbf\xbd utf-8"));
}

TEST_CASE("the collection list survives JSON and back and names a listed default") {
  CollectionList list;
  list.default_name = "demo";
  list.collections = {{"demo", "Demo photos", "demo.json"}, {"wang", "", "wang.json"}};
  const CollectionList back = parse_collection_list(collection_list_to_json(list));
  CHECK(back.default_name == "demo");
  REQUIRE(back.collections.size() == 2);
  CHECK(back.collections[0].title == "Demo photos");
  CHECK(back.collections[1].file == "wang.json");
  CHECK_THROWS_WITH(
      parse_collection_list(R"({"schema":1,"default":"nope","collections":[{"name":"a","file":"a.json"}]})"),
      Catch::Contains("collection list: default \"nope\" is not one of the collections"));
  CHECK_THROWS_WITH(parse_collection_list(R"({"schema":1,"default":"a","collections":[{"name":"a"}]})"),
                    Catch::Contains("collection list: collections[0].file is missing"));
  CHECK_THROWS_WITH(
      parse_collection_list(
          R"({"schema":1,"default":"a","collections":[{"name":"a","file":"a.json"},{"name":"a","file":"b.json"}]})"),
      Catch::Contains("collections[1].name \"a\" is listed twice"));
  list.collections[1].file = "../up.json";
  CHECK_THROWS_WITH(collection_list_to_json(list), Catch::Contains("collections[1].file must be a relative path"));
}
