#include "embed/onnx_worker.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <chrono>
#include <cstring>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "embed/worker_protocol.h"

extern char** environ;

namespace lookalike::cli {
namespace {

namespace wp = worker_protocol;
constexpr std::size_t kStderrKeep = 6000;  // the last bytes of the worker's stderr kept for messages

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void put_u32(std::uint8_t* out, std::uint32_t v) {
  out[0] = std::uint8_t(v), out[1] = std::uint8_t(v >> 8), out[2] = std::uint8_t(v >> 16), out[3] = std::uint8_t(v >> 24);
}
std::uint32_t get_u32(const std::uint8_t* in) {
  return std::uint32_t(in[0]) | std::uint32_t(in[1]) << 8 | std::uint32_t(in[2]) << 16 | std::uint32_t(in[3]) << 24;
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

std::string signal_text(int sig) {
  const char* name = ::strsignal(sig);
  return "signal " + std::to_string(sig) + (name ? std::string(" (") + name + ")" : "");
}

std::string trim_tail(const std::string& text) {
  std::string t = text;
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ' || t.back() == '\r')) t.pop_back();
  if (t.size() > 1500) t = "…" + t.substr(t.size() - 1500);
  return t;
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
  // A worker that exits makes writes to its stdin fail; that must be an
  // error return (EPIPE), not a signal that kills the CLI.
  struct sigaction current {};
  if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) ::signal(SIGPIPE, SIG_IGN);

  spawn(runtime);
  try {
    const nlohmann::json open = {{"protocol", wp::kVersion},
                                 {"model", options_.model_path},
                                 {"threads", options_.threads},
                                 {"input", options_.input_name},
                                 {"output", options_.output_name}};
    const std::string text = open.dump();
    send(wp::kOpen, nullptr, 0, text.data(), text.size(), options_.startup_timeout_seconds);
    std::vector<std::uint8_t> payload;
    const std::uint32_t type = receive(payload, options_.startup_timeout_seconds);
    if (type == wp::kError) {
      std::string stage;
      const std::string message = worker_error_message(payload, &stage);
      broken_ = message;
      fail(stage == "open" ? ErrorKind::Corrupt : ErrorKind::Io, message);
    }
    if (type != wp::kReady) die("answered OPEN with frame type " + std::to_string(type));
    nlohmann::json ready;
    try {
      ready = nlohmann::json::parse(payload.begin(), payload.end());
    } catch (const nlohmann::json::exception& e) {
      die(std::string("sent a READY frame that is not JSON: ") + e.what());
    }
    if (ready.value("protocol", 0) != int(wp::kVersion))
      die("speaks protocol " + ready.value("protocol", nlohmann::json()).dump() + ", this CLI " + std::to_string(wp::kVersion) +
          " (the worker script and the binary come from different versions)");
    metadata_.onnxruntime_version = ready.value("onnxruntime", "");
    metadata_.node_version = ready.value("node", "");
    metadata_.threads = ready.value("threads", 0u);
    for (const auto& i : ready.value("inputs", nlohmann::json::array())) metadata_.inputs.push_back(tensor_info(i));
    for (const auto& o : ready.value("outputs", nlohmann::json::array())) metadata_.outputs.push_back(tensor_info(o));
  } catch (...) {
    stop();
    throw;
  }
}

OnnxWorker::~OnnxWorker() { stop(); }

void OnnxWorker::spawn(const NodeRuntime& runtime) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) fail(ErrorKind::Io, std::string("cannot create a pipe: ") + std::strerror(errno));
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
  // finishes the current batch and then stops the worker itself.
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

void OnnxWorker::drain_stderr() {
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

void OnnxWorker::die(const std::string& what) {
  // Gather the exit status (the process may need a moment to finish exiting
  // after closing its pipes) and whatever it last said on stderr.
  const double until = now_seconds() + 2.0;
  while (!reaped_ && pid_ > 0) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      exit_status_ = status;
      break;
    }
    if (r < 0 || now_seconds() > until) break;
    drain_stderr();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  drain_stderr();
  std::string message = "the embedding worker (node, pid " + std::to_string(pid_) + ") " + what;
  if (reaped_) {
    if (WIFSIGNALED(exit_status_)) message += "; it was killed by " + signal_text(WTERMSIG(exit_status_));
    else if (WIFEXITED(exit_status_)) message += "; it exited with status " + std::to_string(WEXITSTATUS(exit_status_));
  }
  const std::string tail = trim_tail(stderr_);
  if (!tail.empty()) message += ". Its last words on stderr:\n" + tail;
  broken_ = message;
  stop();
  fail(ErrorKind::Io, message);
}

void OnnxWorker::timed_out(double timeout_seconds) {
  if (pid_ > 0 && !reaped_) ::kill(pid_, SIGKILL);
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%g", timeout_seconds);
  die(std::string("did not answer within ") + seconds + " s and was stopped (a model this slow needs a longer "
      "--worker-timeout; otherwise the worker is stuck)");
}

void OnnxWorker::write_all(const void* data, std::size_t size, double deadline) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  while (size > 0) {
    pollfd fds[2] = {{stdin_fd_, POLLOUT, 0}, {stderr_fd_, POLLIN, 0}};
    const double left = deadline - now_seconds();
    if (left <= 0) timed_out(current_timeout_);
    const int ready = ::poll(fds, stderr_fd_ >= 0 ? 2 : 1, int(std::min(left, 1.0) * 1000) + 1);
    if (ready < 0 && errno != EINTR) die(std::string("cannot be written to: ") + std::strerror(errno));
    if (ready <= 0) continue;
    if (stderr_fd_ >= 0 && fds[1].revents) drain_stderr();
    if (fds[0].revents & (POLLERR | POLLHUP)) die("stopped reading its input");
    if (!(fds[0].revents & POLLOUT)) continue;
    const ssize_t n = ::write(stdin_fd_, p, size);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      die(errno == EPIPE ? "stopped reading its input" : std::string("cannot be written to: ") + std::strerror(errno));
    }
    p += n, size -= std::size_t(n);
  }
}

