#include "site/collection_items.h"

#include <map>
#include <optional>

#include "common/cli_context.h"
#include "common/error.h"
#include "common/files.h"
#include "common/parallel.h"
#include "common/progress.h"
#include "image/decode.h"
#include "site/thumbnail.h"

namespace lookalike::cli {

CollectionItem collection_item(const Manifest& manifest, const ManifestImage& image, std::uint32_t id) {
  CollectionItem item;
  item.id = id;
  item.label = image.label;
  item.thumbnail = "thumbs/" + std::to_string(id) + ".jpg";
  item.width = image.width;
  item.height = image.height;
  item.source.path = manifest.roots.size() > 1 ? manifest.roots[image.root].path.filename().string() + "/" + image.path : image.path;
  if (image.source) {
    item.source.url = image.source->url;
    item.source.page = image.source->page;
    item.source.owner = image.source->owner;
    item.source.title = image.source->title;
    item.source.licence = image.source->licence;
    item.source.licence_url = image.source->licence_url;
  }
  return item;
}

CollectionItemsResult build_collection_items(const Manifest& manifest, const std::filesystem::path& site,
                                             const CollectionItemsOptions& options) {
  const std::size_t n = manifest.images.size();
  if (!options.ids.empty() && options.ids.size() != n)
    fail(ErrorKind::InvalidArgument, std::to_string(options.ids.size()) + " ids given for " + std::to_string(n) + " images");
  auto id_of = [&](std::size_t i) { return options.ids.empty() ? std::uint32_t(i) : options.ids[i]; };

  std::vector<std::string> errors(n);
  std::vector<char> reused(n, 0);
  std::optional<Progress> progress;
  if (options.show_progress) progress.emplace("thumbnails", n);
  parallel_for(n, thread_count(options.threads), [&](std::size_t i) {
    if (interrupted()) return;
    const ManifestImage& image = manifest.images[i];
    const fs::path source = manifest.file(image);
    const fs::path target = site / "thumbs" / (std::to_string(id_of(i)) + ".jpg");
    std::error_code ec;
    if (options.reuse_existing && fs::exists(target, ec)) {
      const auto t = fs::last_write_time(target, ec);
      const auto s = fs::last_write_time(source, ec);
      if (!ec && t >= s) {
        reused[i] = 1;
        if (progress) progress->advance();
        return;
      }
    }
    try {
      const auto bytes = read_file(source);
      const DecodedImage decoded = decode_image(bytes.data(), bytes.size());
      const auto jpeg = thumbnail_jpeg(decoded.image, options.thumbnail_side, options.jpeg_quality);
      write_file_atomic(target, jpeg.data(), jpeg.size());
    } catch (const Error& e) {
      errors[i] = e.what();
    }
    if (progress) progress->advance();
  });
  CollectionItemsResult result;
  result.interrupted = interrupted();
  for (std::size_t i = 0; i < n; ++i) {
    const ManifestImage& image = manifest.images[i];
    if (!errors[i].empty()) {
      result.failures.push_back(image.path + ": " + errors[i]);
      continue;
    }
    if (result.interrupted && !reused[i]) continue;
    result.items.push_back(collection_item(manifest, image, id_of(i)));
    result.manifest_indices.push_back(i);
    if (reused[i]) ++result.reused;
    else ++result.written;
  }
  return result;
}

std::string licence_note_for(const std::vector<CollectionItem>& items) {
  std::map<std::string, std::size_t> counts;
  std::size_t unknown = 0;
  for (const auto& item : items) {
    if (item.source.licence.empty() || item.source.licence == "unknown") ++unknown;
    else ++counts[item.source.licence];
  }
  if (counts.empty())
    return "No licence is recorded for these images: make sure you may republish them before publishing this site.";
  std::string note = "Images remain their owners' work, under the licence given with each item: ";
  bool first = true;
  for (const auto& [licence, count] : counts) {
    note += (first ? "" : ", ") + licence + " (" + std::to_string(count) + ")";
    first = false;
  }
  if (unknown > 0) note += "; " + std::to_string(unknown) + " without a known licence, which may not be republishable";
  return note + ".";
}

}  // namespace lookalike::cli
