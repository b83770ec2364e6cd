// JSONL and CSV lines for the file_writer.
#include "line_format.hpp"

#include <cstring>

namespace flowmind {
namespace {

std::vector<std::string> split_dotted(std::string_view text) {
  std::vector<std::string> parts;
  while (!text.empty()) {
    const auto dot = text.find('.');
    parts.emplace_back(text.substr(0, dot));
    if (dot == std::string_view::npos) break;
    text.remove_prefix(dot + 1);
  }
  return parts;
}

const nlohmann::json* descend(const nlohmann::json& root, const std::vector<std::string>& path) {
  const nlohmann::json* node = &root;
  for (const auto& key : path) {
    if (node->is_object()) {
      const auto it = node->find(key);
      if (it == node->end()) return nullptr;
      node = &*it;
    } else if (node->is_array()) {
      if (key.empty() || key.find_first_not_of("0123456789") != std::string::npos || key.size() > 9) return nullptr;
      const auto index = std::stoul(key);
      if (index >= node->size()) return nullptr;
      node = &(*node)[index];
    } else {
      return nullptr;
    }
  }
  return node;
}

std::string value_text(const nlohmann::json* value) {
  if (value == nullptr || value->is_null()) return {};
  if (value->is_string()) return value->get<std::string>();
  return value->dump();
}

}  // namespace

void append_jsonl_line(const Event& event, std::string& out) {
  const std::string& wire = event.wire();
  const std::size_t start = out.size();
  out += wire;
  if (std::memchr(wire.data(), '\n', wire.size()) != nullptr ||
      std::memchr(wire.data(), '\r', wire.size()) != nullptr) {
    for (std::size_t i = start; i < out.size(); ++i) {
      if (out[i] == '\n' || out[i] == '\r') out[i] = ' ';
    }
  }
  out += '\n';
}

void append_csv_value(std::string_view value, std::string& out) {
  const bool quote = value.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!quote) {
    out += value;
    return;
  }
  out += '"';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

CsvFormat::CsvFormat(std::vector<std::string> columns) : names_(std::move(columns)) {
  for (const auto& name : names_) {
    if (name == "channel") {
      columns_.push_back({Part::channel, {}});
    } else if (name == "timestamp") {
      columns_.push_back({Part::timestamp, {}});
    } else if (name == "sequence") {
      columns_.push_back({Part::sequence, {}});
    } else if (name == "data") {
      columns_.push_back({Part::data, {}});
    } else if (name == "annotations") {
      columns_.push_back({Part::annotations, {}});
    } else if (name.starts_with("data.")) {
      columns_.push_back({Part::data, split_dotted(std::string_view(name).substr(5))});
    } else if (name.starts_with("annotations.")) {
      columns_.push_back({Part::annotations, split_dotted(std::string_view(name).substr(12))});
    } else {
      columns_.push_back({Part::data, split_dotted(name)});
    }
  }
}

std::string CsvFormat::header() const {
  std::string line;
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (i > 0) line += ',';
    append_csv_value(names_[i], line);
  }
  line += '\n';
  return line;
}

void CsvFormat::append_row(const Event& event, std::string& out) const {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (i > 0) out += ',';
    const Column& column = columns_[i];
    switch (column.part) {
      case Part::channel: append_csv_value(event.channel(), out); break;
      case Part::timestamp: out += Event::iso8601_ms(event.received_at()); break;
      case Part::sequence: out += std::to_string(event.sequence()); break;
      case Part::data:
        if (column.path.empty()) {
          append_csv_value(event.raw(), out);
        } else {
          try {
            append_csv_value(value_text(descend(event.payload(), column.path)), out);
          } catch (const PayloadError&) {
            // A payload that is not JSON has no fields: the cell stays empty.
          }
        }
        break;
      case Part::annotations:
        if (column.path.empty()) {
          if (!event.annotation_list().empty()) {
            // The same text, in the same key order, as the "annotations" of the wire envelope.
            std::string text;
            event.annotation_list().append_json(text);
            append_csv_value(text, out);
          }
        } else {
          append_csv_value(value_text(descend(event.annotations(), column.path)), out);
        }
        break;
    }
  }
  out += '\n';
}

}  // namespace flowmind
