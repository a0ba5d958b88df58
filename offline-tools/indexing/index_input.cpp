#include "indexing/index_input.h"

#include <cctype>

#include "common/log.h"
#include "common/text.h"
#include "lookalike/common/error.h"
#include "prep/prep_run.h"

namespace lookalike::cli {
namespace {

// "Wang 1K photos" -> "wang-1k-photos": letters and digits kept, lowercased,
// the rest one '-'.
std::string name_from(const fs::path& folder) {
  std::string name;
  for (const char c : folder.filename().string()) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      name += char(std::tolower(static_cast<unsigned char>(c)));
    else if (!name.empty() && name.back() != '-')
      name += '-';
  }
  while (!name.empty() && name.back() == '-') name.pop_back();
  return name.empty() ? "collection" : name.substr(0, 64);
}

fs::path resolved(const fs::path& p) {
  std::error_code ec;
  const fs::path a = fs::weakly_canonical(fs::absolute(p), ec);
  return ec ? fs::absolute(p) : a;
}

}  // namespace

IndexInput load_index_input(const fs::path& input, unsigned threads, bool show_progress) {
  std::error_code ec;
  if (!fs::exists(input, ec)) fail(ErrorKind::Io, "no such file or folder: " + input.string());
  IndexInput out;
  if (holds_shards(input)) {
    MergedShards merged = merge_shards(input);
    const Manifest& m = merged.prep.manifest;
    log_info("merging " + std::to_string(merged.shards) + " shards" +
             (merged.precomputed ? " of " + merged.precomputed->feature : std::string(" of prep")) + ": " +
             std::to_string(m.images.size()) + " images, " + std::to_string(m.duplicates.size()) + " duplicates and " +
             std::to_string(m.rejected.size()) + " unusable set aside");
    if (m.images.empty()) fail(ErrorKind::Corrupt, "the shards in " + input.string() + " hold no usable images");
    out.default_name = name_from(m.roots.front().path);
    out.manifest = std::move(merged.prep.manifest);
    out.precomputed = std::move(merged.precomputed);
    out.kind = "shards";
    return out;
  }
  fs::path manifest_file;
  if (fs::is_regular_file(input, ec))
    manifest_file = input;
  else if (fs::is_regular_file(input / "manifest.json", ec))
    manifest_file = input / "manifest.json";

  if (!manifest_file.empty()) {
    out.manifest = read_manifest(manifest_file);
    out.kind = "manifest";
    // A prep output folder is named for its step ("prep", "clean"): the
    // sources it describes name the collection better.
    out.default_name =
        name_from(out.manifest.roots.empty() ? resolved(manifest_file).parent_path() : out.manifest.roots.front().path);
    if (out.manifest.images.empty()) fail(ErrorKind::Corrupt, manifest_file.string() + " lists no usable images");
    return out;
  }

  PrepOptions prep;
  prep.sources = {input};
  prep.test_fraction = 0;
  prep.threads = threads;
  prep.show_progress = show_progress;
  PrepResult result = run_prep(prep);
  for (const auto& w : result.warnings) log_warning(printable(w));
  if (result.interrupted) fail(ErrorKind::Io, "interrupted while checking the images of " + input.string());
  std::size_t set_aside = 0;
  for (const auto& r : result.manifest.rejected) {
    if (set_aside++ < 10)
      log_warning("set aside (" + r.reason + "): " + printable(r.path) + ": " + printable(r.message));
  }
  for (const auto& d : result.manifest.duplicates) {
    if (set_aside++ < 10)
      log_info("set aside (" + d.kind + " duplicate): " + printable(d.image.path) + " duplicates " +
               printable(d.of_path));
  }
  if (set_aside > 10)
    log_info("… and " + std::to_string(set_aside - 10) + " more set aside (run `lookalike prep` to see them all)");
  if (result.manifest.images.empty())
    fail(ErrorKind::Corrupt, "no usable images in " + input.string() +
                                 (result.scanned == 0 ? " (no image files found)" : " (every image was set aside)"));
  out.manifest = std::move(result.manifest);
  out.kind = "folder";
  out.default_name = name_from(resolved(input));
  return out;
}

}  // namespace lookalike::cli
