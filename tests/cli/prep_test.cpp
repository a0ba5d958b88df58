// `prep`'s decisions on trees the tests make: what is kept, what is set aside
// and why, which duplicate is kept, and a split that depends on nothing but
// the paths, labels, fraction and seed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "cli_test_support.h"
#include "dataset/crawl_records.h"
#include "dataset/csv.h"
#include "dataset/manifest.h"
#include "lookalike/common/error.h"
#include "lookalike/image/encode.h"
#include "lookalike/image/resize.h"
#include "prep/duplicates.h"
#include "prep/prep_run.h"
#include "prep/split.h"

using namespace lookalike;
using namespace lookalike::cli;
using namespace lookalike::testing;

namespace {

// cats: 3 distinct + an exact copy + a corrupt JPEG + a too-small image;
// dogs: 3 distinct + a smaller re-encoded copy of d1 + a WebP + a text file.
void make_planted_tree(const fs::path& root) {
  write_png(root / "cats/c1.png", distinct_picture(96, 80, 1));
  write_png(root / "cats/c2.png", distinct_picture(96, 80, 2));
  write_png(root / "cats/c3.png", distinct_picture(96, 80, 3));
  write_png(root / "cats/c4-copy.png", distinct_picture(96, 80, 1));
  auto jpeg = encode_jpeg(distinct_picture(96, 80, 4), 90);
  jpeg.resize(jpeg.size() / 2);
  write_bytes(root / "cats/broken.jpg", jpeg);
  write_png(root / "cats/tiny.png", distinct_picture(40, 30, 5));
  const Image d1 = distinct_picture(120, 100, 11);
  write_png(root / "dogs/d1.png", d1);
  write_jpeg(root / "dogs/d1-small.jpg", resize(d1, 90, 75, ResizeFilter::Bilinear), 90);
  write_png(root / "dogs/d2.png", distinct_picture(120, 100, 12));
  write_png(root / "dogs/d3.png", distinct_picture(120, 100, 13));
  const std::string webp = std::string("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00", 20) + std::string(24, '\0');
  write_text(root / "dogs/fake.webp", webp);
  write_text(root / "dogs/notes.txt", "not an image");
}

const ManifestImage* find_image(const Manifest& m, const std::string& path) {
  for (const auto& i : m.images)
    if (i.path == path) return &i;
  return nullptr;
}

std::map<std::string, std::string> rejected_reasons(const Manifest& m) {
  std::map<std::string, std::string> out;
  for (const auto& r : m.rejected) out[r.path] = r.reason;
  return out;
}

std::map<std::string, Split> splits_of(const Manifest& m) {
  std::map<std::string, Split> out;
  for (const auto& i : m.images) out[i.path] = i.split;
  return out;
}

PrepOptions options_for(const fs::path& root, unsigned threads = 2) {
  PrepOptions o;
  o.sources = {root};
  o.threads = threads;
  o.show_progress = false;
  return o;
}

}  // namespace

TEST_CASE("prep keeps distinct images and sets aside corrupt, unsupported, too-small and duplicate files", "[prep]") {
  TempDir dir;
  make_planted_tree(dir.path());
  const auto before = snapshot_tree(dir.path());

  const PrepResult result = run_prep(options_for(dir.path()));
  const Manifest& m = result.manifest;

  std::vector<std::string> kept;
  for (const auto& i : m.images) kept.push_back(i.path);
  CHECK(kept == std::vector<std::string>{"cats/c1.png", "cats/c2.png", "cats/c3.png", "dogs/d1.png", "dogs/d2.png",
                                         "dogs/d3.png"});

  const auto reasons = rejected_reasons(m);
  CHECK(reasons.size() == 3);
  CHECK(reasons.at("cats/broken.jpg") == "corrupt");
  CHECK(reasons.at("cats/tiny.png") == "too-small");
  CHECK(reasons.at("dogs/fake.webp") == "unsupported");
  for (const auto& r : m.rejected) CHECK_FALSE(r.message.empty());

  REQUIRE(m.duplicates.size() == 2);
  std::map<std::string, const ManifestDuplicate*> dups;
  for (const auto& d : m.duplicates) dups[d.image.path] = &d;
  REQUIRE(dups.count("cats/c4-copy.png"));
  CHECK(dups["cats/c4-copy.png"]->kind == "exact");
  CHECK(dups["cats/c4-copy.png"]->of_path == "cats/c1.png");
  CHECK(dups["cats/c4-copy.png"]->distance == 0);
  REQUIRE(dups.count("dogs/d1-small.jpg"));
  CHECK(dups["dogs/d1-small.jpg"]->kind == "near");
  CHECK(dups["dogs/d1-small.jpg"]->of_path == "dogs/d1.png");  // the larger copy is kept
  CHECK(dups["dogs/d1-small.jpg"]->distance <= 6);

  const ManifestImage* c1 = find_image(m, "cats/c1.png");
  REQUIRE(c1);
  CHECK(c1->label == "cats");
  CHECK(c1->width == 96);
  CHECK(c1->height == 80);
  CHECK(c1->format == "png");
  CHECK(c1->pixel_hash.size() == 32);
  CHECK(c1->bytes == fs::file_size(dir / "cats/c1.png"));
  CHECK(c1->pixel_hash == dups["cats/c4-copy.png"]->image.pixel_hash);

  const auto summary = summarise(m);
  REQUIRE(summary.size() == 3);
  CHECK(summary[0].label == "cats");
  CHECK(summary[0].kept == 3);
  CHECK(summary[0].duplicates == 1);
  CHECK(summary[0].rejected == 2);
  CHECK(summary[0].train + summary[0].test == 3);
  CHECK(summary[1].label == "dogs");
  CHECK(summary[1].kept == 3);
  CHECK(summary[1].duplicates == 1);
  CHECK(summary[1].rejected == 1);
  CHECK(summary[2].label == "total");
  CHECK(summary[2].kept == 6);

  // Source files are only read.
  CHECK(snapshot_tree(dir.path()) == before);
  CHECK(result.unreadable == 0);
}

