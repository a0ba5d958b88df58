#include "shard/shard_merge.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <numeric>
#include <unordered_map>

#include "common/files.h"
#include "common/log.h"
#include "embed/npy_file.h"
#include "lookalike/common/error.h"
#include "lookalike/index/item_record.h"
#include "prep/prep_run.h"
#include "shard/shard_folder.h"
#include "site/collection_items.h"

namespace lookalike::cli {
namespace {

namespace fs = std::filesystem;

struct LoadedShard {
  fs::path folder;
  ShardDone done;
  std::vector<ItemRecord> items;
  std::vector<float> rows;  // items.size() × dim
};

std::string list_text(const std::vector<std::string>& lines) {
  std::string text;
  for (std::size_t i = 0; i < lines.size() && i < 10; ++i) text += "\n  " + lines[i];
  if (lines.size() > 10) text += "\n  … and " + std::to_string(lines.size() - 10) + " more";
  return text;
}

// Every shard of the count is there and has written done.json.
void require_complete(const std::vector<std::pair<ShardSpec, fs::path>>& folders, const fs::path& dir) {
  const std::size_t count = folders.front().first.count;
  std::vector<bool> present(count, false);
  std::vector<std::string> problems;
  for (const auto& [spec, folder] : folders) {
    present[spec.index] = true;
    std::error_code ec;
    if (!fs::is_regular_file(folder / kShardDoneFile, ec))
      problems.push_back(spec.folder_name() + " has not finished (no done.json): run shard " + spec.text() +
                         " again, it resumes from its last checkpoint");
  }
  for (std::size_t i = 0; i < count; ++i)
    if (!present[i])
      problems.push_back(ShardSpec{i, count}.folder_name() + " is missing: run shard " + ShardSpec{i, count}.text());
  if (!problems.empty())
    fail(ErrorKind::Corrupt, dir.string() + ": " + std::to_string(problems.size()) + " of " + std::to_string(count) +
                                 " shards are not done, so the collection would be partial:" + list_text(problems));
}

// One fact every shard must share: the shards whose value differs from the
// most common one are named, with both values.
void require_same(const std::vector<LoadedShard>& shards, const std::string& what,
                  const std::function<std::string(const ShardDone&)>& value) {
  std::map<std::string, std::size_t> counts;
  for (const auto& s : shards) ++counts[value(s.done)];
  if (counts.size() == 1) return;
  const std::string common = std::max_element(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
                               return a.second < b.second;
                             })->first;
  std::vector<std::string> odd;
  for (const auto& s : shards)
    if (value(s.done) != common)
      odd.push_back(s.folder.filename().string() + " was made with " + what + " " + value(s.done) + ", not " + common);
  fail(ErrorKind::Corrupt,
       std::to_string(odd.size()) + " shard(s) differ from the others in " + what +
           ": embed them again with the same card, model file, sources and options:" + list_text(odd));
}

void require_consistent(const std::vector<LoadedShard>& shards) {
  require_same(shards, "the model file", [](const ShardDone& d) {
    return "sha256 " + d.model_sha256.substr(0, 16) + "… (" + d.model_file + ")";
  });
  require_same(shards, "the card",
               [](const ShardDone& d) { return d.card_name + " (card sha256 " + d.card_sha256.substr(0, 16) + "…)"; });
  require_same(shards, "the feature", [](const ShardDone& d) {
    return d.feature + " " + std::to_string(d.dim) + "-d" + (d.normalized ? "" : " raw");
  });
  require_same(shards, "the sources", [](const ShardDone& d) {
    nlohmann::json roots = nlohmann::json::array();
    for (const auto& r : d.roots) roots.push_back(root_to_json(r));
    return roots.dump();
  });
  require_same(shards, "the prep options", [](const ShardDone& d) { return d.prep.dump(); });
  require_same(shards, "the thumbnail size", [](const ShardDone& d) { return std::to_string(d.thumbnail_side); });
}

std::vector<ItemRecord> read_items(const fs::path& file, std::size_t expected) {
  const std::string text = read_text_file(file);
  std::vector<ItemRecord> items;
  items.reserve(expected);
  std::size_t start = 0;
  for (std::size_t line = 1; start < text.size(); ++line) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    try {
      if (end > start) items.push_back(parse_item_record(text.substr(start, end - start)));
    } catch (const Error& e) {
      fail(ErrorKind::Corrupt, file.string() + ":" + std::to_string(line) + ": " + e.what());
    }
    start = end + 1;
  }
  if (items.size() != expected)
    fail(ErrorKind::Corrupt, file.string() + " lists " + std::to_string(items.size()) + " images but done.json says " +
                                 std::to_string(expected) + " rows");
  return items;
}

