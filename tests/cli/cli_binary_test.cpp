// The `lookalike` binary as users meet it: exit codes, one clear line per
// error on stderr, files written, a server stopped by Ctrl-C.
#include <httplib.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <csignal>

#include "cli_test_support.h"
#include "common/exit_codes.h"
#include "common/files.h"

using namespace lookalike;
using namespace lookalike::cli;
using namespace lookalike::testing;

namespace {

// Exactly one line on stderr, an error naming `needle`, and no crash.
void require_one_error_line(const CliResult& r, const std::string& needle) {
  INFO("stderr: " << r.err);
  const auto lines = lines_of(r.err);
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0], Catch::StartsWith("lookalike: error: ") && Catch::Contains(needle));
  CHECK(r.err.find("terminate") == std::string::npos);
}

}  // namespace

TEST_CASE("lookalike --help lists the subcommands and the exit codes", "[cli]") {
  const CliResult r = run_cli({"--help"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("prep") && Catch::Contains("index") && Catch::Contains("query") &&
                        Catch::Contains("eval") && Catch::Contains("serve") && Catch::Contains("Exit codes"));
  CHECK(run_cli({"frobnicate"}).exit_code == kExitUsage);
}

TEST_CASE("lookalike prep: missing folder, no images, and a normal run", "[cli][prep]") {
  TempDir dir;
  const CliResult missing = run_cli({"prep", (dir / "absent").string(), "--out", (dir / "out").string()});
  CHECK(missing.exit_code == kExitIo);
  require_one_error_line(missing, "no such folder: " + (dir / "absent").string());

  fs::create_directories(dir / "empty/sub");
  write_text(dir / "empty/sub/readme.txt", "no images here");
  const CliResult empty = run_cli({"prep", (dir / "empty").string(), "--out", (dir / "out").string()});
  CHECK(empty.exit_code == kExitBadInput);
  require_one_error_line(empty, "no image files found");
  CHECK_FALSE(fs::exists(dir / "out/manifest.json"));

  write_grey_tree(dir / "src");
  write_text(dir / "src/B/broken.jpg", "\xFF\xD8\xFF\xE0 truncated");
  const CliResult ok =
      run_cli({"prep", (dir / "src").string(), "--out", (dir / "out").string(), "--test-fraction", "0.5"});
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.err, Catch::Contains("class  kept  duplicates  rejected  train  test"));
  CHECK_THAT(ok.err, Catch::Contains("set aside (corrupt): B/broken.jpg"));
  const auto manifest = nlohmann::json::parse(read_text_file(dir / "out/manifest.json"));
  CHECK(manifest["images"].size() == 5);
  CHECK(manifest["rejected"][0]["reason"] == "corrupt");

  const CliResult json = run_cli({"prep", (dir / "src").string(), "--out", (dir / "out2").string(), "--json", "-q"});
  CHECK(json.exit_code == 0);
  const auto summary = nlohmann::json::parse(json.out);
  CHECK(summary["summary"].back()["label"] == "total");
  CHECK(summary["summary"].back()["kept"] == 5);
  CHECK(summary["summary"].back()["rejected"] == 1);

  const CliResult bad_option =
      run_cli({"prep", (dir / "src").string(), "--out", (dir / "o").string(), "--test-fraction", "2"});
  CHECK(bad_option.exit_code == kExitUsage);
}

