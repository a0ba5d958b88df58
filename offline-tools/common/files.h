// File access for the CLI (the core only ever sees byte buffers). Every
// failure is a lookalike::Error(Io) whose message names the path and reason.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace lookalike::cli {

namespace fs = std::filesystem;

std::vector<std::uint8_t> read_file(const fs::path& path);
std::string read_text_file(const fs::path& path);

// Writes to "<path>.tmp-<pid>" and renames, so readers never see half a file.
void write_file_atomic(const fs::path& path, const void* data, std::size_t size);
void write_file_atomic(const fs::path& path, const std::string& text);

// Files under `root` (recursively, sorted, symlinks to files followed) whose
// extension is one of the image extensions below.
std::vector<fs::path> list_image_files(const fs::path& root);
bool has_image_extension(const fs::path& path);  // .jpg .jpeg .png .bmp .gif .tga .webp .avif .heic .tif .tiff

// Throws Error(Io) "no such folder: <path>" unless it is an existing directory.
void require_directory(const fs::path& path);

}  // namespace lookalike::cli
