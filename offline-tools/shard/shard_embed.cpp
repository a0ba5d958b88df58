#include "shard/shard_embed.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>

#include "common/cli_context.h"
#include "common/clock.h"
#include "common/files.h"
#include "common/log.h"
#include "common/progress.h"
#include "common/text.h"
#include "common/version.h"
#include "crawl/sha256.h"
#include "dataset/manifest.h"
#include "embed/npy_file.h"
#include "lookalike/common/error.h"
#include "lookalike/index/item_record.h"
#include "shard/shard_inputs.h"
#include "site/collection_items.h"
#include "site/thumbnail.h"

namespace lookalike::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// What the shard's vectors are: checked against an earlier run's checkpoints
// and done.json, and by the merge across shards.
ShardDone describe_model(const ModelEmbedder& embedder) {
  ShardDone d;
  d.feature = embedder.feature_spec();
  d.card_name = embedder.card().name;
  d.card_sha256 = crawl::file_sha256(embedder.card_path());
  d.model_file = embedder.model_path();
  d.model_sha256 = crawl::file_sha256(embedder.model_path());
  d.dim = embedder.dim();
  d.normalized = embedder.normalizes();
  const WorkerMetadata& runtime = embedder.runtime_info();
  d.runtime = {{"onnxruntime_node", runtime.onnxruntime_version},
               {"node", runtime.node_version},
               {"threads", runtime.threads},
               {"batch", embedder.batch_size()}};
  return d;
}

std::string part_name(std::size_t part) {
  char name[24];
  std::snprintf(name, sizeof name, "part-%05zu", part);
  return name;
}

// One checkpoint's files: rows (raw float32), items (JSON Lines) and the
// marker written last, which says the other two are complete.
struct PartFiles {
  fs::path rows, items, marker;
  PartFiles(const fs::path& parts, std::size_t part)
      : rows(parts / (part_name(part) + ".f32")),
        items(parts / (part_name(part) + ".jsonl")),
        marker(parts / (part_name(part) + ".json")) {}
};

struct PartMarker {
  std::size_t images = 0, embedded = 0;
  std::vector<ShardRejection> rejected;
};

// A finished checkpoint of this model, or nullopt (none, or of another model:
// then it is redone).
std::optional<PartMarker> finished_part(const PartFiles& files, const ShardDone& model, std::size_t images) {
  std::error_code ec;
  if (!fs::is_regular_file(files.marker, ec)) return std::nullopt;
  try {
    const json j = json::parse(read_text_file(files.marker));
    if (j.at("model_sha256").get<std::string>() != model.model_sha256 || j.at("images").get<std::size_t>() != images)
      return std::nullopt;
    PartMarker m;
    m.images = images;
    m.embedded = j.at("embedded").get<std::size_t>();
    for (const json& r : j.at("rejected")) m.rejected.push_back(rejection_from_json(r));
    if (fs::file_size(files.rows) != m.embedded * model.dim * sizeof(float)) return std::nullopt;
    return m;
  } catch (const std::exception& e) {
    log_warning(files.marker.string() + " is unreadable (" + e.what() + "): redoing that checkpoint");
    return std::nullopt;
  }
}

class ShardRun {
 public:
  ShardRun(const ShardEmbedOptions& options, ShardInputs& inputs, ModelEmbedder& embedder, const ShardDone& model,
           const fs::path& folder)
      : options_(options), in_(inputs), embedder_(embedder), model_(model), folder_(folder) {}

  // Every checkpoint, finished or resumed; returns the images resumed.
  std::size_t run_parts(std::vector<PartMarker>& markers) {
    const std::size_t n = in_.images.size(), size = std::max<std::size_t>(1, options_.checkpoint);
    std::optional<Progress> progress;
    if (options_.show_progress) progress.emplace("embedding shard " + options_.shard.text(), n);
    std::size_t resumed = 0;
    for (std::size_t first = 0, part = 0; first < n; first += size, ++part) {
      const std::size_t count = std::min(size, n - first);
      const PartFiles files(folder_ / kShardPartsFolder, part);
      std::optional<PartMarker> marker = finished_part(files, model_, count);
      if (marker) {
        resumed += count;
        if (progress) progress->advance(count);
      } else {
        marker = embed_part(files, first, count, progress ? &*progress : nullptr);
      }
      markers.push_back(std::move(*marker));
    }
    if (progress) progress->finish();
    return resumed;
  }