TEST_CASE("lookalike eval: reports, and clear errors for missing, corrupt and unavailable things", "[cli][eval]") {
  TempDir dir;
  write_grey_tree(dir / "src");
  const CliResult ok = run_cli({"eval", (dir / "src").string(), "--feature", "pixels:size=1", "--metric", "l1,l2",
                                "--k", "1,2,3", "--out", (dir / "reports").string()});
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.out, Catch::Contains("pixels:size=1  l1      exact   0.400  0.300  0.400  0.567"));
  CHECK(fs::exists(dir / "reports/eval.json"));
  CHECK(fs::exists(dir / "reports/eval.md"));
  const std::string html = read_text_file(dir / "reports/eval.html");
  CHECK_THAT(html, Catch::Contains("data:image/jpeg;base64,"));

  const CliResult missing = run_cli({"eval", (dir / "nothing").string()});
  CHECK(missing.exit_code == kExitIo);
  require_one_error_line(missing, "no such file or folder");

  write_text(dir / "broken.json", "{\"schema\": 1, \"kind\": ");
  const CliResult corrupt = run_cli({"eval", (dir / "broken.json").string()});
  CHECK(corrupt.exit_code == kExitBadInput);
  require_one_error_line(corrupt, "not valid JSON");

  const CliResult hnsw = run_cli({"eval", (dir / "src").string(), "--feature", "pixels:size=1", "--metric", "l1", "--k",
                                  "1,2,3", "--search", "exact,hnsw", "--out", (dir / "reports-hnsw").string(), "-q"});
  INFO(hnsw.err);
  CHECK(hnsw.exit_code == 0);
  CHECK_THAT(hnsw.out,
             Catch::Contains("pixels:size=1  l1      hnsw m=16 efc=200 ef=64  0.400  0.300  0.400      -   1.000"));

  const CliResult bad_m = run_cli({"eval", (dir / "src").string(), "--search", "hnsw", "--hnsw-m", "100"});
  CHECK(bad_m.exit_code == kExitUsage);

  const CliResult feature = run_cli({"eval", (dir / "src").string(), "--feature", "sift"});
  CHECK(feature.exit_code == kExitUsage);
  require_one_error_line(feature, "unknown feature \"sift\"");

  // An image that vanished after prep: the others are evaluated, exit 6.
  CHECK(run_cli({"prep", (dir / "src").string(), "--out", (dir / "prep").string(), "-q"}).exit_code == 0);
  fs::remove(dir / "src/B/2.png");
  const CliResult partial = run_cli({"eval", (dir / "prep/manifest.json").string(), "--feature", "pixels:size=1",
                                     "--out", (dir / "reports2").string(), "-q"});
  CHECK(partial.exit_code == kExitPartial);
  CHECK_THAT(partial.err, Catch::Contains("excluded B/2.png") && Catch::Contains("1 image(s) could not be decoded"));
  CHECK(fs::exists(dir / "reports2/eval.json"));
}

TEST_CASE("lookalike serve: prints its URL, serves, stops on Ctrl-C; a port in use is one line", "[cli][serve]") {
  TempDir dir;
  write_text(dir / "site/index.html", "<!doctype html><p>hello");
  CliProcess server({"serve", (dir / "site").string(), "--port", "0"});
  const std::string url = server.read_line(std::chrono::seconds(30));
  REQUIRE_THAT(url, Catch::StartsWith("http://127.0.0.1:") && Catch::EndsWith("/"));
  const int port = std::stoi(url.substr(17, url.size() - 18));

  httplib::Client client("127.0.0.1", port);
  auto r = client.Get("/");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == "<!doctype html><p>hello");
  CHECK(r->get_header_value("Cross-Origin-Embedder-Policy") == "require-corp");

  const CliResult busy = run_cli({"serve", (dir / "site").string(), "--port", std::to_string(port)});
  CHECK(busy.exit_code == kExitIo);
  require_one_error_line(busy, "port " + std::to_string(port) + " on 127.0.0.1 is already in use");

  const CliResult missing = run_cli({"serve", (dir / "nope").string(), "--port", "0"});
  CHECK(missing.exit_code == kExitIo);
  require_one_error_line(missing, "no such folder");

  server.signal(SIGINT);
  const CliResult stopped = server.wait(std::chrono::seconds(30));
  CHECK(stopped.exit_code == 0);
  CHECK_THAT(stopped.err, Catch::Contains("stopped"));
}
