// Evaluation on tiny trees whose answers were worked out by hand.
//
// Five flat grey 64×64 pictures; `pixels:size=1` makes each one the vector
// (g, g, g)/255, so L1 and L2 rank by |g − g'|:
//   id 0 A/1 g=10   id 1 A/2 g=40   id 2 A/3 g=115   id 3 B/1 g=75   id 4 B/2 g=160
// Leave-one-out rankings (R relevant, n not) and measures with k = 1, 2, 3:
//   A/1: A/2(30)R B/1(65)n A/3(105)R B/2(150)n   P@1 1  P@2 1/2 P@3 2/3  AP (1+2/3)/2 = 5/6
//   A/2: A/1(30)R B/1(35)n A/3(75)R  B/2(120)n   P@1 1  P@2 1/2 P@3 2/3  AP 5/6
//   A/3: B/1(40)n B/2(45)n A/2(75)R  A/1(105)R   P@1 0  P@2 0   P@3 1/3  AP (1/3+2/4)/2 = 5/12
//   B/1: A/2(35)n A/3(40)n A/1(65)n  B/2(85)R    P@1 0  P@2 0   P@3 0    AP 1/4
//   B/2: A/3(45)n B/1(85)R A/2(120)n A/1(150)n   P@1 0  P@2 1/2 P@3 1/3  AP 1/2
//   mean: P@1 2/5, P@2 3/10, P@3 2/5, mAP 17/30; class A: P@1 2/3, mAP 25/36; class B: P@1 0, mAP 3/8.
// Correlation of constant vectors is 0 for every pair, so ties rank the
// lower id first: A/1: A/2 R, A/3 R, B/1, B/2 (AP 1); likewise A/2 and A/3;
// B/1: A/1, A/2, A/3, B/2 R (AP 1/4); B/2 likewise (AP 1/4).
//   mean: P@1 3/5, P@2 3/5, P@3 2/5, mAP 7/10.
#include <catch2/catch.hpp>

#include <random>

#include "cli_test_support.h"
#include "dataset/manifest.h"
#include "eval/eval_dataset.h"
#include "eval/eval_report.h"
#include "eval/exact_ranker.h"
#include "eval/hnsw_ranker.h"
#include "eval/retrieval_eval.h"
#include "lookalike/common/error.h"
#include "lookalike/search/exact_search.h"
#include "prep/prep_run.h"

using namespace lookalike;
using namespace lookalike::cli;
using namespace lookalike::testing;

namespace {

EvalConfig tiny_config(std::vector<Metric> metrics) {
  EvalConfig c;
  c.features = {"pixels:size=1"};
  c.metrics = std::move(metrics);
  c.ks = {1, 2, 3};
  c.examples = 2;
  c.threads = 2;
  c.show_progress = false;
  return c;
}

// Returns the exact ranking without its best hit: a stand-in for an
// approximate search, to check the recall-against-exact column.
class MissesTheBestRanker : public Ranker {
 public:
  void rank(const FeatureMatrix& m, Metric metric, const std::vector<std::uint32_t>& queries,
            const std::vector<std::uint32_t>& database, std::size_t depth, unsigned threads,
            const RankingVisitor& visit) const override {
    ExactRanker().rank(m, metric, queries, database, depth == 0 ? 0 : depth + 1, threads,
                       [&](std::size_t q, const std::vector<Hit>& ranking) {
                         visit(q, std::vector<Hit>(ranking.begin() + 1, ranking.end()));
                       });
  }
};

}  // namespace

