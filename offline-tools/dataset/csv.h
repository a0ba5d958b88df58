// A small RFC 4180 CSV reader for dataset label files (labels.csv):
// comma-separated, fields optionally in double quotes ("" is a quote inside),
// LF or CRLF line ends, an optional UTF-8 byte-order mark.
#pragma once

#include <string>
#include <vector>

namespace lookalike::cli {

struct CsvRow {
  int line = 0;  // 1-based line where the row starts, for error messages
  std::vector<std::string> fields;
};

// Parses the whole text; blank lines are skipped. Throws Error(Corrupt)
// "<name>: line N: …" for an unterminated quote or text after a closing quote.
std::vector<CsvRow> parse_csv(const std::string& text, const std::string& name);

}  // namespace lookalike::cli