TEST_CASE("the manifest survives a write and a read", "[prep][manifest]") {
  TempDir dir;
  make_planted_tree(dir / "src");
  const Manifest m = run_prep(options_for(dir / "src")).manifest;
  write_manifest(dir / "out/manifest.json", m);
  const Manifest back = read_manifest(dir / "out/manifest.json");
  REQUIRE(back.images.size() == m.images.size());
  for (std::size_t i = 0; i < m.images.size(); ++i) {
    CHECK(back.images[i].path == m.images[i].path);
    CHECK(back.images[i].label == m.images[i].label);
    CHECK(back.images[i].split == m.images[i].split);
    CHECK(back.images[i].pixel_hash == m.images[i].pixel_hash);
    CHECK(back.images[i].phash == m.images[i].phash);
    CHECK(back.images[i].luma == m.images[i].luma);
    CHECK(back.images[i].width == m.images[i].width);
    CHECK(back.images[i].bytes == m.images[i].bytes);
    CHECK(back.file(back.images[i]) == m.file(m.images[i]));
  }
  REQUIRE(back.duplicates.size() == m.duplicates.size());
  CHECK(back.duplicates[0].of_path == m.duplicates[0].of_path);
  REQUIRE(back.rejected.size() == m.rejected.size());
  CHECK(back.rejected[0].reason == m.rejected[0].reason);
  CHECK(back.options["min_size"] == 64);
}

TEST_CASE("a malformed manifest is refused with a message naming the place", "[manifest]") {
  TempDir dir;
  write_text(dir / "bad.json", "{\"schema\": 1, ");
  CHECK_THROWS_WITH(read_manifest(dir / "bad.json"), Catch::Contains("bad.json") && Catch::Contains("not valid JSON"));
  write_text(dir / "other.json", "{\"schema\": 1, \"kind\": \"something\"}");
  CHECK_THROWS_WITH(read_manifest(dir / "other.json"), Catch::Contains("not a lookalike manifest"));
  write_text(dir / "typed.json",
             R"({"schema":1,"kind":"lookalike-manifest","roots":[{"path":"/x","layout":"folders"}],)"
             R"("images":[{"root":0,"path":"a.png","label":"a","width":"wide","height":1}]})");
  CHECK_THROWS_WITH(read_manifest(dir / "typed.json"), Catch::Contains("images[0]") && Catch::Contains("width"));
  write_text(
      dir / "root.json",
      R"({"schema":1,"kind":"lookalike-manifest","roots":[],"images":[{"root":0,"path":"a.png","label":"a","width":1,"height":1}]})");
  CHECK_THROWS_WITH(read_manifest(dir / "root.json"), Catch::Contains("root 0 does not exist"));
  CHECK_THROWS_WITH(read_manifest(dir / "absent.json"), Catch::Contains("absent.json"));
}

