#include "embed/model_embedder.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>

#include "common/clock.h"
#include "common/files.h"
#include "embed/worker_protocol.h"
#include "lookalike/common/error.h"
#include "lookalike/common/parallel.h"
#include "lookalike/image/decode.h"
#include "lookalike/model/preprocess.h"

namespace lookalike::cli {
namespace {

void normalize_row(float* row, std::size_t dim) {
  double sum = 0;
  for (std::size_t i = 0; i < dim; ++i) sum += double(row[i]) * row[i];
  if (!(sum > 0)) return;
  const double inverse = 1.0 / std::sqrt(sum);
  for (std::size_t i = 0; i < dim; ++i) row[i] = static_cast<float>(row[i] * inverse);
}

}  // namespace

std::size_t check_model_against_card(const WorkerMetadata& model, const LoadedCard& loaded,
                                     const std::string& model_path) {
  const ModelCard& card = loaded.card;
  const std::string who = "model card " + loaded.path + " does not match " + model_path + ": ";
  const WorkerTensorInfo* input = model.input(card.input_name);
  if (!input)
    fail(ErrorKind::Corrupt,
         who + "input.name is \"" + card.input_name + "\", the model's inputs are " + describe_tensors(model.inputs));
  const WorkerTensorInfo* output = &float_output(model, card.output_name, who);
  if (!input->type.empty() && input->type != "float32")
    fail(ErrorKind::Corrupt,
         who + "input " + input->name + " takes " + input->type + " tensors; lookalike feeds float32");

  std::size_t fixed_batch = 0;
  if (input->has_shape) {
    const auto& s = input->shape;
    if (s.size() != 4)
      fail(ErrorKind::Corrupt,
           who + "input " + input->name + " has shape " + input->shape_text() + ", not NCHW [N, 3, height, width]");
    if (s[1] >= 0 && s[1] != 3)
      fail(ErrorKind::Corrupt, who + "input " + input->name + " has shape " + input->shape_text() + ": " +
                                   std::to_string(s[1]) + " channels, lookalike feeds 3 (RGB or BGR)");
    if ((s[2] >= 0 && s[2] != card.height) || (s[3] >= 0 && s[3] != card.width))
      fail(ErrorKind::Corrupt, who + "the card says input.width × height = " + std::to_string(card.width) + " × " +
                                   std::to_string(card.height) + ", the model's input " + input->name + " has shape " +
                                   input->shape_text());
    if (s[0] > 1)
      fail(ErrorKind::Unsupported, who + "input " + input->name + " has a fixed batch of " + std::to_string(s[0]) +
                                       " (shape " + input->shape_text() +
                                       "); lookalike needs a batch of 1 or a dynamic batch");
    if (s[0] == 1) fixed_batch = 1;
  }
  if (output->has_shape && !output->shape.empty()) {
    std::int64_t product = 1;
    bool known = true;
    for (std::size_t i = 1; i < output->shape.size(); ++i) {
      if (output->shape[i] < 0)
        known = false;
      else
        product *= output->shape[i];
    }
    if (known && product != card.output_dim)
      fail(ErrorKind::Corrupt, who + "the card says output.dim = " + std::to_string(card.output_dim) +
                                   ", the model's output " + output->name + " has shape " + output->shape_text() +
                                   " (" + std::to_string(product) + " values per image)");
  }
  return fixed_batch;
}

ModelEmbedder ModelEmbedder::open(const std::string& card, const ModelEmbedderOptions& options) {
  return ModelEmbedder(load_model_card(card), options);
}

ModelEmbedder::ModelEmbedder(LoadedCard card, const ModelEmbedderOptions& options) : card_(std::move(card)) {
  model_path_ = locate_model_file(card_, options.model_path);
  const NodeRuntime runtime = find_node_runtime();
  worker_ = std::make_unique<OnnxWorker>(
      runtime, worker_options_for(options, model_path_, card_.card.input_name, card_.card.output_name));
  const std::size_t fixed_batch = check_model_against_card(worker_->metadata(), card_, model_path_);
  batch_size_ = capped_batch_size(options.batch_size, card_.card.max_batch, fixed_batch);
  normalize_ = options.normalize && card_.card.l2_normalize;
}

ModelEmbedder::ModelEmbedder(ModelEmbedder&&) noexcept = default;
ModelEmbedder& ModelEmbedder::operator=(ModelEmbedder&&) noexcept = default;
ModelEmbedder::~ModelEmbedder() = default;

const WorkerMetadata& ModelEmbedder::runtime_info() const { return worker_->metadata(); }
pid_t ModelEmbedder::worker_pid() const { return worker_ ? worker_->pid() : -1; }
std::size_t ModelEmbedder::tensor_floats() const {
  return 3 * std::size_t(card_.card.width) * std::size_t(card_.card.height);
}

void ModelEmbedder::send_batch(const float* tensors, std::size_t count) {
  if (count == 0 || count > batch_size_)
    fail(ErrorKind::InvalidArgument, "a batch of " + std::to_string(count) +
                                         " images was given to an embedder that sends 1 to " +
                                         std::to_string(batch_size_) + " (a bug in the CLI)");
  worker_->submit(tensors, std::uint32_t(count), 3, std::uint32_t(card_.card.height), std::uint32_t(card_.card.width));
}

std::vector<float> ModelEmbedder::take_batch() {
  WorkerOutput result = worker_->next_result();
  if (result.dim != dim())
    fail(ErrorKind::Corrupt, "model card " + card_.path + " does not match " + model_path_ +
                                 ": the card says output.dim = " + std::to_string(dim()) + ", the model's output " +
                                 card_.card.output_name + " has " + std::to_string(result.dim) + " values per image");
  inference_seconds_ += result.inference_seconds;
  if (normalize_)
    for (std::size_t i = 0; i < result.batch; ++i) normalize_row(result.values.data() + i * dim(), dim());
  return std::move(result.values);
}

std::size_t ModelEmbedder::batches_in_flight() const { return worker_->in_flight(); }
std::size_t ModelEmbedder::max_batches_in_flight() { return worker_protocol::kMaxInFlight; }
void ModelEmbedder::discard_batches() noexcept { worker_->discard_in_flight(); }

std::vector<float> ModelEmbedder::embed_tensors(const float* tensors, std::size_t count) {
  if (batches_in_flight() != 0)
    fail(ErrorKind::InvalidArgument,
         "embed_tensors() called while batches sent with send_batch() are in flight (a bug in the CLI)");
  std::vector<float> out(count * dim());
  // Results come back in the order the batches were sent, each checked
  // against its batch's size (OnnxWorker::next_result): they fill `out` in turn.
  std::size_t stored = 0;
  const auto take_oldest = [&] {
    const std::vector<float> vectors = take_batch();
    std::memcpy(out.data() + stored, vectors.data(), vectors.size() * sizeof(float));
    stored += vectors.size();
  };
  try {
    for (std::size_t begin = 0; begin < count; begin += batch_size_) {
      if (batches_in_flight() == max_batches_in_flight()) take_oldest();
      send_batch(tensors + begin * tensor_floats(), std::min(batch_size_, count - begin));
    }
    while (batches_in_flight() != 0) take_oldest();
  } catch (...) {
    discard_batches();
    throw;
  }
  return out;
}

std::vector<float> ModelEmbedder::embed(const Image& image) {
  const std::vector<float> tensor = preprocess_for_model(image, card_.card);
  return embed_tensors(tensor.data(), 1);
}

std::vector<std::vector<float>> ModelEmbedder::embed(const std::vector<Image>& images) {
  std::vector<std::vector<float>> vectors;
  vectors.reserve(images.size());
  std::vector<float> tensors;
  for (std::size_t begin = 0; begin < images.size(); begin += batch_size_) {
    const std::size_t n = std::min(batch_size_, images.size() - begin);
    tensors.resize(n * tensor_floats());
    for (std::size_t i = 0; i < n; ++i)
      preprocess_for_model_into(images[begin + i], card_.card, tensors.data() + i * tensor_floats());
    const std::vector<float> out = embed_tensors(tensors.data(), n);
    for (std::size_t i = 0; i < n; ++i) vectors.emplace_back(out.begin() + i * dim(), out.begin() + (i + 1) * dim());
  }
  return vectors;
}

namespace {

// Reading and preprocessing on decode threads (a ParallelLoop over the
// images) while this thread sends batches to the model worker and stores
// its results. Batches are prepared in a ring of slots: decode threads fill
// up to kSlots batches ahead of the next one to send. A slot is free again as
// soon as its batch is sent (send_batch has read it by then), while the
// worker computes up to max_batches_in_flight() sent batches.
class EmbedPipeline {
 public:
  EmbedPipeline(ModelEmbedder& embedder, const std::vector<std::string>& paths, const EmbedFilesOptions& options)
      : embedder_(embedder),
        paths_(paths),
        options_(options),
        n_(paths.size()),
        batch_(embedder.batch_size()),
        floats_(embedder.tensor_floats()),
        dim_(embedder.dim()),
        slots_(kSlots) {
    result_.vectors.assign(n_ * dim_, 0.0f);
    result_.errors.assign(n_, "");
    result_.error_kinds.assign(n_, ErrorKind::Corrupt);
    result_.done.assign(n_, false);
    for (auto& s : slots_) s.tensors.resize(batch_ * floats_), s.ok.assign(batch_, 0);
  }

