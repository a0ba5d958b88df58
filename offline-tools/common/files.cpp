#include "common/files.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "common/text.h"
#include "lookalike/common/error.h"

namespace lookalike::cli {
namespace {

[[noreturn]] void io_error(const std::string& what, const fs::path& path, int error_number) {
  fail(ErrorKind::Io, what + " " + path.string() + ": " + std::strerror(error_number));
}

}  // namespace

std::vector<std::uint8_t> read_file(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) fail(ErrorKind::Io, "cannot read " + path.string() + ": it is a folder");
  std::ifstream in(path, std::ios::binary);
  if (!in) io_error("cannot read", path, errno);
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) io_error("cannot read", path, errno);
  in.seekg(0);
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), size)) io_error("cannot read", path, errno);
  return bytes;
}

std::string read_text_file(const fs::path& path) {
  const auto bytes = read_file(path);
  return std::string(bytes.begin(), bytes.end());
}

void write_file_atomic(const fs::path& path, const void* data, std::size_t size) {
  if (path.has_parent_path()) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) fail(ErrorKind::Io, "cannot create folder " + path.parent_path().string() + ": " + ec.message());
  }
  const fs::path temporary = path.string() + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) io_error("cannot write", temporary, errno);
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
    out.flush();
    if (!out) {
      const int e = errno;
      std::error_code ignored;
      fs::remove(temporary, ignored);
      io_error("cannot write", path, e);
    }
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) {
    fs::remove(temporary, ec);
    fail(ErrorKind::Io, "cannot write " + path.string() + ": " + ec.message());
  }
}

void write_file_atomic(const fs::path& path, const std::string& text) {
  write_file_atomic(path, text.data(), text.size());
}

bool has_image_extension(const fs::path& path) {
  const std::string ext = lower_ascii(path.extension().string());
  static const char* const known[] = {".jpg",  ".jpeg", ".png",  ".bmp",  ".gif", ".tga",
                                      ".webp", ".avif", ".heic", ".heif", ".tif", ".tiff"};
  return std::any_of(std::begin(known), std::end(known), [&](const char* k) { return ext == k; });
}

void require_directory(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) fail(ErrorKind::Io, "no such folder: " + path.string());
  if (!fs::is_directory(path, ec)) fail(ErrorKind::Io, "not a folder: " + path.string());
}

std::vector<fs::path> list_image_files(const fs::path& root) {
  require_directory(root);
  std::vector<fs::path> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::follow_directory_symlink, ec), end;
  if (ec) fail(ErrorKind::Io, "cannot list " + root.string() + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) fail(ErrorKind::Io, "cannot list " + root.string() + ": " + ec.message());
    const fs::path& p = it->path();
    if (!p.filename().empty() && p.filename().string()[0] == '.') {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;  // hidden files and folders (.git, .tmp downloads)
    }
    if (it->is_regular_file(ec) && has_image_extension(p)) files.push_back(p);
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace lookalike::cli
