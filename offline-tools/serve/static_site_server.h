// The static HTTP server behind `lookalike serve`: one folder, GET and HEAD,
// correct content types, byte ranges, revalidation by ETag, gzip for text,
// scripts, JSON and WASM (serve/mime_types.h), and the headers
// that make the page cross-origin isolated (so ONNX Runtime Web may use
// threads): Cross-Origin-Opener-Policy: same-origin,
// Cross-Origin-Embedder-Policy: require-corp, Cross-Origin-Resource-Policy:
// same-origin. Nothing outside the folder is ever served (serve/site_path.h).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

namespace lookalike::cli {

struct ServeOptions {
  std::filesystem::path root;
  std::string host = "127.0.0.1";
  int port = 8000;  // 0: any free port
  bool log_requests = false;
};

class StaticSiteServer {
 public:
  // Throws Error(Io) when the folder is missing.
  explicit StaticSiteServer(ServeOptions options);
  ~StaticSiteServer();
  StaticSiteServer(const StaticSiteServer&) = delete;
  StaticSiteServer& operator=(const StaticSiteServer&) = delete;

  // Binds and listens. Throws Error(Io) with one clear sentence when the port
  // is in use, not permitted, or the host is not an address of this machine.
  // Returns the port (the chosen one for port 0).
  int bind();
  // Serves until stop() (blocking; call bind() first).
  void run();
  // Stops run() from another thread; safe to call more than once.
  void stop();

  int port() const { return port_; }
  std::string url() const;  // "http://127.0.0.1:8000/"

 private:
  struct State;
  ServeOptions options_;
  std::filesystem::path canonical_root_;
  int port_ = 0;
  std::unique_ptr<State> state_;
};

}  // namespace lookalike::cli