TEST_CASE("eval leave-one-out on a tiny tree gives the numbers worked out by hand", "[eval]") {
  TempDir dir;
  write_grey_tree(dir.path());
  const EvalDataset dataset = load_eval_dataset(dir.path());
  REQUIRE(dataset.images.size() == 5);
  CHECK(dataset.labels == std::vector<std::string>{"A", "B"});

  const EvalReport report = run_evaluation(dataset, tiny_config({Metric::L1, Metric::L2, Metric::Correlation}));
  REQUIRE(report.runs.size() == 3);
  CHECK(report.queries == 5);
  CHECK(report.database == 5);
  for (int r = 0; r < 2; ++r) {
    const RunResult& run = report.runs[std::size_t(r)];
    INFO(metric_name(run.metric));
    CHECK(run.feature == "pixels:size=1");
    CHECK(run.overall.queries == 5);
    CHECK(run.overall.precision[0] == Approx(2.0 / 5));
    CHECK(run.overall.precision[1] == Approx(3.0 / 10));
    CHECK(run.overall.precision[2] == Approx(2.0 / 5));
    CHECK(run.overall.map == Approx(17.0 / 30));
    REQUIRE(run.per_class.size() == 2);
    CHECK(run.per_class[0].label == "A");
    CHECK(run.per_class[0].scores.precision[0] == Approx(2.0 / 3));
    CHECK(run.per_class[0].scores.map == Approx(25.0 / 36));
    CHECK(run.per_class[1].scores.precision[0] == Approx(0.0));
    CHECK(run.per_class[1].scores.map == Approx(3.0 / 8));
    CHECK_FALSE(run.recall_vs_exact);
  }
  const RunResult& correlation = report.runs[2];
  CHECK(correlation.metric == Metric::Correlation);
  CHECK(correlation.overall.precision[0] == Approx(3.0 / 5));
  CHECK(correlation.overall.precision[1] == Approx(3.0 / 5));
  CHECK(correlation.overall.precision[2] == Approx(2.0 / 5));
  CHECK(correlation.overall.map == Approx(7.0 / 10));

  // Example queries: the first of each class, with their ranked results.
  CHECK(report.example_queries == std::vector<std::size_t>{0, 3});
  const auto& l1 = report.runs[0];
  REQUIRE(l1.examples.size() == 2);
  std::vector<std::uint32_t> ids;
  for (const Hit& h : l1.examples[0]) ids.push_back(h.id);
  CHECK(ids == std::vector<std::uint32_t>{1, 3, 2, 4});
  CHECK(l1.examples[0][0].score == Approx(3 * 30 / 255.0).epsilon(1e-5));
}

TEST_CASE("eval split protocol: test images query the train images of a prep manifest", "[eval]") {
  // Train: A/1, A/3, B/1; test: A/2, B/2.
  //   A/2: A/1(30)R B/1(35)n A/3(75)R   P@1 1  P@2 1/2  AP (1+2/3)/2 = 5/6
  //   B/2: A/3(45)n B/1(85)R A/1(150)n  P@1 0  P@2 1/2  AP 1/2
  //   mean: P@1 1/2, P@2 1/2, mAP 2/3.
  TempDir dir;
  write_grey_tree(dir / "src");
  write_text(dir / "src/labels.csv",
             "path,label,split\nA/1.png,A,train\nA/2.png,A,test\nA/3.png,A,train\nB/1.png,B,train\nB/2.png,B,test\n");
  const Manifest manifest = prep_quietly(dir / "src");
  REQUIRE(manifest.images.size() == 5);
  write_manifest(dir / "prep/manifest.json", manifest);

  const EvalDataset dataset = load_eval_dataset(dir / "prep");  // the folder holding manifest.json
  CHECK(dataset.kind == "manifest");
  EvalConfig config = tiny_config({Metric::L1});
  config.protocol = Protocol::Split;
  config.ks = {1, 2};
  const EvalReport report = run_evaluation(dataset, config);
  CHECK(report.queries == 2);
  CHECK(report.database == 3);
  REQUIRE(report.runs.size() == 1);
  CHECK(report.runs[0].overall.precision[0] == Approx(0.5));
  CHECK(report.runs[0].overall.precision[1] == Approx(0.5));
  CHECK(report.runs[0].overall.map == Approx(2.0 / 3));

  // A folder without a split cannot run this protocol.
  TempDir plain;
  write_grey_tree(plain.path());
  CHECK_THROWS_WITH(run_evaluation(load_eval_dataset(plain.path()), config), Catch::Contains("needs train and test"));
}

TEST_CASE("eval measures an approximate search's recall against exact", "[eval]") {
  TempDir dir;
  write_grey_tree(dir.path());
  EvalConfig config = tiny_config({Metric::L1});
  SearchSettings hnsw;
  hnsw.kind = SearchKind::Hnsw;
  config.searches = {hnsw};  // exact is added in front
  config.ranker_factory = [](const SearchSettings& s) -> std::unique_ptr<Ranker> {
    if (s.kind == SearchKind::Exact) return std::make_unique<ExactRanker>();
    return std::make_unique<MissesTheBestRanker>();
  };
  const EvalReport report = run_evaluation(load_eval_dataset(dir.path()), config);
  REQUIRE(report.runs.size() == 2);
  CHECK(report.runs[0].search.kind == SearchKind::Exact);
  CHECK_FALSE(report.runs[0].recall_vs_exact);
  CHECK(report.runs[1].search.kind == SearchKind::Hnsw);
  REQUIRE(report.runs[1].recall_vs_exact);
  CHECK(*report.runs[1].recall_vs_exact == Approx(2.0 / 3));      // top-3 overlap: ranks 2 and 3 of 3
  CHECK(report.runs[1].overall.precision[0] == Approx(1.0 / 5));  // each query's second exact hit: n n n n R
  const std::string md = eval_report_markdown(report);
  CHECK_THAT(md, Catch::Contains("| recall |"));
  CHECK_THAT(md, Catch::Contains("| 0.667 |"));
}

