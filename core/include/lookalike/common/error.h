// The one exception type the core throws.
//
// Every failure the core can report (bad image bytes, an invalid model card,
// a corrupt bundle, a wrong argument) is a lookalike::Error carrying a
// complete, user-facing message and a coarse kind. The CLI turns the kind
// into an exit code; the wasm/ layer catches it and hands JavaScript the
// message, because an exception that crosses embind arrives as a bare number.
#pragma once

#include <stdexcept>
#include <string>

namespace lookalike {

enum class ErrorKind {
  InvalidArgument,  // the caller asked for something impossible (k < 0, unknown metric, ...)
  Unsupported,      // a well-formed input the core cannot handle (WebP bytes, unknown version)
  Corrupt,          // malformed or truncated data (image bytes, bundle sections)
  TooLarge,         // input over a configured limit (pixel count, dimension)
  Io,               // reserved for the tools: files, network, processes
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

[[noreturn]] inline void fail(ErrorKind kind, const std::string& message) { throw Error(kind, message); }

}  // namespace lookalike
