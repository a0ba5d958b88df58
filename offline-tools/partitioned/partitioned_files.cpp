#include "partitioned/partitioned_files.h"

#include <algorithm>
#include <fstream>

#include "common/files.h"
#include "lookalike/common/error.h"
#include "lookalike/index/partitioned_format.h"

namespace lookalike::cli {
namespace {

std::uint32_t load_u32(const std::uint8_t* p) {
  return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8) | (std::uint32_t(p[2]) << 16) | (std::uint32_t(p[3]) << 24);
}

}  // namespace

PartitionedFiles PartitionedFiles::open(const std::filesystem::path& header_file, std::size_t cache_bytes) {
  const std::vector<std::uint8_t> bytes = read_file(header_file);
  PartitionedFiles files;
  files.header_file_ = header_file;
  try {
    files.index_ = std::make_shared<PartitionedIndex>(PartitionedIndex::load_header(bytes.data(), bytes.size()));
  } catch (const Error& e) {
    fail(e.kind(), header_file.string() + ": " + e.what());
  }
  files.cache_ = std::make_shared<ListCache>(cache_bytes);
  return files;
}

std::filesystem::path PartitionedFiles::data_file(std::uint32_t file) const {
  return header_file_.parent_path() / PartitionedIndex::data_file_name(header_file_.filename().string(), file);
}

std::uint64_t PartitionedFiles::total_bytes() const {
  std::error_code ec;
  std::uint64_t total = std::filesystem::file_size(header_file_, ec);
  for (const std::uint64_t b : index_->header().file_bytes) total += b;
  return total;
}

std::vector<std::uint8_t> PartitionedFiles::read_range(std::uint32_t file, std::uint64_t offset,
                                                       std::uint64_t bytes) const {
  const std::filesystem::path path = data_file(file);
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(ErrorKind::Io, "cannot open " + path.string() + " (a data file of " + header_file_.string() + ")");
  std::vector<std::uint8_t> out(bytes);
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(bytes));
  if (static_cast<std::uint64_t>(in.gcount()) != bytes)
    fail(ErrorKind::Corrupt, path.string() + " ends before byte " + std::to_string(offset + bytes) +
                                 ", where the header says a list ends: truncated? (rebuild the index)");
  return out;
}

std::shared_ptr<const PartitionedList> PartitionedFiles::list(std::uint32_t number) {
  if (auto cached = cache_->get(number)) return cached;
  if (number >= index_->list_count())
    fail(ErrorKind::InvalidArgument, header_file_.string() + " has no list " + std::to_string(number));
  const ListLocation& where = index_->header().lists[number];
  const std::vector<std::uint8_t> bytes = read_range(where.file, where.offset, where.bytes);
  std::shared_ptr<const PartitionedList> list;
  try {
    list = std::make_shared<const PartitionedList>(PartitionedList::parse(*index_, number, bytes.data(), bytes.size()));
  } catch (const Error& e) {
    fail(e.kind(), data_file(where.file).string() + ": " + e.what());
  }
  cache_->put(list);
  return list;
}

PartitionedSearch PartitionedFiles::search(const float* query, const PartitionedSearchOptions& options) {
  PartitionedSearch search(*index_, query, options);
  while (!search.done()) {
    const std::vector<std::uint32_t> wanted = search.wanted();
    for (const std::uint32_t number : wanted) search.score(*list(number));
  }
  return search;
}

std::vector<std::uint32_t> PartitionedFiles::ids() const {
  std::vector<std::uint32_t> out;
  out.reserve(index_->size());
  for (const ListLocation& l : index_->header().lists) {
    const std::vector<std::uint8_t> ids = read_range(l.file, l.offset, std::uint64_t(l.count) * 4);
    for (std::size_t i = 0; i < l.count; ++i) out.push_back(load_u32(ids.data() + 4 * i));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::uint32_t> PartitionedFiles::list_of(std::uint32_t id) {
  const auto& lists = index_->header().lists;
  for (std::uint32_t l = 0; l < lists.size(); ++l) {
    if (lists[l].count == 0) continue;
    const std::vector<std::uint8_t> ids = read_range(lists[l].file, lists[l].offset, std::uint64_t(lists[l].count) * 4);
    const std::uint32_t first = load_u32(ids.data()), last = load_u32(ids.data() + ids.size() - 4);
    if (id < first || id > last) continue;
    if (list(l)->find(id)) return l;
  }
  return std::nullopt;
}

}  // namespace lookalike::cli
