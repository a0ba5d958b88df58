#include "embed/onnx_worker.h"

#include <poll.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "embed/worker_protocol.h"
#include "lookalike/common/error.h"

namespace lookalike::cli {
namespace {

namespace wp = worker_protocol;

void put_u32(std::uint8_t* out, std::uint32_t v) {
  out[0] = std::uint8_t(v), out[1] = std::uint8_t(v >> 8), out[2] = std::uint8_t(v >> 16),
  out[3] = std::uint8_t(v >> 24);
}
std::uint32_t get_u32(const std::uint8_t* in) {
  return std::uint32_t(in[0]) | std::uint32_t(in[1]) << 8 | std::uint32_t(in[2]) << 16 | std::uint32_t(in[3]) << 24;
}

WorkerTensorInfo tensor_info(const nlohmann::json& j) {
  WorkerTensorInfo info;
  info.name = j.value("name", "");
  if (j.contains("type") && j["type"].is_string()) info.type = j["type"].get<std::string>();
  if (j.contains("shape") && j["shape"].is_array()) {
    info.has_shape = true;
    for (const auto& d : j["shape"]) {
      if (d.is_number_integer() && d.get<long long>() >= 0) {
        info.shape.push_back(d.get<long long>());
        info.dims.push_back(std::to_string(d.get<long long>()));
      } else {
        info.shape.push_back(-1);
        info.dims.push_back(d.is_string() ? d.get<std::string>() : "?");
      }
    }
  }
  return info;
}

}  // namespace

std::string describe_tensors(const std::vector<WorkerTensorInfo>& tensors) {
  std::string text;
  for (const auto& t : tensors) text += (text.empty() ? "" : ", ") + t.name + " " + t.shape_text();
  return text.empty() ? "none" : text;
}

std::size_t capped_batch_size(std::size_t requested, int card_max_batch, std::size_t model_fixed_batch) {
  std::size_t batch = std::max<std::size_t>(1, requested);
  if (card_max_batch > 0) batch = std::min<std::size_t>(batch, std::size_t(card_max_batch));
  if (model_fixed_batch > 0) batch = std::min(batch, model_fixed_batch);
  return batch;
}

std::string WorkerTensorInfo::shape_text() const {
  if (!has_shape) return "[shape not reported]";
  std::string text = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) text += (i ? ", " : "") + dims[i];
  return text + "]";
}

const WorkerTensorInfo* WorkerMetadata::input(const std::string& name) const {
  for (const auto& i : inputs)
    if (i.name == name) return &i;
  return nullptr;
}
const WorkerTensorInfo* WorkerMetadata::output(const std::string& name) const {
  for (const auto& o : outputs)
    if (o.name == name) return &o;
  return nullptr;
}

OnnxWorker::OnnxWorker(const NodeRuntime& runtime, const OnnxWorkerOptions& options) : options_(options) {
  process_ = std::make_unique<WorkerProcess>(runtime);
  try {
    nlohmann::json open = {{"protocol", wp::kVersion},
                           {"model", options_.model_path},
                           {"threads", options_.threads},
                           {"input", options_.input_name},
                           {"output", options_.output_name}};
    if (!options_.ids_type.empty()) open["ids_type"] = options_.ids_type;
    if (!options_.mask_name.empty()) open["mask"] = options_.mask_name;
    const std::string text = open.dump();
    owed_ = 1;
    send(wp::kOpen, nullptr, 0, text.data(), text.size(), options_.startup_timeout_seconds);
    const Frame answer = receive(options_.startup_timeout_seconds);
    if (answer.type == wp::kError) {
      std::string stage;
      const std::string message = error_message(answer, &stage, nullptr);
      broken_ = message;
      fail(stage == "open" ? ErrorKind::Corrupt : ErrorKind::Io, message);
    }
    if (answer.type != wp::kReady) die("answered OPEN with frame type " + std::to_string(answer.type));
    nlohmann::json ready;
    try {
      ready = nlohmann::json::parse(answer.payload.begin(), answer.payload.end());
    } catch (const nlohmann::json::exception& e) {
      die(std::string("sent a READY frame that is not JSON: ") + e.what());
    }
    if (ready.value("protocol", 0) != int(wp::kVersion))
      die("speaks protocol " + ready.value("protocol", nlohmann::json()).dump() + ", this CLI " +
          std::to_string(wp::kVersion) + " (the worker script and the binary come from different versions)");
    metadata_.onnxruntime_version = ready.value("onnxruntime", "");
    metadata_.node_version = ready.value("node", "");
    metadata_.threads = ready.value("threads", 0u);
    for (const auto& i : ready.value("inputs", nlohmann::json::array())) metadata_.inputs.push_back(tensor_info(i));
    for (const auto& o : ready.value("outputs", nlohmann::json::array())) metadata_.outputs.push_back(tensor_info(o));
    ready_ = true;
  } catch (...) {
    stop();
    throw;
  }
}

