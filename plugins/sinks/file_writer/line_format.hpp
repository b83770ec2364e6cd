// Turns an event into one line of a file: the JSON envelope (JSONL) or configured CSV columns.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "flowmind/event.hpp"

namespace flowmind {

// The envelope every sink shares (Event::wire()) plus '\n'. A payload that arrived pretty-printed
// has its line breaks turned into spaces (JSON allows both between tokens) so one event stays one line.
void append_jsonl_line(const Event& event, std::string& out);

// RFC 4180 quoting: a value holding ',', '"', a line break, or leading/trailing spaces is
// quoted, with '"' doubled.
void append_csv_value(std::string_view value, std::string& out);

// CSV with a fixed list of columns. A column names a part of the envelope: `channel`,
// `timestamp`, `sequence`, `data` (the payload text), `annotations` (JSON text),
// `data.<path>` or `annotations.<path>` (dotted, list indexes as numbers); any other name is a
// payload field path (`ticker` = `data.ticker`). Missing values are empty; objects and lists are
// written as JSON text.
class CsvFormat {
 public:
  explicit CsvFormat(std::vector<std::string> columns);

  [[nodiscard]] std::string header() const;
  void append_row(const Event& event, std::string& out) const;

 private:
  enum class Part { channel, timestamp, sequence, data, annotations };
  struct Column {
    Part part;
    std::vector<std::string> path;  // below data or annotations
  };

  std::vector<std::string> names_;
  std::vector<Column> columns_;
};

}  // namespace flowmind
