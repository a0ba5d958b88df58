#include "partitioned/embeddings_input.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "lookalike/common/error.h"
#include "lookalike/index/item_record.h"

namespace lookalike::cli {

EmbeddingsInput load_embeddings_input(const std::filesystem::path& npy, const std::filesystem::path& jsonl) {
  EmbeddingsInput input{NpyMatrix::open(npy), {}};
  std::ifstream in(jsonl);
  if (!in) fail(ErrorKind::Io, "cannot open " + jsonl.string() + ": " + std::strerror(errno));
  input.items.reserve(input.matrix.rows());
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = jsonl.string() + ":" + std::to_string(number);
    const std::uint32_t row = static_cast<std::uint32_t>(input.items.size());
    if (input.items.size() == input.matrix.rows())
      fail(ErrorKind::Corrupt,
           where + ": more items than the " + std::to_string(input.matrix.rows()) + " rows of " + npy.string());
    ItemRecord record;
    try {
      record = parse_item_record(line);
    } catch (const Error& e) {
      fail(e.kind(), where + ": " + e.what());
    }
    CollectionItem item;
    item.id = row;  // the row of the matrix
    item.label = record.label;
    item.width = record.width;
    item.height = record.height;
    item.source = record.source;
    input.items.push_back(std::move(item));
  }
  if (in.bad()) fail(ErrorKind::Io, "cannot read " + jsonl.string());
  if (input.items.size() != input.matrix.rows())
    fail(ErrorKind::Corrupt, jsonl.string() + " describes " + std::to_string(input.items.size()) + " items but " +
                                 npy.string() + " has " + std::to_string(input.matrix.rows()) + " rows");
  return input;
}

}  // namespace lookalike::cli