TEST_CASE("the split is stratified and the same for any thread count, location or seed reuse", "[prep][split]") {
  TempDir dir;
  for (int i = 0; i < 10; ++i) {
    write_png(dir / ("a/src/red/" + std::to_string(i) + ".png"), distinct_picture(64, 64, std::uint32_t(100 + i)));
    write_png(dir / ("a/src/blue/" + std::to_string(i) + ".png"), distinct_picture(64, 64, std::uint32_t(200 + i)));
  }
  fs::create_directories(dir / "b/elsewhere");
  fs::copy(dir / "a/src", dir / "b/elsewhere/copy", fs::copy_options::recursive);

  const Manifest one = run_prep(options_for(dir / "a/src", 1)).manifest;
  const Manifest two = run_prep(options_for(dir / "a/src", 2)).manifest;
  const Manifest moved = run_prep(options_for(dir / "b/elsewhere/copy", 2)).manifest;
  REQUIRE(one.images.size() == 20);
  CHECK(splits_of(one) == splits_of(two));
  CHECK(splits_of(one) == splits_of(moved));
  for (const auto& row : summarise(one)) {
    if (row.label == "total") continue;
    CHECK(row.test == 2);  // 20 % of 10
    CHECK(row.train == 8);
  }

  PrepOptions other_seed = options_for(dir / "a/src", 2);
  other_seed.seed = 7;
  CHECK(splits_of(run_prep(other_seed).manifest) != splits_of(one));
}

TEST_CASE("stratified_split: order-independent, bounded, honours given splits", "[split]") {
  std::vector<SplitItem> items;
  for (int i = 0; i < 7; ++i) items.push_back({"x", "x/" + std::to_string(i) + ".jpg"});
  for (int i = 0; i < 3; ++i) items.push_back({"y", "y/" + std::to_string(i) + ".jpg"});
  items.push_back({"lonely", "lonely/0.jpg"});
  items.push_back({"z", "z/given.jpg", Split::Test});

  const auto split = stratified_split(items, 0.3, 42);
  std::map<std::string, Split> by_key;
  for (std::size_t i = 0; i < items.size(); ++i) by_key[items[i].key] = split[i];

  auto reversed = items;
  std::reverse(reversed.begin(), reversed.end());
  const auto split_reversed = stratified_split(reversed, 0.3, 42);
  for (std::size_t i = 0; i < reversed.size(); ++i) CHECK(by_key[reversed[i].key] == split_reversed[i]);

  auto count = [&](const std::string& prefix, Split s) {
    return std::count_if(by_key.begin(), by_key.end(),
                         [&](const auto& kv) { return kv.first.rfind(prefix, 0) == 0 && kv.second == s; });
  };
  CHECK(count("x/", Split::Test) == 2);  // round(7 · 0.3)
  CHECK(count("y/", Split::Test) == 1);  // round(0.9)
  CHECK(count("lonely/", Split::Train) == 1);
  CHECK(by_key["z/given.jpg"] == Split::Test);

  for (Split s : stratified_split(items, 0.0, 1))
    if (s != Split::Test) CHECK(s == Split::Train);
  const auto all_test = stratified_split(items, 1.0, 1);
  CHECK(std::count(all_test.begin(), all_test.end(), Split::Test) == long(items.size()));
  CHECK_THROWS(stratified_split(items, 1.5, 1));
}

TEST_CASE("find_duplicates keeps the first exact copy, the largest near copy, and never chains", "[duplicates]") {
  auto candidate = [](const std::string& hash, std::uint64_t bits, int width, int luma = 100) {
    DuplicateCandidate c;
    c.pixel_hash = hash;
    c.perceptual.bits = bits;
    c.perceptual.luma = luma;
    c.width = width;
    c.height = width;
    c.bytes = 1000;
    return c;
  };
  NearDuplicateOptions near;
  near.max_distance = 4;
  // 0: small, 1: exact copy of 0, 2: large and near 0 (3 bits), 3: 4 bits from 2
  // but 7 from 0, 4: far away; 5: near 4 by bits but much darker.
  std::vector<DuplicateCandidate> c{candidate("a", 0x0, 50),   candidate("a", 0x0, 50),
                                    candidate("b", 0x7, 100),  candidate("c", 0x7F, 60),
                                    candidate("d", ~0ull, 80), candidate("e", ~0ull ^ 1, 80, 20)};
  const auto d = find_duplicates(c, near);
  CHECK_FALSE(d[0].kept);  // near the larger image 2
  CHECK(d[0].of == 2);
  CHECK(d[0].distance == 3);
  CHECK_FALSE(d[1].kept);  // exact copy of 0, which is itself a duplicate: points at 2
  CHECK(d[1].of == 2);
  CHECK_FALSE(d[1].exact);
  CHECK(d[2].kept);
  CHECK_FALSE(d[3].kept);  // 4 bits from the kept image 2
  CHECK(d[3].of == 2);
  CHECK(d[4].kept);
  CHECK(d[5].kept);  // luminance differs too much

  near.enabled = false;
  const auto exact_only = find_duplicates(c, near);
  CHECK(exact_only[0].kept);
  CHECK_FALSE(exact_only[1].kept);
  CHECK(exact_only[1].exact);
  CHECK(exact_only[1].of == 0);
  CHECK(exact_only[2].kept);
  CHECK(exact_only[3].kept);
}

