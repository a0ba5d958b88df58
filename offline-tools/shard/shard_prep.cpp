#include "shard/shard_prep.h"

#include <chrono>
#include <optional>

#include "common/cli_context.h"
#include "common/clock.h"
#include "common/files.h"
#include "common/progress.h"
#include "common/text.h"
#include "common/version.h"
#include "crawl/sha256.h"
#include "lookalike/common/error.h"
#include "lookalike/common/parallel.h"
#include "shard/shard_inputs.h"

namespace lookalike::cli {
namespace {

namespace fs = std::filesystem;

// prep's check of one file, and the sha256 of its bytes for items.jsonl.
struct CheckedFile {
  ImageCheck check;
  std::string sha256;
};

CheckedFile check_file(const fs::path& file, const ImageCheckOptions& options) {
  CheckedFile c;
  std::vector<std::uint8_t> bytes;
  try {
    bytes = read_file(file);
  } catch (const Error& e) {
    c.check = rejected_image(ErrorKind::Io, e.what(), 0);
    return c;
  }
  try {
    c.check =
        check_decoded_image(bytes.size(), decode_image(bytes.data(), bytes.size(), decode_options(options)), options);
  } catch (const Error& e) {
    c.check = rejected_image(e.kind(), e.what(), bytes.size());
  }
  if (c.check.usable) c.sha256 = crawl::sha256_hex(bytes.data(), bytes.size());
  return c;
}

std::vector<CheckedFile> check_shard(const ShardInputs& in, const PrepOptions& options, const ShardSpec& shard) {
  std::vector<CheckedFile> checked(in.images.size());
  std::optional<Progress> progress;
  if (options.show_progress) progress.emplace("checking shard " + shard.text(), in.images.size());
  parallel_for(in.images.size(), thread_count(options.threads), [&](std::size_t k) {
    if (interrupted()) return;
    checked[k] = check_file(in.scan.file(in.scan.images[in.images[k]]), image_check_options(options));
    if (progress) progress->advance();
  });
  if (progress) progress->finish();
  if (interrupted()) fail(ErrorKind::Io, "interrupted: nothing of shard " + shard.text() + " was written");
  return checked;
}

}  // namespace

ShardPrepSummary run_shard_prep(const PrepOptions& options, const fs::path& out, const ShardSpec& shard) {
  const auto start = std::chrono::steady_clock::now();
  ShardPrepSummary summary;
  summary.folder = out / shard.folder_name();
  std::error_code ec;
  if (fs::is_regular_file(summary.folder / kShardDoneFile, ec)) {
    summary.done = read_shard_done(summary.folder);
    if (!summary.done.feature.empty())
      fail(ErrorKind::InvalidArgument, summary.folder.string() + " is an embedding shard (" + summary.done.feature +
                                           "), not prep's: give prep another --out");
    summary.already_done = true;
    return summary;
  }
  ShardDone& done = summary.done;
  done.shard = shard;
  done.started = utc_timestamp();
  done.tool = tool_signature("prep");
  done.prep = prep_options_json(options);
  const ShardInputs in = select_inputs(options.sources, shard);
  done.roots = in.scan.roots;
  const std::vector<CheckedFile> checked = check_shard(in, options, shard);

  std::string items;
  done.rejected = in.problems;
  for (std::size_t k = 0; k < in.images.size(); ++k) {
    const SourceImage& image = in.scan.images[in.images[k]];
    const ImageCheck& c = checked[k].check;
    if (c.usable) {
      items += item_record_to_json(item_record(image, in.scan.file(image), c, checked[k].sha256)) + "\n";
      ++done.rows;
    } else {
      done.rejected.push_back({image.root, image.path, image.label, c.reason, c.message, c.bytes});
    }
  }
  done.images = done.rows + done.rejected.size();
  done.finished = utc_timestamp();
  done.seconds = seconds_since(start);
  fs::create_directories(summary.folder);
  remove_partial_files(summary.folder);
  write_file_atomic(summary.folder / kShardItemsFile, items);
  write_file_atomic(summary.folder / kShardDoneFile, shard_done_to_json(done).dump(1) + "\n");
  return summary;
}

}  // namespace lookalike::cli
