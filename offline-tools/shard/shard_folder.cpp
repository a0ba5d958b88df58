#include "shard/shard_folder.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "common/files.h"
#include "dataset/manifest.h"
#include "lookalike/common/error.h"

namespace lookalike::cli {

using nlohmann::json;

json rejection_to_json(const ShardRejection& r) {
  json e{{"root", r.root}, {"path", r.path}, {"reason", r.reason}, {"message", r.message}};
  if (!r.label.empty()) e["label"] = r.label;
  if (r.bytes) e["bytes"] = r.bytes;
  return e;
}

ShardRejection rejection_from_json(const json& e) {
  ShardRejection r;
  r.root = e.at("root").get<std::size_t>();
  r.path = e.at("path").get<std::string>();
  r.label = e.value("label", "");
  r.reason = e.at("reason").get<std::string>();
  r.message = e.at("message").get<std::string>();
  r.bytes = e.value("bytes", std::uint64_t(0));
  return r;
}

json shard_done_to_json(const ShardDone& d) {
  json roots = json::array();
  for (const auto& root : d.roots) roots.push_back(root_to_json(root));
  json rejected = json::array();
  for (const auto& r : d.rejected) rejected.push_back(rejection_to_json(r));
  return {{"schema", ShardDone::kSchema},
          {"kind", "lookalike-shard"},
          {"shard", {{"index", d.shard.index}, {"count", d.shard.count}}},
          {"feature", d.feature},
          {"card", {{"name", d.card_name}, {"sha256", d.card_sha256}}},
          {"model", {{"file", d.model_file}, {"sha256", d.model_sha256}}},
          {"dim", d.dim},
          {"dtype", "float32"},
          {"normalized", d.normalized},
          {"roots", roots},
          {"prep", d.prep},
          {"thumbnail_side", d.thumbnail_side},
          {"counts", {{"images", d.images}, {"rows", d.rows}, {"rejected", d.rejected.size()}}},
          {"rejected", rejected},
          {"runtime", d.runtime},
          {"timings",
           {{"started", d.started},
            {"finished", d.finished},
            {"seconds", d.seconds},
            {"images_per_second", d.seconds > 0 ? double(d.images) / d.seconds : 0.0}}},
          {"tool", d.tool}};
}

ShardDone shard_done_from_json(const json& j, const std::string& where) {
  ShardDone d;
  try {
    if (!j.is_object() || j.value("kind", "") != "lookalike-shard")
      fail(ErrorKind::Corrupt, where + ": not a lookalike shard's done.json (no \"kind\": \"lookalike-shard\")");
    if (j.at("schema").get<int>() != ShardDone::kSchema)
      fail(ErrorKind::Unsupported, where + ": shard schema " + j.at("schema").dump() +
                                       " is not supported (this lookalike reads " + std::to_string(ShardDone::kSchema) +
                                       ")");
    d.shard = {j.at("shard").at("index").get<std::size_t>(), j.at("shard").at("count").get<std::size_t>()};
    d.feature = j.at("feature").get<std::string>();
    d.card_name = j.at("card").at("name").get<std::string>();
    d.card_sha256 = j.at("card").at("sha256").get<std::string>();
    d.model_file = j.at("model").at("file").get<std::string>();
    d.model_sha256 = j.at("model").at("sha256").get<std::string>();
    d.dim = j.at("dim").get<std::size_t>();
    d.normalized = j.at("normalized").get<bool>();
    const json& roots = j.at("roots");
    for (std::size_t i = 0; i < roots.size(); ++i)
      d.roots.push_back(root_from_json(roots.at(i), where + ": roots[" + std::to_string(i) + "]"));
    d.prep = j.at("prep");
    d.thumbnail_side = j.at("thumbnail_side").get<int>();
    d.images = j.at("counts").at("images").get<std::size_t>();
    d.rows = j.at("counts").at("rows").get<std::size_t>();
    for (const json& e : j.at("rejected")) {
      ShardRejection r = rejection_from_json(e);
      if (r.root >= d.roots.size())
        fail(ErrorKind::Corrupt,
             where + ": a rejected image names root " + std::to_string(r.root) + ", which is not listed");
      d.rejected.push_back(std::move(r));
    }
    d.runtime = j.value("runtime", json::object());
    const json& timings = j.at("timings");
    d.started = timings.value("started", "");
    d.finished = timings.value("finished", "");
    d.seconds = timings.value("seconds", 0.0);
    d.tool = j.value("tool", "");
  } catch (const json::exception& e) {
    fail(ErrorKind::Corrupt, where + ": " + e.what());
  }
  if (d.shard.count < 1 || d.shard.index >= d.shard.count || (d.dim == 0) != d.feature.empty() ||
      d.images != d.rows + d.rejected.size())
    fail(ErrorKind::Corrupt, where + ": inconsistent shard, counts or dim");
  return d;
}

ShardDone read_shard_done(const std::filesystem::path& shard_folder) {
  const std::filesystem::path file = shard_folder / kShardDoneFile;
  json j;
  try {
    j = json::parse(read_text_file(file));
  } catch (const json::exception& e) {
    fail(ErrorKind::Corrupt, file.string() + " is not valid JSON: " + e.what());
  }
  return shard_done_from_json(j, file.string());
}

std::string thumbnail_key(const std::string& source_key) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(stable_key_hash(source_key)));
  return std::string(hex) + ".jpg";
}

std::vector<std::pair<ShardSpec, std::filesystem::path>> list_shard_folders(const std::filesystem::path& dir) {
  std::map<std::size_t, std::vector<std::pair<ShardSpec, std::filesystem::path>>> by_count;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_directory(ec)) continue;
    if (const auto spec = parse_shard_folder_name(it->path().filename().string()))
      by_count[spec->count].emplace_back(*spec, it->path());
  }
  if (ec) fail(ErrorKind::Io, "cannot list " + dir.string() + ": " + ec.message());
  if (by_count.size() > 1) {
    std::string counts;
    for (const auto& [count, folders] : by_count)
      counts += (counts.empty() ? "" : ", ") + std::to_string(folders.size()) + " of " + std::to_string(count);
    fail(ErrorKind::Corrupt, dir.string() + " mixes shard folders of different shard counts (" + counts +
                                 "): keep the folders of one run only");
  }
  if (by_count.empty()) return {};
  auto folders = std::move(by_count.begin()->second);
  std::sort(folders.begin(), folders.end(), [](const auto& a, const auto& b) { return a.first.index < b.first.index; });
  return folders;
}

}  // namespace lookalike::cli
