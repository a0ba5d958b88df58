// The collection records the page's defaults at index time; `lookalike
// query` takes them (and any metric name the core accepts).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli_test_support.h"
#include "common/files.h"
#include "lookalike/index/collection.h"
#include "site/collection_files.h"

using namespace lookalike;
using namespace lookalike::cli;
using namespace lookalike::testing;
using nlohmann::json;

namespace {

void make_photos(const fs::path& root) {
  for (int i = 0; i < 6; ++i)
    write_png(root / (i < 3 ? "sea" : "sand") / (std::to_string(i) + ".png"), distinct_picture(96, 80, 100 + i));
}

}  // namespace

TEST_CASE("index records the page's defaults and query opens the first one", "[cli][defaults]") {
  TempDir dir;
  make_photos(dir / "photos");
  const fs::path site = dir / "site";
  const CliResult built =
      run_cli({"index", (dir / "photos").string(), "--site", site.string(), "--name", "d", "--feature", "pixels:size=8",
               "--feature", "colour-texture", "--metric", "l2,pearson", "--samples", "0", "-q"});
  REQUIRE_CLI_SUCCESS(built);
  const json sidecar = json::parse(read_text_file(collection_file(site, "d")));
  REQUIRE(sidecar.contains("defaults"));
  CHECK(sidecar["defaults"][0]["feature"].get<std::string>().rfind("colour-texture", 0) == 0);
  CHECK(sidecar["defaults"][0]["metric"] == "correlation");
  CHECK(sidecar["defaults"][1]["feature"] == "pixels:size=8");

  const CliResult answer = run_cli({"query", (dir / "photos/sea/0.png").string(), "--site", site.string(), "--json"});
  REQUIRE_CLI_SUCCESS(answer);
  const json result = json::parse(answer.out);
  CHECK(result["feature"] == sidecar["defaults"][0]["feature"]);
  CHECK(result["metric"] == "correlation");

  // "pearson" is the core's other name for correlation.
  const CliResult pearson = run_cli({"query", (dir / "photos/sea/0.png").string(), "--site", site.string(), "--feature",
                                     "pixels:size=8", "--metric", "pearson", "--json"});
  REQUIRE_CLI_SUCCESS(pearson);
  CHECK(json::parse(pearson.out)["metric"] == "correlation");
  const CliResult wrong =
      run_cli({"query", (dir / "photos/sea/0.png").string(), "--site", site.string(), "--metric", "hamming"});
  CHECK(wrong.exit_code == 2);
  CHECK_THAT(wrong.err, Catch::Contains("unknown metric \"hamming\" (expected l1, l2, cosine or correlation)"));
}
