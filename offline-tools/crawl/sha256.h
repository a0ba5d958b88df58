// SHA-256 of a byte buffer as lowercase hex, the content fingerprint that
// crawl.jsonl records for every photo (and that finds the same photo under
// another id or term). Computed by OpenSSL's libcrypto: already on every
// machine that has libcurl, widely audited, and no hand-written crypto here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace lookalike::crawl {

std::string sha256_hex(const void* data, std::size_t size);
inline std::string sha256_hex(const std::string& text) { return sha256_hex(text.data(), text.size()); }
// Of a whole file (a model file, to tell which one made some embeddings); Error(Io) when unreadable.
std::string file_sha256(const std::filesystem::path& file);

}  // namespace lookalike::crawl
