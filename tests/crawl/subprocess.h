// Runs the `lookalike` binary as a child process (the crawl tests stop it
// with signals mid-way), its stdout and stderr captured in files.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace lookalike::testing {

struct ChildResult {
  int exit_code = -1;  // when it exited
  int signal = 0;      // when a signal ended it
  std::string out, err;
};

class Child {
 public:
  // argv[0] is the program; env replaces the whole environment.
  Child(const std::vector<std::string>& argv, const std::vector<std::string>& env,
        const std::filesystem::path& scratch);
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  void send(int signal_number);
  ChildResult wait();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  bool waited_ = false;
  std::filesystem::path out_, err_;
};

ChildResult run_child(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                      const std::filesystem::path& scratch);

}  // namespace lookalike::testing