 private:
  PartMarker embed_part(const PartFiles& files, std::size_t first, std::size_t count, Progress* progress) {
    const ImageCheckOptions check_options = image_check_options(options_.prep);
    std::vector<std::string> paths(count);
    std::vector<std::string> keys(count);
    for (std::size_t k = 0; k < count; ++k) {
      const SourceImage& image = in_.scan.images[in_.images[first + k]];
      paths[k] = in_.scan.file(image).string();
      keys[k] = source_key(in_.scan.roots, image.root, image.path);
    }
    std::vector<ImageCheck> checks(count);
    std::vector<std::string> sha256(count);
    const fs::path thumbs = folder_ / kShardThumbsFolder;
    EmbedFilesOptions file_options;
    file_options.decode_threads = options_.threads;
    file_options.decode = decode_options(check_options);
    file_options.on_decoded = [&](std::size_t k, const std::vector<std::uint8_t>& bytes, const DecodedImage& decoded) {
      std::optional<DecodedImage> full_decode;
      const DecodedImage& full =
          decoded.reduction == 1 ? decoded
                                 : full_decode.emplace(decode_image(bytes.data(), bytes.size(), file_options.decode));
      checks[k] = check_decoded_image(bytes.size(), full, check_options);
      if (!checks[k].usable) fail(ErrorKind::InvalidArgument, checks[k].message);  // set aside, not embedded
      sha256[k] = crawl::sha256_hex(bytes.data(), bytes.size());
      std::optional<DecodedImage> thumbnail_decode;
      const auto jpeg =
          thumbnail_jpeg(thumbnail_source(bytes, full, decoded, thumbnail_decode), options_.thumbnail_side);
      write_file_atomic(thumbs / thumbnail_key(keys[k]), jpeg.data(), jpeg.size());
    };
    std::size_t reported = 0;
    file_options.on_progress = [&](std::size_t done) {
      if (progress) progress->advance(done - reported);
      reported = done;
    };
    file_options.should_stop = [] { return interrupted(); };
    const EmbedFilesResult result = embed_image_files(embedder_, paths, file_options);
    if (result.stopped)
      fail(ErrorKind::Io, "interrupted: the checkpoints finished so far are kept in " +
                              (folder_ / kShardPartsFolder).string() + "; run the shard again to resume");
    return save_part(files, first, result, checks, sha256);
  }

  // The picture `index` makes this image's thumbnail from: decoded at the
  // reduction the thumbnail needs, which is often the full or the model's.
  const Image& thumbnail_source(const std::vector<std::uint8_t>& bytes, const DecodedImage& full,
                                const DecodedImage& model, std::optional<DecodedImage>& storage) const {
    const DecodeNeed need = thumbnail_need(options_.thumbnail_side);
    const int reduction = reduction_factor(full.stored_width, full.stored_height, need);
    if (reduction == full.reduction) return full.image;
    if (reduction == model.reduction) return model.image;
    DecodeOptions options;
    options.need = need;
    return storage.emplace(decode_image(bytes.data(), bytes.size(), options)).image;
  }

  PartMarker save_part(const PartFiles& files, std::size_t first, const EmbedFilesResult& result,
                       const std::vector<ImageCheck>& checks, const std::vector<std::string>& sha256) {
    const std::size_t dim = model_.dim;
    PartMarker marker;
    marker.images = checks.size();
    std::vector<float> rows;
    std::string items;
    for (std::size_t k = 0; k < checks.size(); ++k) {
      const SourceImage& image = in_.scan.images[in_.images[first + k]];
      if (result.done[k]) {
        rows.insert(rows.end(), result.vectors.begin() + std::ptrdiff_t(k * dim),
                    result.vectors.begin() + std::ptrdiff_t((k + 1) * dim));
        items += item_record_to_json(item_record(image, in_.scan.file(image), checks[k], sha256[k])) + "\n";
        ++marker.embedded;
        continue;
      }
      const ImageCheck c =
          !checks[k].reason.empty() ? checks[k] : rejected_image(result.error_kinds[k], result.errors[k], 0);
      marker.rejected.push_back({image.root, image.path, image.label, c.reason, c.message, c.bytes});
    }
    write_file_atomic(files.rows, rows.data(), rows.size() * sizeof(float));
    write_file_atomic(files.items, items);
    json rejected = json::array();
    for (const auto& r : marker.rejected) rejected.push_back(rejection_to_json(r));
    write_file_atomic(files.marker, json{{"images", marker.images},
                                         {"embedded", marker.embedded},
                                         {"model_sha256", model_.model_sha256},
                                         {"rejected", rejected}}
                                            .dump(1) +
                                        "\n");
    return marker;
  }