OnnxWorker::~OnnxWorker() { stop(); }

void OnnxWorker::die(const std::string& what) {
  // Gather the exit status (the process may need a moment to finish exiting
  // after closing its pipes) and whatever it last said on stderr.
  std::string message = "the embedding worker (node, pid " + std::to_string(pid()) + ") " + what;
  if (process_) {
    process_->wait_for_exit(2.0);
    message += process_->exit_description();
    const std::string tail = process_->stderr_tail();
    if (!tail.empty()) message += ". Its last words on stderr:\n" + tail;
  }
  broken_ = message;
  stop();
  fail(ErrorKind::Io, message);
}

void OnnxWorker::timed_out(double timeout_seconds) {
  if (process_) process_->kill_now();
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%g", timeout_seconds);
  die(std::string("did not answer within ") + seconds +
      " s and was stopped (a model this slow needs a longer "
      "--worker-timeout; otherwise the worker is stuck)");
}

std::string OnnxWorker::error_message(const Frame& frame, std::string* stage, long long* id) const {
  std::string message(frame.payload.begin(), frame.payload.end());
  if (id) *id = -1;
  try {
    const auto j = nlohmann::json::parse(message);
    if (stage) *stage = j.value("stage", "");
    if (id && j.contains("id") && j["id"].is_number_integer()) *id = j["id"].get<long long>();
    message = j.value("message", message);
  } catch (const nlohmann::json::exception&) {}
  return message;
}

std::string OnnxWorker::describe(const Request& r) const {
  if (r.channels == 0) return std::to_string(r.batch) + " texts of " + std::to_string(r.width) + " tokens";
  return std::to_string(r.batch) + " (" + std::to_string(r.channels) + "×" + std::to_string(r.height) + "×" +
         std::to_string(r.width) + ")";
}

// Moves bytes both ways until `done()`: writes `out` (when given) while
// reading every answer the worker owes, so neither side can block the other
// with a full pipe, and a worker that fails mid-transfer is noticed at once.
template <class Done>
void OnnxWorker::pump(Outgoing* out, double timeout_seconds, Done done) {
  const double deadline = now_seconds() + timeout_seconds;
  while (!done()) {
    const double left = deadline - now_seconds();
    if (left <= 0) timed_out(timeout_seconds);
    pollfd fds[3];
    int count = 0, write_at = -1, read_at = -1, stderr_at = -1;
    if (out && out->written < out->total) write_at = count, fds[count++] = {process_->input_fd(), POLLOUT, 0};
    if (owed_ > 0 || header_got_ > 0) read_at = count, fds[count++] = {process_->output_fd(), POLLIN, 0};
    if (process_->error_fd() >= 0) stderr_at = count, fds[count++] = {process_->error_fd(), POLLIN, 0};
    if (write_at < 0 && read_at < 0) die("was waited for with nothing to send and no answer due (a bug in the CLI)");
    const int ready = ::poll(fds, nfds_t(count), int(std::min(left, 1.0) * 1000) + 1);
    if (ready < 0 && errno != EINTR) die(std::string("cannot be waited for: ") + std::strerror(errno));
    if (ready <= 0) continue;
    if (stderr_at >= 0 && fds[stderr_at].revents) process_->drain_stderr();
    // Answers first: an ERROR frame explains a write that is about to fail.
    if (read_at >= 0 && fds[read_at].revents) read_some();
    if (write_at >= 0 && fds[write_at].revents) {
      if ((fds[write_at].revents & (POLLERR | POLLHUP)) || !write_some(*out)) input_closed();
    }
  }
}

