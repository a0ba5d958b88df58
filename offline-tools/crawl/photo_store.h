// The crawl's output folder: DIR/<term folder>/<photo stem>.<ext>.
//
// Photos are written under a hidden temporary name beside their final name
// (".<name>.partial-<pid>-<n>", which prep and the CLI's image listing skip)
// and renamed only once complete and decodable, so no reader ever sees half
// a photo. Temporaries left by a killed crawl are removed when the next one
// starts. A lock file keeps two crawls from writing the same folder at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "lookalike/image/image_format.h"

namespace lookalike::crawl {

class PhotoStore {
 public:
  // Creates `root` if needed and locks it (DIR/.crawl.lock). Throws
  // lookalike::Error(Io) when it cannot, or when another crawl holds it.
  explicit PhotoStore(std::filesystem::path root);
  ~PhotoStore();
  PhotoStore(const PhotoStore&) = delete;
  PhotoStore& operator=(const PhotoStore&) = delete;

  const std::filesystem::path& root() const { return root_; }

  // Deletes the temporaries a killed crawl left in DIR's folders; returns how many.
  std::size_t remove_leftover_temporaries();

  // "<folder>/<stem>.<ext>"; folder and stem must come from safe_names.h.
  static std::string relative_path(const std::string& folder, const std::string& stem, ImageFormat format);

  // The relative path of a finished photo "<folder>/<stem>.<any image ext>",
  // or empty when there is none.
  std::string find_existing(const std::string& folder, const std::string& stem) const;

  std::vector<std::uint8_t> read(const std::string& relative) const;

  // Writes bytes to a temporary beside `relative`; returns the temporary's path.
  std::filesystem::path write_temporary(const std::string& relative, const std::vector<std::uint8_t>& bytes);
  // Renames a temporary to its final place (replacing what is there).
  void place(const std::filesystem::path& temporary, const std::string& relative);
  void discard(const std::filesystem::path& temporary) noexcept;

 private:
  std::filesystem::path root_;
  int lock_fd_ = -1;
  std::atomic<std::uint64_t> counter_{0};
};

// "jpg", "png", "gif", "bmp", "tga"; empty for formats a crawl does not keep.
std::string extension_for(ImageFormat format);

}  // namespace lookalike::crawl