  EmbedFilesResult run() {
    if (n_ == 0) return std::move(result_);
    const unsigned threads = std::max(1u, std::min<unsigned>(thread_count(options_.decode_threads), unsigned(n_)));
    ParallelLoop decoding(n_, threads, [this](std::size_t i) { prepare(i); });
    try {
      send_all();
    } catch (...) {
      shut_down(decoding);
      embedder_.discard_batches();
      throw;
    }
    shut_down(decoding);
    for (std::size_t i = 0; i < n_; ++i)
      if (!result_.done[i] && result_.errors[i].empty()) result_.errors[i] = "not embedded: stopped before this image";
    return std::move(result_);
  }

 private:
  static constexpr std::size_t kSlots = 3;
  struct Slot {
    std::vector<float> tensors;
    std::vector<char> ok;
    std::size_t finished = 0;
  };
  // A batch sent (or with no image to send) whose results are not stored
  // yet, in input order; `rows` are the items each result row belongs to.
  struct Sent {
    std::size_t end;
    std::vector<std::size_t> rows;
  };

  // On a decode thread: image i into its batch's slot, once that slot is free.
  void prepare(std::size_t i) {
    const std::size_t b = i / batch_, k = i % batch_;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return abort_ || b < current_ + kSlots; });
      if (abort_) return;
    }
    Slot& slot = slots_[b % kSlots];
    std::string error;
    ErrorKind kind = ErrorKind::Corrupt;
    try {
      const std::vector<std::uint8_t> bytes = read_file(paths_[i]);
      DecodeOptions decode_options = options_.decode;
      decode_options.need = decode_need(embedder_.card());
      const DecodedImage decoded = decode_image(bytes.data(), bytes.size(), decode_options);
      if (options_.on_decoded) options_.on_decoded(i, bytes, decoded);
      preprocess_for_model_into(decoded.image, embedder_.card(), slot.tensors.data() + k * floats_);
    } catch (const Error& e) {
      error = e.what();
      kind = e.kind();
    } catch (const std::bad_alloc&) {
      error = "out of memory while decoding";
    } catch (const std::exception& e) {
      error = std::string("unexpected failure: ") + e.what();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error.empty()) result_.errors[i] = error, result_.error_kinds[i] = kind;
      slot.ok[k] = error.empty();
      ++slot.finished;
    }
    changed_.notify_all();
  }

  void send_all() {
    const std::size_t batches = (n_ + batch_ - 1) / batch_;
    for (std::size_t b = 0; b < batches; ++b) {
      if (options_.should_stop && options_.should_stop()) {
        result_.stopped = true;
        break;
      }
      send(b);
      while (!sent_.empty() && sent_.front().rows.empty()) finish_oldest();  // nothing to wait for: report it now
    }
    while (!sent_.empty()) finish_oldest();
  }

  // Batch b, once every image of it is prepared: its decodable images go to
  // the worker, and its slot is freed for batch b + kSlots.
  void send(std::size_t b) {
    const std::size_t begin = b * batch_, count = std::min(batch_, n_ - begin);
    Slot& slot = slots_[b % kSlots];
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return slot.finished == count; });
    }
    Sent entry{begin + count, {}};
    for (std::size_t k = 0; k < count; ++k) {
      if (!slot.ok[k]) continue;
      if (entry.rows.size() != k)
        std::memmove(slot.tensors.data() + entry.rows.size() * floats_, slot.tensors.data() + k * floats_,
                     floats_ * sizeof(float));
      entry.rows.push_back(begin + k);
    }
    if (!entry.rows.empty()) {
      // Room for this batch: the worker holds at most max_batches_in_flight().
      while (embedder_.batches_in_flight() >= ModelEmbedder::max_batches_in_flight()) finish_oldest();
      embedder_.send_batch(slot.tensors.data(), entry.rows.size());
    }
    sent_.push_back(std::move(entry));
    {
      std::lock_guard<std::mutex> lock(mutex_);
      slot.finished = 0;
      std::fill(slot.ok.begin(), slot.ok.end(), 0);
      ++current_;
    }
    changed_.notify_all();
  }

  void finish_oldest() {
    const Sent& s = sent_.front();
    if (!s.rows.empty()) {
      const std::vector<float> out = embedder_.take_batch();
      for (std::size_t r = 0; r < s.rows.size(); ++r) {
        std::memcpy(result_.vectors.data() + s.rows[r] * dim_, out.data() + r * dim_, dim_ * sizeof(float));
        result_.done[s.rows[r]] = true;
      }
      result_.embedded += s.rows.size();
    }
    const std::size_t end = s.end;
    sent_.pop_front();
    if (options_.on_progress) options_.on_progress(end);
  }

  // Decode threads still waiting for a slot give up; the rest are skipped.
  void shut_down(ParallelLoop& decoding) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      abort_ = true;
    }
    changed_.notify_all();
    decoding.stop();
    decoding.join();
  }

  ModelEmbedder& embedder_;
  const std::vector<std::string>& paths_;
  const EmbedFilesOptions& options_;
  const std::size_t n_, batch_, floats_, dim_;
  std::vector<Slot> slots_;
  std::deque<Sent> sent_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t current_ = 0;  // the batch sent next
  bool abort_ = false;
  EmbedFilesResult result_;
};

}  // namespace

EmbedFilesResult embed_image_files(ModelEmbedder& embedder, const std::vector<std::string>& paths,
                                   const EmbedFilesOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  EmbedFilesResult result = EmbedPipeline(embedder, paths, options).run();
  result.seconds = seconds_since(started);
  return result;
}

}  // namespace lookalike::cli