TEST_CASE("a labels.csv is authoritative: labels, given splits, missing and unlisted files", "[prep][labels]") {
  TempDir dir;
  write_png(dir / "photos/a.png", distinct_picture(80, 80, 31));
  write_png(dir / "photos/b.png", distinct_picture(80, 80, 32));
  write_png(dir / "photos/c.png", distinct_picture(80, 80, 33));
  write_text(dir / "labels.csv",
             "path,label,split\nphotos/a.png,\"sea, rocks\",test\nphotos/b.png,sea,\nphotos/missing.png,sky,\n");
  const Manifest m = run_prep(options_for(dir.path())).manifest;
  REQUIRE(m.images.size() == 2);
  CHECK(m.roots[0].layout == SourceLayout::LabelsCsv);
  CHECK(m.images[0].path == "photos/a.png");
  CHECK(m.images[0].label == "sea, rocks");
  CHECK(m.images[0].split == Split::Test);
  CHECK(m.images[1].label == "sea");
  const auto reasons = rejected_reasons(m);
  CHECK(reasons.at("photos/missing.png") == "missing");
  CHECK(reasons.at("photos/c.png") == "unlisted");

  write_text(dir / "labels.csv", "file,label\n../outside.png,x\n");
  CHECK_THROWS_WITH(run_prep(options_for(dir.path())),
                    Catch::Contains("line 2") && Catch::Contains("leaves the folder"));
  write_text(dir / "labels.csv", "name,kind\n");
  CHECK_THROWS_WITH(run_prep(options_for(dir.path())), Catch::Contains("path and a label column"));
}

TEST_CASE("a crawl's attribution is carried into the manifest", "[prep][crawl]") {
  TempDir dir;
  write_jpeg(dir / "beach/111.jpg", distinct_picture(100, 80, 41));
  write_jpeg(dir / "beach/222.jpg", distinct_picture(100, 80, 42));
  write_jpeg(dir / "snow/333.jpg", distinct_picture(100, 80, 43));
  write_text(
      dir / "crawl.jsonl",
      R"({"id":"111","term":"beach","url":"https://live.example/111.jpg","page":"https://www.example/photos/ann/111",)"
      R"("owner":"Ann <b>","title":"Sunset","licence":"CC BY 2.0","size":"medium","sha256":"00"})"
      "\n"
      R"({"id":333,"term":"snow","url":"https://live.example/333.jpg","license":"CC0 1.0","ownername":"Bob"})"
      "\n{\"id\": \"cut sh");
  const PrepResult result = run_prep(options_for(dir.path()));
  const Manifest& m = result.manifest;
  CHECK(m.roots[0].layout == SourceLayout::Crawl);
  REQUIRE(m.images.size() == 3);
  const ManifestImage* a = find_image(m, "beach/111.jpg");
  REQUIRE(a);
  REQUIRE(a->source);
  CHECK(a->label == "beach");
  CHECK(a->source->owner == "Ann <b>");
  CHECK(a->source->licence == "CC BY 2.0");
  CHECK(a->source->page == "https://www.example/photos/ann/111");
  CHECK(a->source->url == "https://live.example/111.jpg");
  CHECK(a->source->title == "Sunset");
  const ManifestImage* c = find_image(m, "snow/333.jpg");
  REQUIRE(c);
  REQUIRE(c->source);
  CHECK(c->source->licence == "CC0 1.0");
  CHECK(c->source->owner == "Bob");
  CHECK_FALSE(find_image(m, "beach/222.jpg")->source);
  const std::string warnings = [&] {
    std::string all;
    for (const auto& w : result.warnings) all += w + "\n";
    return all;
  }();
  CHECK_THAT(warnings, Catch::Contains("line 3") && Catch::Contains("not valid JSON"));
  CHECK_THAT(warnings, Catch::Contains("1 image(s) have no record"));
}

TEST_CASE("parse_csv handles quotes, CRLF and a byte-order mark, and names the line of a fault", "[csv]") {
  const auto rows = parse_csv("\xEF\xBB\xBFpath,label\r\n\"a,b.jpg\",\"say \"\"hi\"\"\"\r\n\r\nc.jpg,x\n", "t.csv");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].fields == std::vector<std::string>{"path", "label"});
  CHECK(rows[1].fields == std::vector<std::string>{"a,b.jpg", "say \"hi\""});
  CHECK(rows[2].fields == std::vector<std::string>{"c.jpg", "x"});
  CHECK(rows[2].line == 4);
  CHECK_THROWS_WITH(parse_csv("a,b\n\"open,x\n", "t.csv"), Catch::Contains("t.csv: line 2"));
}

TEST_CASE("prep refuses a missing source folder with an I/O error naming it", "[prep]") {
  TempDir dir;
  try {
    run_prep(options_for(dir / "nope"));
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Io);
    CHECK_THAT(e.what(), Catch::Contains("no such folder") && Catch::Contains("nope"));
  }
}
