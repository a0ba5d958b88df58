// The static server: content types, cross-origin isolation headers, byte
// ranges, revalidation, and refusing every way out of the served folder.
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "cli_test_support.h"
#include "common/gzip.h"
#include "lookalike/common/error.h"
#include "serve/byte_ranges.h"
#include "serve/mime_types.h"
#include "serve/site_path.h"
#include "serve/static_site_server.h"

using namespace lookalike;
using namespace lookalike::cli;
using namespace lookalike::testing;

namespace {

class RunningServer {
 public:
  explicit RunningServer(const fs::path& root, int port = 0) {
    ServeOptions o;
    o.root = root;
    o.port = port;
    server_ = std::make_unique<StaticSiteServer>(o);
    port_ = server_->bind();
    thread_ = std::thread([this] {
      server_->run();
      done_ = true;
    });
  }
  ~RunningServer() {
    while (!done_) {
      server_->stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    thread_.join();
  }
  int port() const { return port_; }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(5);
    c.set_read_timeout(5);
    return c;
  }

 private:
  std::unique_ptr<StaticSiteServer> server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> done_{false};
};

// A request written byte for byte, for paths a client library might tidy up.
std::string raw_request(int port, const std::string& target) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(std::uint16_t(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return {};
  }
  const std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  if (::send(fd, request.data(), request.size(), 0) < 0) {
    ::close(fd);
    return {};
  }
  std::string response;
  char buffer[4096];
  ssize_t n;
  while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) response.append(buffer, std::size_t(n));
  ::close(fd);
  return response;
}

struct Site {
  TempDir dir;
  fs::path root;
  std::string wasm;
  Site() {
    root = dir / "site";
    for (int i = 0; i < 3000; ++i) wasm.push_back(char(i % 251));
    write_text(root / "index.html", "<!doctype html><title>home</title>");
    write_text(root / "app.wasm", wasm);
    write_text(root / "worker.mjs", "export {};");
    write_text(root / "main.js", "console.log(1);");
    write_text(root / "models/tiny.onnx", "onnx");
    write_text(root / "index/demo.colour.l1.lkx", "LKX1");
    write_text(root / "index/demo.json", "{}");
    write_text(root / "style.css", "body{}");
    write_text(root / "sub/index.html", "sub page");
    write_text(root / ".env", "KEY=1");
    write_text(dir / "outside/secret.txt", "TOP SECRET");
    write_text(dir / "site-other/x.txt", "sibling");
    fs::create_symlink(dir / "outside/secret.txt", root / "leak.txt");
    fs::create_directory_symlink(dir / "outside", root / "leakdir");
    fs::create_symlink(root / "index.html", root / "alias.html");  // a link that stays inside is fine
  }
};

void require_isolation_headers(const httplib::Result& r) {
  REQUIRE(r);
  CHECK(r->get_header_value("Cross-Origin-Opener-Policy") == "same-origin");
  CHECK(r->get_header_value("Cross-Origin-Embedder-Policy") == "require-corp");
  CHECK(r->get_header_value("Cross-Origin-Resource-Policy") == "same-origin");
}

}  // namespace

TEST_CASE("serve: content types and cross-origin isolation headers", "[serve]") {
  Site site;
  RunningServer server(site.root);
  auto client = server.client();
  const std::vector<std::pair<std::string, std::string>> expected{
      {"/index.html", "text/html; charset=utf-8"},
      {"/app.wasm", "application/wasm"},
      {"/worker.mjs", "text/javascript; charset=utf-8"},
      {"/main.js", "text/javascript; charset=utf-8"},
      {"/models/tiny.onnx", "application/octet-stream"},
      {"/index/demo.colour.l1.lkx", "application/octet-stream"},
      {"/index/demo.json", "application/json; charset=utf-8"},
      {"/style.css", "text/css; charset=utf-8"},
  };
  for (const auto& [path, type] : expected) {
    INFO(path);
    auto r = client.Get(path.c_str());
    require_isolation_headers(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == type);
    CHECK(r->get_header_value("X-Content-Type-Options") == "nosniff");
  }
  auto wasm = client.Get("/app.wasm");
  REQUIRE(wasm);
  CHECK(wasm->body == site.wasm);
  auto missing = client.Get("/nothing-here.js");
  require_isolation_headers(missing);
  CHECK(missing->status == 404);
}

