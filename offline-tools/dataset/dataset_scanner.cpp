#include "dataset/dataset_scanner.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "common/files.h"
#include "common/text.h"
#include "dataset/crawl_records.h"
#include "dataset/csv.h"
#include "lookalike/common/error.h"

namespace lookalike::cli {
namespace {

// The label a folder layout gives: the first folder under the root, or the
// root's own name for images directly inside it.
std::string folder_label(const std::string& relative, const fs::path& root) {
  const auto slash = relative.find('/');
  if (slash != std::string::npos) return relative.substr(0, slash);
  const std::string name = root.filename().string();
  return name.empty() ? std::string("images") : name;
}

std::vector<std::string> relative_image_paths(const fs::path& root) {
  std::vector<std::string> out;
  for (const auto& file : list_image_files(root)) out.push_back(file.lexically_relative(root).generic_string());
  std::sort(out.begin(), out.end());
  return out;
}

// A labels.csv path must name a file inside the root.
bool stays_inside(const std::string& path) {
  if (path.empty() || path[0] == '/') return false;
  for (const auto& part : fs::path(path)) {
    if (part == "..") return false;
  }
  return true;
}

void scan_labels_csv(DatasetScan& scan, std::size_t root_index) {
  const fs::path root = scan.roots[root_index].path;
  const fs::path csv_path = root / "labels.csv";
  const std::string name = csv_path.string();
  const auto rows = parse_csv(read_text_file(csv_path), name);
  if (rows.empty()) fail(ErrorKind::Corrupt, name + ": empty (expected a header line with path and label)");
  int path_col = -1, label_col = -1, split_col = -1;
  for (std::size_t c = 0; c < rows[0].fields.size(); ++c) {
    const std::string h = lower_ascii(trim(rows[0].fields[c]));
    if (h == "path" || h == "file")
      path_col = int(c);
    else if (h == "label" || h == "class")
      label_col = int(c);
    else if (h == "split")
      split_col = int(c);
  }
  if (path_col < 0 || label_col < 0)
    fail(
        ErrorKind::Corrupt, name + ": line 1: the header must name a path and a label column (found \"" + [&] {
          std::string joined;
          for (const auto& f : rows[0].fields) joined += (joined.empty() ? "" : ",") + f;
          return joined;
        }() + "\")");
  std::map<std::string, SourceImage> listed;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    const std::string where = name + ": line " + std::to_string(row.line) + ": ";
    auto cell = [&](int col) {
      return col >= 0 && std::size_t(col) < row.fields.size() ? trim(row.fields[col]) : std::string();
    };
    const std::string path = fs::path(cell(path_col)).lexically_normal().generic_string();
    const std::string label = cell(label_col);
    if (cell(path_col).empty()) fail(ErrorKind::Corrupt, where + "empty path");
    if (!stays_inside(path)) fail(ErrorKind::Corrupt, where + "path \"" + cell(path_col) + "\" leaves the folder");
    if (label.empty()) fail(ErrorKind::Corrupt, where + "empty label for " + path);
    Split split = Split::None;
    try {
      split = parse_split(cell(split_col));
    } catch (const Error& e) {
      fail(ErrorKind::Corrupt, where + e.what());
    }
    if (listed.count(path)) fail(ErrorKind::Corrupt, where + path + " is listed twice");
    SourceImage image;
    image.root = root_index;
    image.path = path;
    image.label = label;
    image.given_split = split;
    listed.emplace(path, image);
  }
  const auto on_disk = relative_image_paths(root);
  const std::set<std::string> present(on_disk.begin(), on_disk.end());
  for (auto& [path, image] : listed) {
    std::error_code ec;
    if (present.count(path) || fs::is_regular_file(root / path, ec)) {
      scan.images.push_back(image);
    } else {
      scan.problems.push_back({root_index, path, image.label, "missing", "listed in labels.csv but not found"});
    }
  }
  for (const auto& path : on_disk)
    if (!listed.count(path))
      scan.problems.push_back({root_index, path, folder_label(path, root), "unlisted", "not listed in labels.csv"});
}

void scan_crawl(DatasetScan& scan, std::size_t root_index) {
  const fs::path root = scan.roots[root_index].path;
  const CrawlRecords records = CrawlRecords::read(root / "crawl.jsonl");
  for (const auto& w : records.warnings()) scan.warnings.push_back(w);
  std::size_t without_record = 0;
  for (const auto& path : relative_image_paths(root)) {
    SourceImage image;
    image.root = root_index;
    image.path = path;
    image.label = folder_label(path, root);
    if (const Attribution* a = records.find(path))
      image.attribution = *a;
    else
      ++without_record;
    scan.images.push_back(image);
  }
  if (without_record > 0)
    scan.warnings.push_back(root.string() + ": " + std::to_string(without_record) +
                            " image(s) have no record in crawl.jsonl (no attribution)");
}

void scan_folders(DatasetScan& scan, std::size_t root_index) {
  const fs::path root = scan.roots[root_index].path;
  for (const auto& path : relative_image_paths(root)) {
    SourceImage image;
    image.root = root_index;
    image.path = path;
    image.label = folder_label(path, root);
    scan.images.push_back(image);
  }
}

}  // namespace

const char* layout_name(SourceLayout layout) {
  switch (layout) {
    case SourceLayout::Folders: return "folders";
    case SourceLayout::LabelsCsv: return "labels-csv";
    case SourceLayout::Crawl: return "crawl";
  }
  return "folders";
}

SourceLayout parse_layout(const std::string& name) {
  if (name == "folders") return SourceLayout::Folders;
  if (name == "labels-csv") return SourceLayout::LabelsCsv;
  if (name == "crawl") return SourceLayout::Crawl;
  fail(ErrorKind::Corrupt, "unknown source layout \"" + name + "\" (expected folders, labels-csv or crawl)");
}

DatasetScan scan_dataset(const std::vector<fs::path>& roots) {
  DatasetScan scan;
  std::set<fs::path> seen;
  for (const auto& given : roots) {
    require_directory(given);
    std::error_code ec;
    const fs::path root = fs::canonical(given, ec);
    if (ec) fail(ErrorKind::Io, "cannot resolve " + given.string() + ": " + ec.message());
    if (!seen.insert(root).second) fail(ErrorKind::InvalidArgument, "source folder given twice: " + given.string());
    SourceRoot source{root, SourceLayout::Folders};
    if (fs::is_regular_file(root / "crawl.jsonl", ec))
      source.layout = SourceLayout::Crawl;
    else if (fs::is_regular_file(root / "labels.csv", ec))
      source.layout = SourceLayout::LabelsCsv;
    scan.roots.push_back(source);
    const std::size_t index = scan.roots.size() - 1;
    switch (source.layout) {
      case SourceLayout::Crawl: scan_crawl(scan, index); break;
      case SourceLayout::LabelsCsv: scan_labels_csv(scan, index); break;
      case SourceLayout::Folders: scan_folders(scan, index); break;
    }
  }
  std::stable_sort(scan.images.begin(), scan.images.end(), [](const SourceImage& a, const SourceImage& b) {
    return a.root != b.root ? a.root < b.root : a.path < b.path;
  });
  return scan;
}

}  // namespace lookalike::cli