// Writes as much of `out` as the pipe takes now; false when the worker no
// longer reads its input.
bool OnnxWorker::write_some(Outgoing& out) {
  while (out.written < out.total) {
    iovec pieces[3];
    int count = 0;
    std::size_t skip = out.written;
    for (int i = 0; i < 3; ++i) {
      if (skip >= out.size[i]) {
        skip -= out.size[i];
        continue;
      }
      pieces[count++] = {const_cast<std::uint8_t*>(out.piece[i]) + skip, out.size[i] - skip};
      skip = 0;
    }
    const ssize_t n = ::writev(process_->input_fd(), pieces, count);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) return true;
      if (errno == EPIPE) return false;
      die(std::string("cannot be written to: ") + std::strerror(errno));
    }
    out.written += std::size_t(n);
  }
  return true;
}

// Reads whatever part of the owed answers has arrived, frame by frame; never
// past the last answer owed, so a stray byte is read as the next answer and
// fails its checks rather than being skipped.
void OnnxWorker::read_some() {
  const int fd = process_->output_fd();
  auto got = [&](ssize_t n) {
    if (n > 0) return true;
    if (n == 0) die(input_closing_ ? "stopped reading its input" : "closed its output unexpectedly");
    if (errno == EAGAIN || errno == EINTR) return false;
    die(std::string("cannot be read from: ") + std::strerror(errno));
  };
  while (owed_ > 0 || header_got_ > 0 || input_closing_) {
    if (header_got_ < sizeof header_) {
      const ssize_t n = ::read(fd, header_ + header_got_, sizeof header_ - header_got_);
      if (!got(n)) return;
      header_got_ += std::size_t(n);
      if (header_got_ < sizeof header_) continue;
      if (get_u32(header_) != wp::kMagic) {
        process_->kill_now();
        die("wrote something that is not a protocol frame on stdout (is LOOKALIKE_EMBED_WORKER a lookalike worker?)");
      }
      const std::uint32_t length = get_u32(header_ + 8);
      if (length > wp::kMaxPayload) {
        process_->kill_now();
        die("announced a frame of " + std::to_string(length) + " bytes");
      }
      reading_.type = get_u32(header_ + 4);
      reading_.payload.resize(length);
      payload_got_ = 0;
    }
    if (payload_got_ < reading_.payload.size()) {
      const ssize_t n = ::read(fd, reading_.payload.data() + payload_got_, reading_.payload.size() - payload_got_);
      if (!got(n)) return;
      payload_got_ += std::size_t(n);
      if (payload_got_ < reading_.payload.size()) continue;
    }
    Frame frame = std::move(reading_);
    reading_ = Frame();
    header_got_ = payload_got_ = 0;
    frame_arrived(std::move(frame));
  }
}

void OnnxWorker::frame_arrived(Frame frame) {
  if (owed_ > 0) --owed_;
  if (ready_ && frame.type == wp::kError) {
    // Only a "run" error leaves the worker serving; after any other it exits,
    // and waiting on would end in a timeout instead of its reason.
    std::string stage;
    const std::string message = error_message(frame, &stage, nullptr);
    if (stage != "run") die("reported a protocol error: " + message);
  }
  arrived_.push_back(std::move(frame));
}