TEST_CASE("serve: folders, index.html, redirects, hidden files, HEAD and ETag", "[serve]") {
  Site site;
  RunningServer server(site.root);
  auto client = server.client();
  auto home = client.Get("/");
  REQUIRE(home);
  CHECK(home->status == 200);
  CHECK(home->body == "<!doctype html><title>home</title>");
  auto sub = client.Get("/sub");
  REQUIRE(sub);
  CHECK(sub->status == 301);
  CHECK(sub->get_header_value("Location") == "/sub/");
  auto sub_index = client.Get("/sub/");
  REQUIRE(sub_index);
  CHECK(sub_index->body == "sub page");
  auto hidden = client.Get("/.env");
  REQUIRE(hidden);
  CHECK(hidden->status == 404);
  CHECK(hidden->body.find("KEY") == std::string::npos);
  auto alias = client.Get("/alias.html");
  REQUIRE(alias);
  CHECK(alias->status == 200);

  auto head = client.Head("/app.wasm", {{"Accept-Encoding", "identity"}});
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->get_header_value("Content-Length") == "3000");
  CHECK(head->body.empty());

  auto first = client.Get("/app.wasm");
  REQUIRE(first);
  const std::string etag = first->get_header_value("ETag");
  REQUIRE_FALSE(etag.empty());
  auto again = client.Get("/app.wasm", {{"If-None-Match", etag}});
  REQUIRE(again);
  CHECK(again->status == 304);
  CHECK(again->body.empty());
}

TEST_CASE("serve: byte ranges", "[serve]") {
  Site site;
  RunningServer server(site.root);
  auto client = server.client();
  auto part = client.Get("/app.wasm", {{"Range", "bytes=10-19"}});
  require_isolation_headers(part);
  CHECK(part->status == 206);
  CHECK(part->get_header_value("Content-Range") == "bytes 10-19/3000");
  CHECK(part->body == site.wasm.substr(10, 10));

  auto suffix = client.Get("/app.wasm", {{"Range", "bytes=-5"}});
  REQUIRE(suffix);
  CHECK(suffix->status == 206);
  CHECK(suffix->body == site.wasm.substr(2995));

  auto clamped = client.Get("/app.wasm", {{"Range", "bytes=2990-99999"}});
  REQUIRE(clamped);
  CHECK(clamped->status == 206);
  CHECK(clamped->get_header_value("Content-Range") == "bytes 2990-2999/3000");
  CHECK(clamped->body == site.wasm.substr(2990));

  auto beyond = client.Get("/app.wasm", {{"Range", "bytes=5000-"}});
  require_isolation_headers(beyond);
  CHECK(beyond->status == 416);
  CHECK(beyond->get_header_value("Content-Range") == "bytes */3000");

  auto several = client.Get("/app.wasm", {{"Range", "bytes=0-1,5-6"}});
  REQUIRE(several);
  CHECK(several->status == 200);  // answered with the whole file
  CHECK(several->body == site.wasm);

  auto stale = client.Get("/app.wasm", {{"Range", "bytes=0-9"}, {"If-Range", "\"not-the-etag\""}});
  REQUIRE(stale);
  CHECK(stale->status == 200);
  CHECK(stale->body == site.wasm);
}

