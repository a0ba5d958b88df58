#include "embed/worker_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "lookalike/common/error.h"

extern char** environ;

namespace lookalike::cli {
namespace {

constexpr std::size_t kStderrKeep = 6000;  // the last bytes of the worker's stderr kept for messages

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

std::string signal_text(int sig) {
  const char* name = ::strsignal(sig);
  return "signal " + std::to_string(sig) + (name ? std::string(" (") + name + ")" : "");
}

}  // namespace

WorkerProcess::WorkerProcess(const NodeRuntime& runtime) {
  // A worker that exits makes writes to its stdin fail; that must be an
  // error return (EPIPE), not a signal that kills the CLI.
  struct sigaction current {};
  if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) ::signal(SIGPIPE, SIG_IGN);

  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0)
    fail(ErrorKind::Io, std::string("cannot create a pipe: ") + std::strerror(errno));
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    ::close(in_pipe[0]), ::close(in_pipe[1]);
    fail(ErrorKind::Io, std::string("cannot create a pipe: ") + std::strerror(errno));
  }
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(in_pipe[0]), ::close(in_pipe[1]), ::close(out_pipe[0]), ::close(out_pipe[1]);
    fail(ErrorKind::Io, std::string("cannot create a pipe: ") + std::strerror(errno));
  }

  // Batches of tensors are megabytes (16 images of 224×224 are 9.6 MB): a
  // pipe of 1 MiB (Linux's default limit for it) rather than 64 KiB moves
  // them with a sixteenth of the wake-ups (bench_model_embedding, MobileNetV2
  // on a quiet machine: 0.63 → 0.80 of a bare onnxruntime-node loop's
  // throughput). Best effort: the default size works too.
  for (const int fd : {in_pipe[1], out_pipe[1]}) (void)::fcntl(fd, F_SETPIPE_SZ, 1 << 20);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Its own process group: Ctrl-C in the terminal reaches the CLI, which
  // finishes the batches under way and then stops the worker itself.
  posix_spawnattr_setpgroup(&attributes, 0);
  sigset_t default_signals;
  sigemptyset(&default_signals);
  sigaddset(&default_signals, SIGPIPE);
  sigaddset(&default_signals, SIGINT);
  sigaddset(&default_signals, SIGTERM);
  posix_spawnattr_setsigdefault(&attributes, &default_signals);
  sigset_t no_signals;
  sigemptyset(&no_signals);
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<std::string> args = {runtime.node};
  if (runtime.worker_file.empty()) {
    args.insert(args.end(), {"--input-type=module", "--eval", embedded_worker_script()});
  } else {
    args.push_back(runtime.worker_file);
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_strings;
  for (char** e = environ; e && *e; ++e) {
    if (std::strncmp(*e, "LOOKALIKE_NODE_MODULES=", 23) == 0 || std::strncmp(*e, "NODE_OPTIONS=", 13) == 0) continue;
    env_strings.emplace_back(*e);
  }
  env_strings.push_back("LOOKALIKE_NODE_MODULES=" + runtime.node_modules);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  const int rc = ::posix_spawn(&pid_, runtime.node.c_str(), &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(in_pipe[0]), ::close(out_pipe[1]), ::close(err_pipe[1]);
  stdin_fd_ = in_pipe[1], stdout_fd_ = out_pipe[0], stderr_fd_ = err_pipe[0];
  if (rc != 0) {
    pid_ = -1;
    close_fd(stdin_fd_), close_fd(stdout_fd_), close_fd(stderr_fd_);
    fail(ErrorKind::Io, "cannot start Node.js (" + runtime.node + ") for the embedding worker: " + std::strerror(rc));
  }
  for (int fd : {stdin_fd_, stdout_fd_, stderr_fd_}) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

WorkerProcess::~WorkerProcess() { stop(); }

void WorkerProcess::drain_stderr() {
  if (stderr_fd_ < 0) return;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(stderr_fd_, buffer, sizeof buffer);
    if (n > 0) {
      stderr_.append(buffer, std::size_t(n));
      if (stderr_.size() > 2 * kStderrKeep) stderr_.erase(0, stderr_.size() - kStderrKeep);
      continue;
    }
    if (n == 0) close_fd(stderr_fd_);
    return;  // EAGAIN or an error: nothing more for now
  }
}

std::string WorkerProcess::stderr_tail() const {
  std::string t = stderr_;
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ' || t.back() == '\r')) t.pop_back();
  if (t.size() > 1500) t = "…" + t.substr(t.size() - 1500);
  return t;
}

bool WorkerProcess::reap(bool wait) {
  if (reaped_ || pid_ <= 0) return reaped_;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, wait ? 0 : WNOHANG);
  if (r == pid_) {
    reaped_ = true;
    exit_status_ = status;
  } else if (r < 0 && errno == ECHILD) {
    reaped_ = true;  // already collected elsewhere: nothing left to wait for, status unknown
    exit_status_ = -1;
  }
  return reaped_;
}

bool WorkerProcess::wait_for_exit(double seconds) {
  const double until = now_seconds() + seconds;
  while (!reap(false)) {
    if (now_seconds() > until) return false;
    drain_stderr();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  drain_stderr();
  return true;
}

void WorkerProcess::kill_now() {
  if (pid_ > 0 && !reaped_) ::kill(pid_, SIGKILL);
}

std::string WorkerProcess::exit_description() const {
  if (!reaped_ || exit_status_ < 0) return "";
  if (WIFSIGNALED(exit_status_)) return "; it was killed by " + signal_text(WTERMSIG(exit_status_));
  if (WIFEXITED(exit_status_)) return "; it exited with status " + std::to_string(WEXITSTATUS(exit_status_));
  return "";
}

void WorkerProcess::stop() {
  close_fd(stdin_fd_);  // the worker exits at the end of its input
  if (pid_ > 0 && !wait_for_exit(2.0)) {
    kill_now();
    reap(true);
  }
  drain_stderr();
  close_fd(stdout_fd_);
  close_fd(stderr_fd_);
}

}  // namespace lookalike::cli
