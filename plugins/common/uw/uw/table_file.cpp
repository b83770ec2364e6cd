// CSV and YAML table parsing and word lists.
#include "uw/table_file.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace flowmind::uw {

int Table::column(std::string_view name) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return static_cast<int>(i);
  }
  return -1;
}

namespace {

std::string trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return std::string(text);
}

// One CSV record starting at text[pos]; pos ends past its line break. `line` counts lines.
std::vector<std::string> csv_record(std::string_view text, std::size_t& pos, std::size_t& line,
                                    const std::string& origin) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted_cell = false;
  const std::size_t start_line = line;
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == '"' && trimmed(cell).empty() && !quoted_cell) {
      cell.clear();
      quoted_cell = true;
      ++pos;
      while (true) {
        if (pos >= text.size()) {
          throw TableError(origin + ":" + std::to_string(start_line) + ": unterminated quoted cell");
        }
        if (text[pos] == '"') {
          if (pos + 1 < text.size() && text[pos + 1] == '"') {
            cell += '"';
            pos += 2;
            continue;
          }
          ++pos;
          break;
        }
        if (text[pos] == '\n') ++line;
        cell += text[pos++];
      }
      continue;
    }
    if (c == ',') {
      cells.push_back(quoted_cell ? cell : trimmed(cell));
      cell.clear();
      quoted_cell = false;
      ++pos;
      continue;
    }
    if (c == '\r' || c == '\n') {
      if (c == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') ++pos;
      ++pos;
      ++line;
      break;
    }
    if (!quoted_cell) cell += c;  // text after a closing quote is ignored
    ++pos;
  }
  cells.push_back(quoted_cell ? cell : trimmed(cell));
  return cells;
}

bool skippable(const std::vector<std::string>& cells) {
  if (cells.size() == 1 && cells[0].empty()) return true;
  return !cells.empty() && !cells[0].empty() && cells[0][0] == '#';
}

std::string scalar_text(const YAML::Node& node, const std::string& origin) {
  if (node.IsNull()) return "";
  if (!node.IsScalar()) {
    throw TableError(origin + ":" + std::to_string(node.Mark().line + 1) + ": expected a plain value");
  }
  return node.Scalar();
}

std::string lower_extension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

}  // namespace

Table parse_csv(std::string_view text, const std::string& origin) {
  Table table;
  std::size_t pos = 0;
  std::size_t line = 1;
  if (text.starts_with("\xEF\xBB\xBF")) pos = 3;  // a UTF-8 byte order mark from spreadsheets
  bool header = true;
  while (pos < text.size()) {
    const std::size_t record_line = line;
    auto cells = csv_record(text, pos, line, origin);
    if (skippable(cells)) continue;
    if (header) {
      for (const auto& name : cells) {
        if (name.empty()) throw TableError(origin + ":" + std::to_string(record_line) + ": empty column name");
      }
      table.columns = std::move(cells);
      header = false;
      continue;
    }
    if (cells.size() > table.columns.size()) {
      throw TableError(origin + ":" + std::to_string(record_line) + ": " + std::to_string(cells.size()) +
                       " cells, the header has " + std::to_string(table.columns.size()));
    }
    cells.resize(table.columns.size());
    table.rows.push_back(std::move(cells));
  }
  if (table.columns.empty()) throw TableError(origin + ": no header line");
  return table;
}

Table parse_yaml_table(std::string_view text, const std::string& origin) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& error) {
    throw TableError(origin + ":" + std::to_string(error.mark.line + 1) + ": " + error.msg);
  }
  Table table;
  auto column_of = [&](const std::string& name) {
    int index = table.column(name);
    if (index < 0) {
      table.columns.push_back(name);
      for (auto& row : table.rows) row.emplace_back();
      index = static_cast<int>(table.columns.size()) - 1;
    }
    return static_cast<std::size_t>(index);
  };
  auto add_map_row = [&](const YAML::Node& map, const std::string* key) {
    std::vector<std::string> row(table.columns.size());
    if (key != nullptr) row[column_of("key")] = *key;
    for (const auto& entry : map) {
      const auto index = column_of(scalar_text(entry.first, origin));
      row.resize(table.columns.size());
      row[index] = scalar_text(entry.second, origin);
    }
    row.resize(table.columns.size());
    table.rows.push_back(std::move(row));
  };
  try {
    if (root.IsSequence()) {
      for (const auto& item : root) {
        if (!item.IsMap()) {
          throw TableError(origin + ":" + std::to_string(item.Mark().line + 1) + ": each list item must be a map");
        }
        add_map_row(item, nullptr);
      }
    } else if (root.IsMap()) {
      bool scalars = true;
      for (const auto& entry : root) scalars = scalars && !entry.second.IsMap();
      if (scalars) {
        table.columns = {"key", "value"};
        for (const auto& entry : root) {
          table.rows.push_back({scalar_text(entry.first, origin), scalar_text(entry.second, origin)});
        }
      } else {
        column_of("key");
        for (const auto& entry : root) {
          if (!entry.second.IsMap()) {
            throw TableError(origin + ":" + std::to_string(entry.second.Mark().line + 1) +
                             ": mix of maps and plain values");
          }
          const std::string key = scalar_text(entry.first, origin);
          add_map_row(entry.second, &key);
        }
      }
    } else if (!root.IsNull()) {
      throw TableError(origin + ": expected a list of maps or a map");
    }
  } catch (const YAML::Exception& error) {
    throw TableError(origin + ":" + std::to_string(error.mark.line + 1) + ": " + error.msg);
  }
  if (table.columns.empty()) throw TableError(origin + ": the table is empty");
  return table;
}

std::string read_text_file(const std::filesystem::path& path, std::uintmax_t max_bytes) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) throw TableError(path.string() + ": cannot read: " + error.message());
  if (size > max_bytes) {
    throw TableError(path.string() + ": too large (" + std::to_string(size) + " bytes, limit " +
                     std::to_string(max_bytes) + ")");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TableError(path.string() + ": cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Table load_table(const std::filesystem::path& path) {
  const std::string text = read_text_file(path);
  const std::string ext = lower_extension(path);
  if (ext == ".yaml" || ext == ".yml" || ext == ".json") return parse_yaml_table(text, path.string());
  return parse_csv(text, path.string());
}

std::vector<std::string> parse_word_list(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool comment = false;
  for (char c : text) {
    if (c == '\n' || c == '\r') comment = false;
    if (c == '#') comment = true;
    const bool separator = c == ' ' || c == '\t' || c == ',' || c == '\n' || c == '\r' || c == ';';
    if (comment || separator) {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
      continue;
    }
    word += c;
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

std::vector<std::string> load_word_list(const std::filesystem::path& path) {
  return parse_word_list(read_text_file(path));
}

}  // namespace flowmind::uw
