#include "crawl/photo_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "common/files.h"
#include "crawl/safe_names.h"
#include "lookalike/common/error.h"

namespace fs = std::filesystem;

namespace lookalike::crawl {
namespace {

constexpr const char* kTemporaryMarker = ".partial-";

[[noreturn]] void io_failure(const std::string& what, const fs::path& path, int error_number) {
  fail(ErrorKind::Io, what + " " + path.string() + ": " + std::strerror(error_number));
}

}  // namespace

std::string extension_for(ImageFormat format) {
  switch (format) {
    case ImageFormat::Jpeg: return "jpg";
    case ImageFormat::Png: return "png";
    case ImageFormat::Gif: return "gif";
    case ImageFormat::Bmp: return "bmp";
    case ImageFormat::Tga: return "tga";
    default: return {};
  }
}

PhotoStore::PhotoStore(fs::path root) : root_(std::move(root)) {
  std::error_code ec;
  fs::create_directories(root_, ec);
  if (ec) fail(ErrorKind::Io, "cannot create folder " + root_.string() + ": " + ec.message());
  if (!fs::is_directory(root_, ec)) fail(ErrorKind::Io, "not a folder: " + root_.string());
  const fs::path lock_file = root_ / ".crawl.lock";
  lock_fd_ = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) io_failure("cannot create", lock_file, errno);
  // flock is released by the kernel when the process dies, even by SIGKILL,
  // so a killed crawl never leaves a stale lock behind.
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    const int e = errno;
    ::close(lock_fd_);
    lock_fd_ = -1;
    if (e == EWOULDBLOCK)
      fail(ErrorKind::Io, "another crawl is writing to " + root_.string() + " (it holds " + lock_file.string() + ")");
    io_failure("cannot lock", lock_file, e);
  }
}

PhotoStore::~PhotoStore() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

std::size_t PhotoStore::remove_leftover_temporaries() {
  std::size_t removed = 0;
  std::error_code ec;
  for (fs::directory_iterator folder(root_, ec), end; !ec && folder != end; folder.increment(ec)) {
    if (!folder->is_directory(ec) || folder->is_symlink(ec)) continue;
    std::error_code inner;
    for (fs::directory_iterator it(folder->path(), inner), stop; !inner && it != stop; it.increment(inner)) {
      const std::string name = it->path().filename().string();
      if (name.size() > 1 && name[0] == '.' && name.find(kTemporaryMarker) != std::string::npos &&
          it->is_regular_file(inner)) {
        std::error_code ignored;
        if (fs::remove(it->path(), ignored)) ++removed;
      }
    }
  }
  return removed;
}

std::string PhotoStore::relative_path(const std::string& folder, const std::string& stem, ImageFormat format) {
  return folder + "/" + stem + "." + extension_for(format);
}

std::string PhotoStore::find_existing(const std::string& folder, const std::string& stem) const {
  static const char* const extensions[] = {"jpg", "png", "gif", "bmp", "tga"};
  for (const char* ext : extensions) {
    const std::string relative = folder + "/" + stem + "." + ext;
    std::error_code ec;
    if (fs::is_regular_file(path_inside(root_, relative), ec)) return relative;
  }
  return {};
}

std::vector<std::uint8_t> PhotoStore::read(const std::string& relative) const {
  return cli::read_file(path_inside(root_, relative));
}

fs::path PhotoStore::write_temporary(const std::string& relative, const std::vector<std::uint8_t>& bytes) {
  const fs::path final_path = path_inside(root_, relative);
  std::error_code ec;
  fs::create_directories(final_path.parent_path(), ec);
  if (ec) fail(ErrorKind::Io, "cannot create folder " + final_path.parent_path().string() + ": " + ec.message());
  const fs::path temporary = final_path.parent_path() / ("." + final_path.filename().string() + kTemporaryMarker +
                                                         std::to_string(::getpid()) + "-" + std::to_string(++counter_));
  std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
  if (!out) io_failure("cannot write", temporary, errno);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    const int e = errno;
    discard(temporary);
    io_failure("cannot write", temporary, e);
  }
  return temporary;
}

void PhotoStore::place(const fs::path& temporary, const std::string& relative) {
  const fs::path final_path = path_inside(root_, relative);
  std::error_code ec;
  fs::rename(temporary, final_path, ec);
  if (ec) {
    discard(temporary);
    fail(ErrorKind::Io, "cannot move a download to " + final_path.string() + ": " + ec.message());
  }
}

void PhotoStore::discard(const fs::path& temporary) noexcept {
  std::error_code ignored;
  fs::remove(temporary, ignored);
}

}  // namespace lookalike::crawl