void OnnxWorker::input_closed() {
  // The worker stopped reading: it is on its way out. What it still writes
  // on stdout (an ERROR frame saying why) is read for a moment, then the
  // failure is reported with its exit status and stderr.
  input_closing_ = true;
  const double until = now_seconds() + 2.0;
  for (double left; (left = until - now_seconds()) > 0;) {
    pollfd fds[2] = {{process_->output_fd(), POLLIN, 0}, {process_->error_fd(), POLLIN, 0}};
    const int ready = ::poll(fds, process_->error_fd() >= 0 ? 2 : 1, int(left * 1000) + 1);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    if (fds[1].revents && process_->error_fd() >= 0) process_->drain_stderr();
    if (fds[0].revents) read_some();  // ends in die() at its end of output or on an ERROR frame
  }
  die("stopped reading its input");
}

void OnnxWorker::send(std::uint32_t type, const void* head, std::size_t head_size, const void* body,
                      std::size_t body_size, double timeout_seconds) {
  if (!broken_.empty()) fail(ErrorKind::Io, broken_);
  const std::size_t length = head_size + body_size;
  if (length > wp::kMaxPayload)
    fail(ErrorKind::InvalidArgument, "a batch of " + std::to_string(length) +
                                         " bytes is over the worker's 2 GiB frame limit: use a smaller --batch");
  std::uint8_t header[wp::kHeaderBytes];
  put_u32(header, wp::kMagic);
  put_u32(header + 4, type);
  put_u32(header + 8, std::uint32_t(length));
  Outgoing out{{header, static_cast<const std::uint8_t*>(head), static_cast<const std::uint8_t*>(body)},
               {sizeof header, head_size, body_size}};
  out.total = sizeof header + length;
  pump(&out, timeout_seconds, [&] { return out.written == out.total; });
}

OnnxWorker::Frame OnnxWorker::receive(double timeout_seconds) {
  pump(nullptr, timeout_seconds, [&] { return !arrived_.empty(); });
  Frame frame = std::move(arrived_.front());
  arrived_.pop_front();
  return frame;
}

void OnnxWorker::check_can_submit(std::uint64_t payload_bytes) const {
  if (!broken_.empty()) fail(ErrorKind::Io, broken_);
  if (in_flight_.size() >= wp::kMaxInFlight)
    fail(ErrorKind::InvalidArgument,
         "more than " + std::to_string(wp::kMaxInFlight) +
             " batches sent to the embedding worker before taking a result (a bug in the CLI)");
  if (payload_bytes > wp::kMaxPayload)
    fail(ErrorKind::InvalidArgument, "a batch of " + std::to_string(payload_bytes) +
                                         " bytes is over the worker's 2 GiB frame limit: use a smaller --batch");
}

void OnnxWorker::submit(const float* data, std::uint32_t batch, std::uint32_t channels, std::uint32_t height,
                        std::uint32_t width) {
  if (batch == 0) fail(ErrorKind::InvalidArgument, "an empty batch cannot be sent to the embedding worker");
  const std::uint64_t bytes = std::uint64_t(batch) * channels * height * width * sizeof(float);
  check_can_submit(bytes + wp::kRunHeadBytes);
  const Request request{next_id_++, batch, channels, height, width};
  std::uint8_t head[wp::kRunHeadBytes];
  put_u32(head, request.id), put_u32(head + 4, batch), put_u32(head + 8, channels), put_u32(head + 12, height),
      put_u32(head + 16, width);
  in_flight_.push_back(request);
  ++owed_;
  send(wp::kRun, head, sizeof head, data, std::size_t(bytes), options_.run_timeout_seconds);
}