void OnnxWorker::read_exact(void* data, std::size_t size, double deadline) {
  auto* p = static_cast<std::uint8_t*>(data);
  while (size > 0) {
    pollfd fds[2] = {{stdout_fd_, POLLIN, 0}, {stderr_fd_, POLLIN, 0}};
    const double left = deadline - now_seconds();
    if (left <= 0) timed_out(current_timeout_);
    const int ready = ::poll(fds, stderr_fd_ >= 0 ? 2 : 1, int(std::min(left, 1.0) * 1000) + 1);
    if (ready < 0 && errno != EINTR) die(std::string("cannot be read from: ") + std::strerror(errno));
    if (ready <= 0) continue;
    if (stderr_fd_ >= 0 && fds[1].revents) drain_stderr();
    if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    const ssize_t n = ::read(stdout_fd_, p, size);
    if (n == 0) die("closed its output unexpectedly");
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      die(std::string("cannot be read from: ") + std::strerror(errno));
    }
    p += n, size -= std::size_t(n);
  }
}

void OnnxWorker::send(std::uint32_t type, const void* head, std::size_t head_size, const void* body,
                      std::size_t body_size, double timeout_seconds) {
  if (!broken_.empty()) fail(ErrorKind::Io, broken_);
  const std::size_t length = head_size + body_size;
  if (length > wp::kMaxPayload)
    fail(ErrorKind::InvalidArgument, "a batch of " + std::to_string(length) + " bytes is over the worker's 2 GiB frame limit: use a smaller --batch");
  std::uint8_t header[wp::kHeaderBytes];
  put_u32(header, wp::kMagic);
  put_u32(header + 4, type);
  put_u32(header + 8, std::uint32_t(length));
  current_timeout_ = timeout_seconds;
  const double deadline = now_seconds() + timeout_seconds;
  write_all(header, sizeof header, deadline);
  if (head_size) write_all(head, head_size, deadline);
  if (body_size) write_all(body, body_size, deadline);
}