TEST_CASE("serve: gzip for text, scripts, JSON and the module; never index data or a range", "[serve]") {
  Site site;
  RunningServer server(site.root);
  auto client = server.client();
  client.set_decompress(false);  // the bytes as sent
  const httplib::Headers gzip{{"Accept-Encoding", "gzip, deflate, br"}};

  auto wasm = client.Get("/app.wasm", gzip);
  require_isolation_headers(wasm);
  CHECK(wasm->status == 200);
  CHECK(wasm->get_header_value("Content-Encoding") == "gzip");
  CHECK(wasm->get_header_value("Vary") == "Accept-Encoding");
  CHECK(wasm->get_header_value("Content-Type") == "application/wasm");
  CHECK(wasm->body.size() < site.wasm.size() / 4);
  CHECK(gunzip(reinterpret_cast<const std::uint8_t*>(wasm->body.data()), wasm->body.size(), "app.wasm") == site.wasm);
  const std::string etag = wasm->get_header_value("ETag");
  CHECK(etag.find("-gzip\"") != std::string::npos);
  auto revalidated = client.Get("/app.wasm", {{"Accept-Encoding", "gzip"}, {"If-None-Match", etag}});
  REQUIRE(revalidated);
  CHECK(revalidated->status == 304);
  auto identity_revalidated = client.Get("/app.wasm", {{"Accept-Encoding", "identity"}, {"If-None-Match", etag}});
  REQUIRE(identity_revalidated);
  CHECK(identity_revalidated->status == 200);  // the other encoding's tag does not match
  CHECK(identity_revalidated->body == site.wasm);

  for (const char* path : {"/index.html", "/main.js", "/index/demo.json"}) {
    INFO(path);
    auto r = client.Get(path, gzip);
    REQUIRE(r);
    CHECK(r->get_header_value("Content-Encoding") == "gzip");
  }
  for (const char* path : {"/index/demo.colour.l1.lkx", "/models/tiny.onnx"}) {
    INFO(path);
    auto r = client.Get(path, gzip);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK_FALSE(r->has_header("Content-Encoding"));
    CHECK_FALSE(r->has_header("Vary"));
  }
  auto part = client.Get("/app.wasm", {{"Accept-Encoding", "gzip"}, {"Range", "bytes=10-19"}});
  REQUIRE(part);
  CHECK(part->status == 206);
  CHECK_FALSE(part->has_header("Content-Encoding"));
  CHECK(part->body == site.wasm.substr(10, 10));
  for (const char* refused : {"gzip;q=0", "identity", "br"}) {
    INFO(refused);
    auto r = client.Get("/app.wasm", {{"Accept-Encoding", refused}});
    REQUIRE(r);
    CHECK_FALSE(r->has_header("Content-Encoding"));
    CHECK(r->body == site.wasm);
  }
}

TEST_CASE("serve: no path leads out of the served folder", "[serve]") {
  Site site;
  RunningServer server(site.root);
  auto client = server.client();
  for (const char* path :
       {"/../outside/secret.txt", "/%2e%2e/outside/secret.txt", "/%2E%2E%2Foutside%2Fsecret.txt",
        "/sub/../../outside/secret.txt", "/..%2f..%2f..%2fetc%2fpasswd", "/leak.txt", "/leakdir/secret.txt",
        "/../site-other/x.txt", "/..\\outside\\secret.txt", "/%5c..%5coutside%5csecret.txt"}) {
    INFO(path);
    auto r = client.Get(path);
    REQUIRE(r);
    CHECK(r->status >= 400);
    CHECK(r->body.find("SECRET") == std::string::npos);
    CHECK(r->body.find("sibling") == std::string::npos);
    CHECK(r->body.find("root:") == std::string::npos);
  }
  for (const char* target :
       {"/../outside/secret.txt", "/%2e%2e/%2e%2e/outside/secret.txt", "/./../outside/secret.txt"}) {
    INFO(target);
    const std::string response = raw_request(server.port(), target);
    REQUIRE_FALSE(response.empty());
    CHECK(response.rfind("HTTP/1.1 4", 0) == 0);
    CHECK(response.find("SECRET") == std::string::npos);
  }
}