void OnnxWorker::submit_ids(const std::int32_t* ids, const std::int32_t* mask, std::uint32_t batch,
                            std::uint32_t length) {
  if (batch == 0 || length == 0)
    fail(ErrorKind::InvalidArgument, "an empty batch of texts cannot be sent to the embedding worker");
  const std::size_t count = std::size_t(batch) * length;
  check_can_submit(std::uint64_t(count) * 2 * sizeof(std::int32_t) + wp::kRunIdsHeadBytes);
  const Request request{next_id_++, batch, 0, 0, length};
  std::uint8_t head[wp::kRunIdsHeadBytes];
  put_u32(head, request.id), put_u32(head + 4, batch), put_u32(head + 8, length);
  // The ids, then the mask, little-endian (the worker reads them as Int32Arrays).
  std::vector<std::uint8_t> body(count * 2 * sizeof(std::int32_t));
  for (std::size_t i = 0; i < count; ++i) {
    put_u32(body.data() + 4 * i, std::uint32_t(ids[i]));
    put_u32(body.data() + 4 * (count + i), std::uint32_t(mask[i]));
  }
  in_flight_.push_back(request);
  ++owed_;
  send(wp::kRunIds, head, sizeof head, body.data(), body.size(), options_.run_timeout_seconds);
}

WorkerOutput OnnxWorker::next_result() {
  if (!broken_.empty()) fail(ErrorKind::Io, broken_);
  if (in_flight_.empty())
    fail(ErrorKind::InvalidArgument,
         "a result was asked of the embedding worker with no batch sent (a bug in the CLI)");
  const Frame frame = receive(options_.run_timeout_seconds);
  const Request request = in_flight_.front();
  in_flight_.pop_front();
  const auto out_of_order = [&](long long id) {
    process_->kill_now();
    die("answered batch " + std::to_string(id) + " when batch " + std::to_string(request.id) +
        " was due (answers must come in the order of the batches)");
  };
  if (frame.type == wp::kError) {
    std::string stage;
    long long id = -1;
    const std::string message = error_message(frame, &stage, &id);
    if (id >= 0 && id != request.id) out_of_order(id);
    if (stage == "run")
      fail(ErrorKind::Unsupported, "onnxruntime-node could not run " + options_.model_path + " on a batch of " +
                                       describe(request) + ": " + message);
    die("reported a protocol error: " + message);
  }
  const auto& p = frame.payload;
  if (frame.type != wp::kResult || p.size() < wp::kResultHeadBytes)
    die("answered RUN with an unexpected frame (type " + std::to_string(frame.type) + ")");
  if (get_u32(p.data()) != request.id) out_of_order(get_u32(p.data()));
  WorkerOutput out;
  out.batch = get_u32(p.data() + 4);
  out.dim = get_u32(p.data() + 8);
  out.inference_seconds = get_u32(p.data() + 12) * 1e-6;
  const std::size_t floats = p.size() - wp::kResultHeadBytes;
  if (out.batch != request.batch || floats % sizeof(float) != 0 || out.dim == 0 ||
      floats / sizeof(float) != std::uint64_t(out.batch) * out.dim)
    die("answered a batch of " + std::to_string(request.batch) + " with a malformed result");
  out.values.resize(out.batch * out.dim);
  std::memcpy(out.values.data(), p.data() + wp::kResultHeadBytes, floats);
  return out;
}

void OnnxWorker::discard_in_flight() noexcept {
  while (!in_flight_.empty() && broken_.empty()) {
    try {
      (void)next_result();
    } catch (const Error&) {
      // this batch's model error, or the worker's end (then nothing is in flight any more)
    } catch (...) {
      stop();
    }
  }
  in_flight_.clear();
}

WorkerOutput OnnxWorker::run(const float* data, std::uint32_t batch, std::uint32_t channels, std::uint32_t height,
                             std::uint32_t width) {
  if (batch == 0) return {};
  if (!in_flight_.empty())
    fail(ErrorKind::InvalidArgument, "run() called on the embedding worker with batches in flight (a bug in the CLI)");
  submit(data, batch, channels, height, width);
  return next_result();
}

void OnnxWorker::stop() {
  if (process_) process_->stop();
  in_flight_.clear();
  arrived_.clear();
  owed_ = 0;
  header_got_ = payload_got_ = 0;
  reading_ = Frame();
  if (broken_.empty()) broken_ = "the embedding worker was stopped";
}

}  // namespace lookalike::cli
