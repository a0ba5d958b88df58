// The embedding worker's process: Node.js running the worker script, with
// its stdin, stdout and stderr on pipes (non-blocking on this side). It runs
// in its own process group so that Ctrl-C in the terminal reaches the CLI
// alone, which then finishes its batches and stops the worker itself. This
// class knows how the process ended and keeps the last bytes of its stderr:
// what explains a failure to the user. The protocol spoken over the pipes
// is OnnxWorker's (onnx_worker.h).
#pragma once

#include <sys/types.h>

#include <string>

#include "embed/node_runtime.h"

namespace lookalike::cli {

class WorkerProcess {
 public:
  // Starts `node <worker script>` with LOOKALIKE_NODE_MODULES set; throws
  // Error(Io) when Node cannot be started.
  explicit WorkerProcess(const NodeRuntime& runtime);
  ~WorkerProcess();
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;

  pid_t pid() const { return pid_; }
  int input_fd() const { return stdin_fd_; }    // -1 once closed
  int output_fd() const { return stdout_fd_; }  // -1 once closed
  int error_fd() const { return stderr_fd_; }   // -1 once its end was read

  // Reads what the worker has written to stderr so far (never blocks).
  void drain_stderr();
  // The last words on stderr, trimmed for a message ("" when it said nothing).
  std::string stderr_tail() const;

  // Waits up to `seconds` for the process to exit (it may need a moment after
  // closing its pipes), reading stderr meanwhile; true once it has.
  bool wait_for_exit(double seconds);
  void kill_now();  // SIGKILL, for a worker that is stuck or talks nonsense
  // "; it was killed by signal 9 (Killed)", "; it exited with status 3", or
  // "" while it has not been seen to exit.
  std::string exit_description() const;

  // Closes stdin (a healthy worker exits at the end of its input), waits up
  // to 2 s, then kills it; closes every pipe. Idempotent.
  void stop();

 private:
  bool reap(bool wait);

  pid_t pid_ = -1;
  int stdin_fd_ = -1, stdout_fd_ = -1, stderr_fd_ = -1;
  std::string stderr_;
  bool reaped_ = false;
  int exit_status_ = 0;
};

}  // namespace lookalike::cli