// embeddings.npy must be exactly the float32 [rows, dim] matrix done.json
// describes (the header `embed` writes, then the rows).
std::vector<float> read_rows(const fs::path& file, std::size_t rows, std::size_t dim) {
  const std::vector<std::uint8_t> bytes = read_file(file);
  const std::string header = npy_header_float32(rows, dim);
  const std::size_t data = rows * dim * sizeof(float);
  if (bytes.size() != header.size() + data || std::memcmp(bytes.data(), header.data(), header.size()) != 0)
    fail(ErrorKind::Corrupt, file.string() + " is not the float32 [" + std::to_string(rows) + ", " +
                                 std::to_string(dim) + "] matrix its done.json describes (truncated or replaced?)");
  std::vector<float> out(rows * dim);
  std::memcpy(out.data(), bytes.data() + header.size(), data);
  return out;
}

LoadedShard load_shard(const fs::path& folder) {
  LoadedShard s;
  s.folder = folder;
  s.done = read_shard_done(folder);
  s.items = read_items(folder / kShardItemsFile, s.done.rows);
  if (s.done.dim > 0) s.rows = read_rows(folder / kShardEmbeddingsFile, s.done.rows, s.done.dim);
  return s;
}

// The root an absolute image path lies in (the longest that matches) and the
// path inside it.
std::pair<std::size_t, std::string> split_root(const std::vector<SourceRoot>& roots, const std::string& path,
                                               const fs::path& shard) {
  std::size_t best = roots.size(), best_length = 0;
  for (std::size_t r = 0; r < roots.size(); ++r) {
    const std::string prefix = roots[r].path.string() + "/";
    if (path.compare(0, prefix.size(), prefix) == 0 && prefix.size() > best_length)
      best = r, best_length = prefix.size();
  }
  if (best == roots.size())
    fail(ErrorKind::Corrupt, (shard / kShardItemsFile).string() + ": " + path + " is in none of the shard's sources");
  return {best, path.substr(best_length)};
}

// Where each scanned image came from: its shard and row (rejected: no row).
struct Origin {
  std::size_t shard = 0, row = 0;
  bool embedded = false;
};

struct ShardScan {
  DatasetScan scan;
  std::vector<ImageCheck> checks;
  std::vector<Origin> origins;
};

void add_shard(ShardScan& out, const LoadedShard& s, std::size_t index) {
  const auto& roots = out.scan.roots;
  for (std::size_t row = 0; row < s.items.size(); ++row) {
    const ItemRecord& item = s.items[row];
    SourceImage image;
    std::tie(image.root, image.path) = split_root(roots, item.source.path, s.folder);
    image.label = item.label;
    Attribution attribution = item.source;
    attribution.path.clear();
    if (!attribution.empty()) image.attribution = attribution;
    ImageCheck c;
    c.usable = true;
    c.bytes = item.bytes;
    c.format = item.format;
    c.width = int(item.width);
    c.height = int(item.height);
    c.pixel_hash = item.pixel_hash;
    c.perceptual = {parse_hex64(item.phash, (s.folder / kShardItemsFile).string() + ": phash"), item.luma};
    out.scan.images.push_back(std::move(image));
    out.checks.push_back(std::move(c));
    out.origins.push_back({index, row, true});
  }
  for (const ShardRejection& r : s.done.rejected) {
    if (r.reason == "missing" || r.reason == "unlisted") {
      out.scan.problems.push_back({r.root, r.path, r.label, r.reason, r.message});
      continue;
    }
    out.scan.images.push_back({r.root, r.path, r.label, Split::None, std::nullopt});
    ImageCheck c;
    c.reason = r.reason;
    c.message = r.message;
    c.bytes = r.bytes;
    out.checks.push_back(std::move(c));
    out.origins.push_back({index, 0, false});
  }
}