TEST_CASE("eval with HNSW: the index's search, recall against exact, no mAP", "[eval]") {
  TempDir dir;
  write_grey_tree(dir.path());
  EvalConfig config = tiny_config({Metric::L1, Metric::Correlation});
  SearchSettings hnsw;
  hnsw.kind = SearchKind::Hnsw;
  hnsw.m = 4;
  hnsw.ef_construction = 20;
  hnsw.ef = 10;
  config.searches = {SearchSettings{}, hnsw};
  const EvalReport report = run_evaluation(load_eval_dataset(dir.path()), config);
  REQUIRE(report.runs.size() == 4);
  for (std::size_t r : {1, 3}) {
    const RunResult& exact = report.runs[r - 1];
    const RunResult& approximate = report.runs[r];
    CHECK(approximate.search.kind == SearchKind::Hnsw);
    CHECK_FALSE(approximate.full_ranking);
    REQUIRE(approximate.recall_vs_exact);
    // Five items and ef 10: the graph search sees every item, so it is exact.
    CHECK(*approximate.recall_vs_exact == 1.0);
    CHECK(approximate.overall.precision == exact.overall.precision);
  }
  CHECK(report.runs[1].overall.precision[0] == Approx(2.0 / 5));  // the hand-worked L1 numbers
  const std::string md = eval_report_markdown(report);
  CHECK_THAT(md, Catch::Contains("| hnsw m=4 efc=20 ef=10 |") && Catch::Contains("| — | 1.000 |"));
  CHECK(eval_report_json(report)["runs"][1]["map"].is_null());

  SearchSettings bad = hnsw;
  bad.m = 1000;
  CHECK_THROWS_WITH(make_ranker(bad), Catch::Contains("m"));
  CHECK_THROWS_WITH(parse_search_kind("annoy"), Catch::Contains("expected exact, hnsw or partitioned"));
}

TEST_CASE("HnswRanker with a wide search returns the exact ranking of the core's index", "[eval]") {
  std::mt19937 rng(9);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  FeatureMatrix m;
  m.spec = "test";
  m.dim = 24;
  m.values.resize(200 * m.dim);
  for (float& v : m.values) v = u(rng);
  std::vector<std::uint32_t> all(200), queries, database;
  for (std::uint32_t i = 0; i < 200; ++i) {
    all[i] = i;
    (i % 4 == 0 ? queries : database).push_back(i);
  }
  SearchSettings wide;
  wide.kind = SearchKind::Hnsw;
  wide.ef = 400;  // more than the database: the walk reaches every item
  for (Metric metric : kAllMetrics) {
    INFO(metric_name(metric));
    // Leave-one-out (queries in the database, searched by id) and split (queries outside it).
    for (const auto* q : {&all, &queries}) {
      const auto& db = q == &all ? all : database;
      std::vector<std::vector<Hit>> exact(q->size()), approximate(q->size());
      ExactRanker().rank(m, metric, *q, db, 10, 2, [&](std::size_t i, const std::vector<Hit>& r) { exact[i] = r; });
      HnswRanker(wide).rank(m, metric, *q, db, 10, 2,
                            [&](std::size_t i, const std::vector<Hit>& r) { approximate[i] = r; });
      for (std::size_t i = 0; i < q->size(); ++i) {
        REQUIRE(approximate[i].size() == 10);
        for (std::size_t r = 0; r < 10; ++r) {
          CHECK(approximate[i][r].id == exact[i][r].id);
          CHECK(approximate[i][r].score == Approx(exact[i][r].score).margin(1e-5));
        }
      }
    }
  }
}

