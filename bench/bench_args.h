// The command line of the benchmark programs: options with a value, flags,
// --help, and one way of refusing a bad argument (a message naming the
// program, exit code 2), so each program lists only its own options:
//
//   BenchArgs args("metrics_bench", argc, argv, kUsage);
//   while (args.next())
//     if (args.is("--rounds")) o.rounds = int(args.positive_integer());
//     else args.unknown();
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

class BenchArgs {
 public:
  BenchArgs(const char* program, int argc, char** argv, const char* usage)
      : program_(program), argc_(argc), argv_(argv), usage_(usage) {}

  // Moves to the next argument; false after the last. --help (-h) prints the
  // usage and exits.
  bool next() {
    if (++i_ >= argc_) return false;
    arg_ = argv_[i_];
    if (arg_ == "--help" || arg_ == "-h") {
      std::puts(usage_);
      std::exit(0);
    }
    return true;
  }

  bool is(const char* name) const { return arg_ == name; }

  // The option's value: the argument after it.
  std::string value() {
    if (i_ + 1 >= argc_) fail(arg_ + " needs a value");
    return argv_[++i_];
  }

  double positive_number() {
    const std::string text = value();
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (*end != '\0' || !(v > 0)) fail(arg_ + " needs a positive number, got \"" + text + "\"");
    return v;
  }

  long positive_integer() {
    const std::string text = value();
    char* end = nullptr;
    const long v = std::strtol(text.c_str(), &end, 10);
    if (*end != '\0' || v <= 0) fail(arg_ + " needs a positive integer, got \"" + text + "\"");
    return v;
  }

  [[noreturn]] void unknown() const { fail("unknown argument \"" + arg_ + "\" (see --help)"); }

 private:
  [[noreturn]] void fail(const std::string& message) const {
    std::fprintf(stderr, "%s: %s\n", program_, message.c_str());
    std::exit(2);
  }

  const char* program_;
  int argc_;
  char** argv_;
  const char* usage_;
  int i_ = 0;
  std::string arg_;
};