TEST_CASE("serve: a port in use is an I/O error that says so", "[serve]") {
  Site site;
  RunningServer first(site.root);
  ServeOptions o;
  o.root = site.root;
  o.port = first.port();
  StaticSiteServer second(o);
  try {
    second.bind();
    FAIL("a second server bound a port in use");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Io);
    CHECK_THAT(e.what(), Catch::Contains("already in use") && Catch::Contains(std::to_string(first.port())));
  }
  ServeOptions missing;
  missing.root = site.dir / "no-such-folder";
  CHECK_THROWS_WITH(StaticSiteServer(missing), Catch::Contains("no such folder"));
}

TEST_CASE("plan_ranges clamps, drops and refuses ranges as RFC 9110 says", "[serve]") {
  using Kind = RangePlan::Kind;
  CHECK(plan_ranges({}, 100).kind == Kind::Whole);
  auto p = plan_ranges({{0, 9}, {95, 200}, {-1, 3}, {150, -1}}, 100);
  CHECK(p.kind == Kind::Partial);
  CHECK(p.ranges == std::vector<RequestedRange>{{0, 9}, {95, 99}, {97, 99}});
  CHECK(plan_ranges({{100, -1}}, 100).kind == Kind::Unsatisfiable);
  CHECK(plan_ranges({{-1, 0}}, 100).kind == Kind::Unsatisfiable);
  CHECK(plan_ranges({{-1, 500}}, 100).ranges == std::vector<RequestedRange>{{0, 99}});
  CHECK(plan_ranges({{0, 0}}, 0).kind == Kind::Unsatisfiable);
  std::vector<RequestedRange> many(17, {0, 1});
  CHECK(plan_ranges(many, 100).kind == Kind::Whole);
}

TEST_CASE("resolve_site_path and encode_url_path", "[serve]") {
  TempDir dir;
  write_text(dir / "site/a b/c.txt", "x");
  const fs::path root = fs::canonical(dir / "site");
  const auto ok = resolve_site_path(root, "/a b/./c.txt");
  CHECK(ok.status == SitePath::Status::Ok);
  CHECK(ok.file == root / "a b" / "c.txt");
  CHECK(resolve_site_path(root, "/a b/../../x").status == SitePath::Status::Forbidden);
  CHECK(resolve_site_path(root, "relative").status == SitePath::Status::BadRequest);
  CHECK(resolve_site_path(root, std::string("/a\0b", 4)).status == SitePath::Status::Forbidden);
  CHECK(resolve_site_path(root, "/missing").status == SitePath::Status::NotFound);
  CHECK(encode_url_path({"a b", "c?d"}, true) == "/a%20b/c%3Fd/");
  CHECK(encode_url_path({}, false) == "/");
  // "//a b" is the folder "a b", and its redirect cannot become a
  // protocol-relative URL to another host.
  const auto doubled = resolve_site_path(root, "//a b");
  CHECK(doubled.segments == std::vector<std::string>{"a b"});
  CHECK(encode_url_path(doubled.segments, true) == "/a%20b/");
}

TEST_CASE("mime_type_for knows the site's file types", "[serve]") {
  CHECK(mime_type_for("x.wasm") == "application/wasm");
  CHECK(mime_type_for("x.MJS") == "text/javascript; charset=utf-8");
  CHECK(mime_type_for("x.onnx") == "application/octet-stream");
  CHECK(mime_type_for("x.lkx") == "application/octet-stream");
  CHECK(mime_type_for("x.jpg") == "image/jpeg");
  CHECK(mime_type_for("x.svg") == "image/svg+xml");
  CHECK(mime_type_for("x.unknown") == "application/octet-stream");
  CHECK(mime_type_for("Makefile") == "application/octet-stream");
  CHECK(compressible("x.wasm"));
  CHECK(compressible("x.JS"));
  CHECK(compressible("x.json"));
  CHECK_FALSE(compressible("x.bin"));
  CHECK_FALSE(compressible("x.lkp"));
  CHECK_FALSE(compressible("x.lkx"));
  CHECK_FALSE(compressible("x.jpg"));
  CHECK_FALSE(compressible("x.gz"));
}