std::uint32_t OnnxWorker::receive(std::vector<std::uint8_t>& payload, double timeout_seconds) {
  current_timeout_ = timeout_seconds;
  const double deadline = now_seconds() + timeout_seconds;
  std::uint8_t header[wp::kHeaderBytes];
  read_exact(header, sizeof header, deadline);
  if (get_u32(header) != wp::kMagic) {
    kill(pid_, SIGKILL);
    die("wrote something that is not a protocol frame on stdout (is LOOKALIKE_EMBED_WORKER a lookalike worker?)");
  }
  const std::uint32_t type = get_u32(header + 4), length = get_u32(header + 8);
  if (length > wp::kMaxPayload) die("announced a frame of " + std::to_string(length) + " bytes");
  payload.resize(length);
  if (length) read_exact(payload.data(), length, deadline);
  return type;
}

std::string OnnxWorker::worker_error_message(const std::vector<std::uint8_t>& payload, std::string* stage) const {
  std::string message(payload.begin(), payload.end());
  try {
    const auto j = nlohmann::json::parse(message);
    if (stage) *stage = j.value("stage", "");
    message = j.value("message", message);
  } catch (const nlohmann::json::exception&) {
  }
  return message;
}

WorkerOutput OnnxWorker::run(const float* data, std::uint32_t batch, std::uint32_t channels, std::uint32_t height,
                             std::uint32_t width) {
  if (batch == 0) return {};
  std::uint8_t head[16];
  put_u32(head, batch), put_u32(head + 4, channels), put_u32(head + 8, height), put_u32(head + 12, width);
  const std::size_t floats = std::size_t(batch) * channels * height * width;
  send(wp::kRun, head, sizeof head, data, floats * sizeof(float), options_.run_timeout_seconds);
  std::vector<std::uint8_t> payload;
  const std::uint32_t type = receive(payload, options_.run_timeout_seconds);
  if (type == wp::kError) {
    std::string stage;
    const std::string message = worker_error_message(payload, &stage);
    if (stage == "run")
      fail(ErrorKind::Unsupported, "onnxruntime-node could not run " + options_.model_path + " on a batch of " +
                                       std::to_string(batch) + " (" + std::to_string(channels) + "×" + std::to_string(height) +
                                       "×" + std::to_string(width) + "): " + message);
    die("reported a protocol error: " + message);
  }
  if (type != wp::kResult || payload.size() < 12) die("answered RUN with an unexpected frame (type " + std::to_string(type) + ")");
  WorkerOutput out;
  out.batch = get_u32(payload.data());
  out.dim = get_u32(payload.data() + 4);
  out.inference_seconds = get_u32(payload.data() + 8) * 1e-6;
  if (out.batch != batch || payload.size() != 12 + out.batch * out.dim * sizeof(float))
    die("answered a batch of " + std::to_string(batch) + " with a malformed result");
  out.values.resize(out.batch * out.dim);
  std::memcpy(out.values.data(), payload.data() + 12, out.values.size() * sizeof(float));
  return out;
}

void OnnxWorker::stop() {
  close_fd(stdin_fd_);  // the worker exits at the end of its input
  if (pid_ > 0 && !reaped_) {
    const double until = now_seconds() + 2.0;
    for (;;) {
      int status = 0;
      const pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_ || r < 0) {
        reaped_ = true;
        exit_status_ = status;
        break;
      }
      if (now_seconds() > until) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        reaped_ = true;
        exit_status_ = status;
        break;
      }
      drain_stderr();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  close_fd(stdout_fd_);
  close_fd(stderr_fd_);
  if (broken_.empty()) broken_ = "the embedding worker was stopped";
}

}  // namespace lookalike::cli
