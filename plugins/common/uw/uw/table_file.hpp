// Lookup tables and word lists from user files: CSV (with header) or YAML, for enrich, movers, symbols.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace flowmind::uw {

// Thrown with "<file>:<line>: <problem>" (or "<file>: <problem>") when a file cannot be used.
class TableError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Rows of text cells; every row has columns.size() cells (missing cells are "").
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;

  // Index of a column, or -1.
  [[nodiscard]] int column(std::string_view name) const;
};

// CSV as RFC 4180 writes it: the first non-blank line is the header; quoted cells may hold commas,
// doubled quotes and line breaks; CRLF or LF; blank lines and lines starting with '#' are skipped.
// `origin` names the text in error messages.
Table parse_csv(std::string_view text, const std::string& origin);

// YAML in one of three shapes:
//   - a list of maps:   [{name: Nancy Pelosi, party: D}, ...]      columns in first-seen order
//   - a map of maps:    {Nancy Pelosi: {party: D, ...}, ...}        first column "key"
//   - a map of scalars: {SPY: 562.1, QQQ: 478}                     columns "key", "value"
// Scalars are kept as their text.
Table parse_yaml_table(std::string_view text, const std::string& origin);

// Reads a table file: .yaml/.yml/.json as YAML (JSON is YAML), anything else as CSV.
Table load_table(const std::filesystem::path& path);

// Words separated by blanks, commas or line breaks; '#' starts a comment to the end of the line.
std::vector<std::string> parse_word_list(std::string_view text);
std::vector<std::string> load_word_list(const std::filesystem::path& path);

// Reads a whole file (TableError when it cannot be read, or is larger than `max_bytes`).
std::string read_text_file(const std::filesystem::path& path, std::uintmax_t max_bytes = 64U << 20U);

}  // namespace flowmind::uw