  const ShardEmbedOptions& options_;
  ShardInputs& in_;
  ModelEmbedder& embedder_;
  const ShardDone& model_;
  const fs::path folder_;
};

// The checkpoints joined into embeddings.npy and items.jsonl (each written
// whole, then renamed), then done.json; the parts are removed last.
void write_shard(const fs::path& folder, const std::vector<PartMarker>& markers, ShardDone& done) {
  const fs::path parts = folder / kShardPartsFolder;
  std::size_t rows = 0;
  for (const auto& m : markers) rows += m.embedded;
  const std::string npy = (folder / kShardEmbeddingsFile).string(), temporary = npy + ".partial";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    const std::string header = npy_header_float32(rows, done.dim);
    out.write(header.data(), std::streamsize(header.size()));
    for (std::size_t p = 0; p < markers.size(); ++p) {
      const std::vector<std::uint8_t> data = read_file(PartFiles(parts, p).rows);
      out.write(reinterpret_cast<const char*>(data.data()), std::streamsize(data.size()));
    }
    out.flush();
    if (!out) fail(ErrorKind::Io, "cannot write " + temporary);
  }
  std::string items;
  for (std::size_t p = 0; p < markers.size(); ++p) {
    items += read_text_file(PartFiles(parts, p).items);
    done.rows += markers[p].embedded;
    done.rejected.insert(done.rejected.end(), markers[p].rejected.begin(), markers[p].rejected.end());
    done.images += markers[p].images;
  }
  write_file_atomic(folder / kShardItemsFile, items);
  fs::rename(temporary, npy);
  write_file_atomic(folder / kShardDoneFile, shard_done_to_json(done).dump(1) + "\n");
  std::error_code ec;
  fs::remove_all(parts, ec);
}

}  // namespace

ShardEmbedSummary run_shard_embed(const ShardEmbedOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ShardEmbedSummary summary;
  summary.folder = options.out / options.shard.folder_name();
  std::error_code ec;
  if (fs::is_regular_file(summary.folder / kShardDoneFile, ec)) {
    summary.done = read_shard_done(summary.folder);
    const LoadedCard card = load_model_card(options.card);
    if (summary.done.card_name != card.card.name)
      fail(ErrorKind::InvalidArgument, summary.folder.string() + " is done with card " + summary.done.card_name +
                                           ", not " + card.card.name + ": remove the folder to embed it again");
    summary.already_done = true;
    return summary;
  }
  ShardInputs inputs = select_inputs(options.sources, options.shard);
  ModelEmbedder embedder = ModelEmbedder::open(options.card, options.model);
  ShardDone done = describe_model(embedder);
  done.shard = options.shard;
  done.roots = inputs.scan.roots;
  done.prep = prep_options_json(options.prep);
  done.thumbnail_side = options.thumbnail_side;
  done.started = utc_timestamp();
  done.tool = tool_signature("embed");
  log_info("shard " + options.shard.text() + ": " + std::to_string(inputs.images.size()) + " of " +
           std::to_string(inputs.scan.images.size()) + " images, model " + done.card_name + " (" +
           std::to_string(done.dim) + "-d) from " + done.model_file + " → " + summary.folder.string());

  remove_partial_files(summary.folder);
  fs::create_directories(summary.folder / kShardPartsFolder);
  fs::create_directories(summary.folder / kShardThumbsFolder);
  std::vector<PartMarker> markers;
  summary.resumed = ShardRun(options, inputs, embedder, done, summary.folder).run_parts(markers);
  if (summary.resumed > 0)
    log_info("resumed: " + std::to_string(summary.resumed) + " images were embedded by an earlier run");
  done.rejected = inputs.problems;
  done.images = inputs.problems.size();
  done.finished = utc_timestamp();
  done.seconds = seconds_since(start);
  write_shard(summary.folder, markers, done);
  summary.done = std::move(done);
  return summary;
}

}  // namespace lookalike::cli
