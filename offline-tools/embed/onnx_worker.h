// One embedding worker: Node.js running onnx_worker.mjs with
// onnxruntime-node (a WorkerProcess), spoken to with the frames of
// worker_protocol.h. This class loads the model, sends batches and takes
// their results, up to kMaxInFlight batches in flight so that the next one
// is transferred while the worker computes the current one:
//
//   worker.submit(batch_a, …);            // written to the worker now
//   worker.submit(batch_b, …);            // travels while a is computed
//   WorkerOutput a = worker.next_result(); // results in the order submitted
//   worker.submit(batch_c, …);
//   WorkerOutput b = worker.next_result(); …
//
// Every failure is a lookalike::Error with a precise message — missing
// Node or onnxruntime-node, a model the runtime cannot load, a worker that
// exits, is killed or stops reading (with its exit status and last stderr
// lines), answers out of order, or stays silent past the timeout — never a
// hang.
//
// Not thread-safe: used from one thread. All I/O happens inside the calls
// (non-blocking pipes and poll), so no thread runs behind the caller's back.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "embed/node_runtime.h"
#include "embed/worker_process.h"
#include "embed/worker_protocol.h"

namespace lookalike::cli {

struct WorkerTensorInfo {
  std::string name;
  std::string type;  // "float32", … or empty when the runtime does not say
  bool has_shape = false;
  std::vector<std::int64_t> shape;  // −1 for a symbolic dimension
  std::vector<std::string> dims;    // as reported: "224" or "batch_size"
  std::string shape_text() const;   // "[batch_size, 3, 224, 224]"
};

// "pixel_values [batch_size, 3, 224, 224], …", or "none": a model's inputs or outputs in messages.
std::string describe_tensors(const std::vector<WorkerTensorInfo>& tensors);

// The batch an embedder sends: what was asked (at least 1), capped by the
// card's max_batch (0: no cap) and the model's fixed batch dimension (0: none).
std::size_t capped_batch_size(std::size_t requested, int card_max_batch, std::size_t model_fixed_batch);

struct WorkerMetadata {
  std::string onnxruntime_version, node_version;
  unsigned threads = 0;
  std::vector<WorkerTensorInfo> inputs, outputs;
  const WorkerTensorInfo* input(const std::string& name) const;
  const WorkerTensorInfo* output(const std::string& name) const;
};

struct OnnxWorkerOptions {
  std::string model_path;  // absolute or relative; must exist
  std::string input_name, output_name;
  // A text tower (submit_ids): its ids' element type ("int64" or "int32")
  // and its attention mask input, if it takes one.
  std::string ids_type, mask_name;
  unsigned threads = 1;                  // ONNX Runtime intra-op threads
  double startup_timeout_seconds = 300;  // node start + model load
  double run_timeout_seconds = 600;      // one batch: sending it, or waiting for its result
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

  // Sends one NCHW float32 batch. The data is read before submit returns
  // (the caller may reuse it at once); answers to earlier batches that
  // arrive meanwhile are kept for next_result. At most kMaxInFlight batches
  // may be unanswered: take a result first.
  void submit(const float* data, std::uint32_t batch, std::uint32_t channels, std::uint32_t height,
              std::uint32_t width);
  // Sends one batch of token ids (a text tower's input): batch × length ids
  // and as many mask values (1 for a token, 0 for padding), row by row.
  // Otherwise as submit().
  void submit_ids(const std::int32_t* ids, const std::int32_t* mask, std::uint32_t batch, std::uint32_t length);
  // The result of the oldest unanswered batch, waiting for it. A model error
  // (wrong shape, …) throws Error(Unsupported) for that batch alone and leaves
  // the worker usable; a dead, stuck or confused worker throws Error(Io) and
  // the worker is unusable afterwards (every later call says why).
  WorkerOutput next_result();
  std::size_t in_flight() const { return in_flight_.size(); }
  // For a caller that gives up on its batches (an error of its own, or one
  // batch's model error): waits for the rest of the answers and drops them,
  // so the worker is idle and usable again. Never throws; a worker that fails
  // meanwhile is stopped.
  void discard_in_flight() noexcept;

  // One batch at a time: submit and wait for its result (nothing else may be in flight).
  WorkerOutput run(const float* data, std::uint32_t batch, std::uint32_t channels, std::uint32_t height,
                   std::uint32_t width);

  pid_t pid() const { return process_ ? process_->pid() : -1; }
  bool alive() const { return broken_.empty(); }
  std::string stderr_tail() const { return process_ ? process_->stderr_tail() : ""; }

 private:
  struct Request {
    std::uint32_t id, batch, channels, height, width;  // token ids: channels = height = 0, width = length
  };
  struct Frame {
    std::uint32_t type = 0;
    std::vector<std::uint8_t> payload;
  };
  // A frame on its way out: its bytes in up to three pieces (header, head, body).
  struct Outgoing {
    const std::uint8_t* piece[3];
    std::size_t size[3];
    std::size_t written = 0, total = 0;
  };

  void send(std::uint32_t type, const void* head, std::size_t head_size, const void* body, std::size_t body_size,
            double timeout_seconds);
  void check_can_submit(std::uint64_t payload_bytes) const;
  Frame receive(double timeout_seconds);
  template <class Done>
  void pump(Outgoing* out, double timeout_seconds, Done done);
  bool write_some(Outgoing& out);
  void read_some();
  void frame_arrived(Frame frame);
  [[noreturn]] void input_closed();
  [[noreturn]] void die(const std::string& what);
  [[noreturn]] void timed_out(double timeout_seconds);
  std::string error_message(const Frame& frame, std::string* stage, long long* id) const;
  std::string describe(const Request& request) const;
  void stop();

  OnnxWorkerOptions options_;
  WorkerMetadata metadata_;
  std::unique_ptr<WorkerProcess> process_;
  std::string broken_;  // set once the worker can no longer be used
  bool ready_ = false;  // READY seen: ERROR frames other than "run" mean the worker is exiting
  std::uint32_t next_id_ = 1;
  std::deque<Request> in_flight_;  // submitted, not yet taken by next_result, oldest first
  std::size_t owed_ = 0;           // answers the worker still has to send
  std::deque<Frame> arrived_;      // answers received, not yet taken (at most kMaxInFlight)
  // The answer being read: its header, then its payload.
  std::uint8_t header_[worker_protocol::kHeaderBytes] = {};
  std::size_t header_got_ = 0, payload_got_ = 0;
  Frame reading_;
  bool input_closing_ = false;  // the worker stopped reading: reading what it still says, then failing
};

}  // namespace lookalike::cli
