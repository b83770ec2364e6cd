// Renders config schemas as aligned text, Markdown tables and JSON from the one declarative table.
#include "schema_doc/schema_doc.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

namespace flowmind {
namespace {

// One table row: an option, or a field of a list/map option under its dotted key.
struct Row {
  std::string key;
  const Option* option;
};

void collect_rows(const Schema& schema, const std::string& prefix, std::vector<Row>& rows) {
  for (const auto& option : schema.options()) {
    const std::string key = prefix + option.key();
    rows.push_back({key, &option});
    if (option.field_schema()) {
      collect_rows(*option.field_schema(), key + (option.type() == OptionType::list ? "[]." : "."), rows);
    }
  }
}

std::vector<Row> rows_of(const Schema& schema) {
  std::vector<Row> rows;
  collect_rows(schema, "", rows);
  return rows;
}

std::string type_label(const Option& option) {
  if (option.type() != OptionType::list) return to_string(option.type());
  if (option.field_schema()) return "list[map]";
  if (option.item_type() != OptionType::any) return std::string("list[") + to_string(option.item_type()) + "]";
  return "list";
}

// Values as written in the schema: strings bare ("30s", "4MiB"), everything else as JSON, which
// is also valid YAML flow syntax.
std::string value_text(const nlohmann::json& value) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    return text.empty() ? std::string("\"\"") : text;
  }
  return value.dump();
}

std::string code(const std::string& text) {
  if (text.find('`') != std::string::npos) return text;
  return "`" + text + "`";
}

using Decorate = std::string (*)(const std::string&);

std::string plain(const std::string& text) { return text; }

std::string default_cell(const Option& option, Decorate decorate, const std::string& none) {
  if (option.is_required()) return "required";
  if (!option.default_doc().empty()) return option.default_doc();
  if (!option.default_value().is_null()) return decorate(value_text(option.default_value()));
  return none;
}

std::string allowed_cell(const Option& option, Decorate decorate) {
  std::string cell;
  for (const auto& value : option.allowed()) {
    if (!cell.empty()) cell += ", ";
    cell += decorate(value);
  }
  const auto& low = option.min_value();
  const auto& high = option.max_value();
  std::string range;
  if (!low.is_null() && !high.is_null()) {
    range = value_text(low) + " .. " + value_text(high);
  } else if (!low.is_null()) {
    range = ">= " + value_text(low);
  } else if (!high.is_null()) {
    range = "<= " + value_text(high);
  }
  if (!range.empty()) cell += (cell.empty() ? "" : "; ") + range;
  return cell;
}

// A Markdown cell must not contain a raw pipe or a line break.
std::string markdown_cell(const std::string& text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    if (c == '|') {
      escaped += "\\|";
    } else if (c == '\n' || c == '\r') {
      escaped += ' ';
    } else {
      escaped += c;
    }
  }
  return escaped;
}

std::string trim_right(std::string text) {
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

nlohmann::json option_to_json(const Option& option) {
  nlohmann::json out = nlohmann::json::object();
  out["key"] = option.key();
  out["type"] = to_string(option.type());
  out["doc"] = option.doc();
  out["required"] = option.is_required();
  if (!option.default_value().is_null()) out["default"] = option.default_value();
  if (!option.default_doc().empty()) out["default_doc"] = option.default_doc();
  if (!option.min_value().is_null()) out["min"] = option.min_value();
  if (!option.max_value().is_null()) out["max"] = option.max_value();
  if (!option.allowed().empty()) out["values"] = option.allowed();
  if (option.type() == OptionType::list) out["items"] = to_string(option.item_type());
  if (option.field_schema()) out["fields"] = schema_to_json(*option.field_schema());
  return out;
}

}  // namespace

std::string render_options_text(const Schema& schema) {
  const auto rows = rows_of(schema);
  if (rows.empty()) return "This plugin has no options.\n";

  using Line = std::array<std::string, 5>;
  std::vector<Line> lines;
  lines.push_back({"OPTION", "TYPE", "DEFAULT", "ALLOWED", "DESCRIPTION"});
  for (const auto& row : rows) {
    const Option& option = *row.option;
    lines.push_back(
        {row.key, type_label(option), default_cell(option, plain, "-"), allowed_cell(option, plain), option.doc()});
  }
  // Columns fit their cells up to a cap; a longer cell (a long default list) keeps its full
  // text and the rest of its row continues on the next line, still aligned.
  constexpr std::size_t max_width = 50;
  std::array<std::size_t, 4> widths{};
  for (const auto& line : lines) {
    for (std::size_t column = 0; column < widths.size(); ++column) {
      if (line[column].size() <= max_width) widths[column] = std::max(widths[column], line[column].size());
    }
  }
  std::array<std::size_t, 5> starts{};
  for (std::size_t column = 1; column < starts.size(); ++column) {
    starts[column] = starts[column - 1] + widths[column - 1] + 2;
  }
  std::string text;
  for (const auto& line : lines) {
    std::string out;
    for (std::size_t column = 0; column < starts.size(); ++column) {
      if (line[column].empty()) continue;
      if (column > 0 && out.size() + 2 > starts[column]) {
        text += trim_right(std::move(out)) + '\n';
        out.clear();
      }
      out.append(starts[column] - out.size(), ' ');
      out += line[column];
    }
    text += trim_right(std::move(out)) + '\n';
  }
  if (schema.allows_unknown_keys()) text += "Other keys are accepted as well.\n";
  return text;
}

std::string render_options_markdown(const Schema& schema) {
  const auto rows = rows_of(schema);
  if (rows.empty()) return "This plugin has no options.\n";

  std::string text = "| Option | Type | Default | Allowed | Description |\n|---|---|---|---|---|\n";
  for (const auto& row : rows) {
    const Option& option = *row.option;
    text += "| " + markdown_cell(code(row.key));
    text += " | " + markdown_cell(type_label(option));
    text += " | " + markdown_cell(default_cell(option, code, ""));
    text += " | " + markdown_cell(allowed_cell(option, code));
    text += " | " + markdown_cell(option.doc());
    text += " |\n";
  }
  return text;
}

nlohmann::json schema_to_json(const Schema& schema) {
  nlohmann::json options = nlohmann::json::array();
  for (const auto& option : schema.options()) options.push_back(option_to_json(option));
  return {{"options", std::move(options)}, {"allow_unknown_keys", schema.allows_unknown_keys()}};
}

nlohmann::json factory_to_json(const Factory& factory) {
  auto schema = schema_to_json(factory.schema());
  return {{"name", std::string(factory.name())},
          {"kind", to_string(factory.kind())},
          {"summary", std::string(factory.summary())},
          {"options", std::move(schema["options"])},
          {"allow_unknown_keys", schema["allow_unknown_keys"]}};
}

}  // namespace flowmind
