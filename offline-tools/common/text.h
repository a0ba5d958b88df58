// Small text helpers for tables and messages printed to a terminal.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lookalike::cli {

// Control characters (which could move the cursor or recolour a terminal:
// labels and titles may come from crawled text) become '?'.
std::string printable(const std::string& text);

// At most `max_bytes` of UTF-8 text, cut before a whole character, "…" added when cut.
std::string shortened(const std::string& text, std::size_t max_bytes);

// "%.*f"
std::string fixed(double value, int decimals);

// ASCII letters in lower / upper case, other bytes as they are (HTTP header
// names, file extensions, licence codes: never locale-dependent).
std::string lower_ascii(std::string text);
std::string upper_ascii(std::string text);

// Without leading and trailing spaces, tabs, CR and LF.
std::string trim(const std::string& text);

// A plain-text table: columns padded to their widest cell, the first
// `left_columns` and those from `left_from` on left-aligned and the others
// (numbers) right-aligned, two spaces apart.
std::string format_table(const std::vector<std::vector<std::string>>& rows, std::size_t left_columns = 1,
                         std::size_t left_from = SIZE_MAX);

// Splits "1,5,10" at commas; empty items are dropped.
std::vector<std::string> split_list(const std::string& text);

// UTC now as "2026-11-27T10:00:00Z".
std::string utc_timestamp();

// The time a build records: SOURCE_DATE_EPOCH (seconds since 1970, the
// reproducible-builds convention) when it is set, else now. Refuses a
// SOURCE_DATE_EPOCH that is not a number of seconds.
std::string build_timestamp();

}  // namespace lookalike::cli
