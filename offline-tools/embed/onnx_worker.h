// One embedding worker process: Node.js running onnx_worker.mjs with
// onnxruntime-node, spoken to over pipes with the frames of
// worker_protocol.h. This class owns the process: it starts it, loads the
// model, sends batches, and stops it (closing stdin, then SIGKILL if it
// lingers). Every failure is a lookalike::Error with a precise message —
// missing Node or onnxruntime-node, a model the runtime cannot load, a
// worker that exits or is killed (with its exit status and last stderr
// lines), or one silent past the timeout — never a hang.
//
// Not thread-safe: one request at a time, from one thread.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "embed/node_runtime.h"

namespace lookalike::cli {

struct WorkerTensorInfo {
  std::string name;
  std::string type;                 // "float32", … or empty when the runtime does not say
  bool has_shape = false;
  std::vector<std::int64_t> shape;  // −1 for a symbolic dimension
  std::vector<std::string> dims;    // as reported: "224" or "batch_size"
  std::string shape_text() const;   // "[batch_size, 3, 224, 224]"
};

struct WorkerMetadata {
  std::string onnxruntime_version, node_version;
  unsigned threads = 0;
  std::vector<WorkerTensorInfo> inputs, outputs;
  const WorkerTensorInfo* input(const std::string& name) const;
  const WorkerTensorInfo* output(const std::string& name) const;
};

struct OnnxWorkerOptions {
  std::string model_path;          // absolute or relative; must exist
  std::string input_name, output_name;
  unsigned threads = 1;            // ONNX Runtime intra-op threads
  double startup_timeout_seconds = 300;  // node start + model load
  double run_timeout_seconds = 600;      // one batch
};

struct WorkerOutput {
  std::vector<float> values;  // batch × dim
  std::size_t batch = 0, dim = 0;
  double inference_seconds = 0;  // as measured inside the worker
};

class OnnxWorker {
 public:
  // Starts the worker and loads the model; returns once it is READY.
  OnnxWorker(const NodeRuntime& runtime, const OnnxWorkerOptions& options);
  ~OnnxWorker();
  OnnxWorker(const OnnxWorker&) = delete;
  OnnxWorker& operator=(const OnnxWorker&) = delete;

  const WorkerMetadata& metadata() const { return metadata_; }

  // Runs one NCHW float32 batch. A model error (wrong shape, …) throws
  // Error(Unsupported) and leaves the worker usable; a dead, stuck or
  // confused worker throws Error(Io) and the worker is unusable afterwards.
  WorkerOutput run(const float* data, std::uint32_t batch, std::uint32_t channels, std::uint32_t height,
                   std::uint32_t width);

  pid_t pid() const { return pid_; }
  bool alive() const { return broken_.empty(); }
  std::string stderr_tail() const { return stderr_; }

 private:
  void spawn(const NodeRuntime& runtime);
  void send(std::uint32_t type, const void* head, std::size_t head_size, const void* body, std::size_t body_size,
            double timeout_seconds);
  std::uint32_t receive(std::vector<std::uint8_t>& payload, double timeout_seconds);
  void write_all(const void* data, std::size_t size, double deadline);
  void read_exact(void* data, std::size_t size, double deadline);
  void drain_stderr();
  [[noreturn]] void die(const std::string& what);
  [[noreturn]] void timed_out(double timeout_seconds);
  std::string worker_error_message(const std::vector<std::uint8_t>& payload, std::string* stage) const;
  void stop();

  OnnxWorkerOptions options_;
  WorkerMetadata metadata_;
  pid_t pid_ = -1;
  int stdin_fd_ = -1, stdout_fd_ = -1, stderr_fd_ = -1;
  std::string stderr_;
  std::string broken_;  // set once the worker can no longer be used
  int exit_status_ = -1;
  double current_timeout_ = 0;  // of the send or receive under way, for the message
  bool reaped_ = false;
};

}  // namespace lookalike::cli