// The scan's canonical order (by root, then path), as scan_dataset sorts.
void sort_canonically(ShardScan& s, const std::vector<LoadedShard>& shards) {
  std::vector<std::size_t> order(s.scan.images.size());
  std::iota(order.begin(), order.end(), 0);
  const auto& images = s.scan.images;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return images[a].root != images[b].root ? images[a].root < images[b].root : images[a].path < images[b].path;
  });
  ShardScan sorted;
  sorted.scan.roots = s.scan.roots;
  sorted.scan.problems = s.scan.problems;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::size_t i = order[k];
    if (k > 0 && images[i].root == images[order[k - 1]].root && images[i].path == images[order[k - 1]].path)
      fail(ErrorKind::Corrupt, images[i].path + " is in both " +
                                   shards[s.origins[order[k - 1]].shard].folder.filename().string() + " and " +
                                   shards[s.origins[i].shard].folder.filename().string() +
                                   ": these folders are not of one sharded run");
    sorted.scan.images.push_back(images[i]);
    sorted.checks.push_back(s.checks[i]);
    sorted.origins.push_back(s.origins[i]);
  }
  s = std::move(sorted);
}

// Each kept image's row and thumbnail, from the shard that embedded it.
PrecomputedFeature collect_precomputed(const ShardScan& all, const std::vector<LoadedShard>& shards,
                                       const Manifest& m) {
  const ShardDone& first = shards.front().done;
  PrecomputedFeature p;
  p.feature = first.feature;
  p.dim = first.dim;
  p.thumbnail_side = first.thumbnail_side;
  p.model_sha256 = first.model_sha256;
  p.made_by = shards.front().folder.string();
  std::unordered_map<std::string, std::size_t> position;  // source key → index in all.scan.images
  for (std::size_t i = 0; i < all.scan.images.size(); ++i)
    position.emplace(source_key(all.scan.roots, all.scan.images[i].root, all.scan.images[i].path), i);
  p.rows.resize(m.images.size() * p.dim);
  for (std::size_t k = 0; k < m.images.size(); ++k) {
    const std::string key = source_key(m.roots, m.images[k].root, m.images[k].path);
    const Origin& o = all.origins.at(position.at(key));
    const LoadedShard& s = shards[o.shard];
    std::copy_n(s.rows.begin() + std::ptrdiff_t(o.row * p.dim), p.dim, p.rows.begin() + std::ptrdiff_t(k * p.dim));
    p.thumbnails.push_back(s.folder / kShardThumbsFolder / thumbnail_key(key));
  }
  return p;
}

}  // namespace

bool holds_shards(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return false;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_directory(ec) && parse_shard_folder_name(it->path().filename().string())) return true;
  return false;
}

MergedShards merge_shards(const fs::path& dir) {
  const auto folders = list_shard_folders(dir);
  if (folders.empty()) fail(ErrorKind::Io, dir.string() + " holds no shard-IIIII-of-NNNNN folders");
  require_complete(folders, dir);
  std::vector<LoadedShard> shards;
  for (const auto& [spec, folder] : folders) shards.push_back(load_shard(folder));
  require_consistent(shards);
  const ShardDone& first = shards.front().done;

  ShardScan all;
  all.scan.roots = first.roots;
  for (std::size_t s = 0; s < shards.size(); ++s) add_shard(all, shards[s], s);
  sort_canonically(all, shards);
  const PrepOptions prep = prep_options_from_json(first.prep, (shards.front().folder / kShardDoneFile).string());

  MergedShards merged;
  merged.shards = shards.size();
  merged.prep = decide_prep(all.scan, all.checks, prep);
  if (!first.feature.empty()) merged.precomputed = collect_precomputed(all, shards, merged.prep.manifest);
  return merged;
}

}  // namespace lookalike::cli