TEST_CASE("ExactRanker ranks exactly as the core's exact_search", "[eval]") {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  FeatureMatrix m;
  m.dim = 37;
  m.values.resize(60 * m.dim);
  for (float& v : m.values) v = u(rng);
  std::copy(m.row(3), m.row(3) + m.dim, m.values.begin() + std::ptrdiff_t(7 * m.dim));  // a tie
  std::vector<std::uint32_t> all(60);
  for (std::uint32_t i = 0; i < 60; ++i) all[i] = i;
  for (Metric metric : kAllMetrics) {
    ExactRanker().rank(m, metric, all, all, 0, 2, [&](std::size_t q, const std::vector<Hit>& ranking) {
      auto expected = exact_search(metric, m.row(q), m.values.data(), 60, m.dim, 60);
      expected.erase(std::remove_if(expected.begin(), expected.end(), [&](const Hit& h) { return h.id == q; }),
                     expected.end());
      REQUIRE(ranking.size() == expected.size());
      for (std::size_t r = 0; r < ranking.size(); ++r) {
        CHECK(ranking[r].id == expected[r].id);
        CHECK(ranking[r].score == expected[r].score);
      }
    });
  }
}

TEST_CASE("eval leaves out images it cannot decode and says which", "[eval]") {
  TempDir dir;
  write_grey_tree(dir.path());
  write_text(dir / "B/broken.png", "\x89PNG\r\n\x1a\n not really");
  const EvalReport report = run_evaluation(load_eval_dataset(dir.path()), tiny_config({Metric::L1}));
  REQUIRE(report.excluded.size() == 1);
  CHECK(report.excluded[0].path == "B/broken.png");
  CHECK_FALSE(report.excluded[0].error.empty());
  CHECK(report.dataset.images.size() == 5);
  CHECK(report.runs[0].overall.map == Approx(17.0 / 30));  // the same five images as above
}

TEST_CASE("eval refuses to report on a dataset whose images are all gone", "[eval]") {
  TempDir dir;
  write_grey_tree(dir / "src");
  write_manifest(dir / "manifest.json", prep_quietly(dir / "src"));
  fs::remove_all(dir / "src");
  try {
    run_evaluation(load_eval_dataset(dir / "manifest.json"), tiny_config({Metric::L1}));
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Io);
    CHECK_THAT(e.what(), Catch::Contains("5 of 5 images") && Catch::Contains("A/1.png"));
  }
}

TEST_CASE("eval reports: JSON fields, Markdown table, self-contained HTML with escaped names", "[eval][report]") {
  TempDir dir;
  write_grey_tree(dir.path());
  fs::rename(dir / "B", dir / "B<script>");
  const EvalReport report = run_evaluation(load_eval_dataset(dir.path()), tiny_config({Metric::L1}));

  const auto j = eval_report_json(report);
  CHECK(j["kind"] == "lookalike-eval");
  CHECK(j["protocol"] == "leave-one-out");
  CHECK(j["k"] == nlohmann::json::array({1, 2, 3}));
  REQUIRE(j["runs"].size() == 1);
  const auto& run = j["runs"][0];
  CHECK(run["feature"] == "pixels:size=1");
  CHECK(run["metric"] == "l1");
  CHECK(run["search"]["kind"] == "exact");
  CHECK(run["precision"]["1"].get<double>() == Approx(0.4));
  CHECK(run["map"].get<double>() == Approx(17.0 / 30));
  CHECK(run["recall_vs_exact"].is_null());
  CHECK(run["per_class"].size() == 2);
  CHECK(run["examples"][0]["results"][0]["path"] == "A/2.png");
  CHECK(run["examples"][0]["results"][0]["relevant"] == true);

  const std::string md = eval_report_markdown(report);
  CHECK_THAT(
      md, Catch::Contains("| pixels:size=1 | l1 | exact | 0.400 | 0.300 | 0.400 ± 0.") && Catch::Contains("| 0.567 |"));

  const std::string html =
      eval_report_html(report, [](std::size_t i) { return "data:image/jpeg;base64,QUFB" + std::to_string(i); });
  CHECK_THAT(html, Catch::StartsWith("<!doctype html>"));
  CHECK_THAT(html,
             Catch::Contains("<svg") && Catch::Contains(".i0{background-image:url(data:image/jpeg;base64,QUFB0)}"));
  CHECK_THAT(html, Catch::Contains("B&lt;script&gt;"));
  CHECK_THAT(html, !Catch::Contains("<script"));
  CHECK_THAT(html, !Catch::Contains("src=\"http") && !Catch::Contains("href=\"http") && !Catch::Contains("@import"));
}
