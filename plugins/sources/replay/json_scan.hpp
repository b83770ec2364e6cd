// A validating JSON scanner that finds where values start and end without building a DOM.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace flowmind {

// Replay must hand on the payload exactly as recorded (same bytes, same key order), so it
// locates the payload inside the line instead of parsing and re-serializing it.
class JsonScanner {
 public:
  explicit JsonScanner(std::string_view text) : text_(text) {}

  void skip_space();
  [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
  [[nodiscard]] std::size_t position() const { return pos_; }
  [[nodiscard]] char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool consume(char c);

  // Skips one complete, valid JSON value; returns its text, or nullopt (position undefined).
  std::optional<std::string_view> value();
  // A string value, unescaped.
  std::optional<std::string> string();

  // Calls `member(key, value_text)` for each member of the object at the current position;
  // false on malformed input or when `member` returns false.
  bool object(const std::function<bool(const std::string& key, std::string_view value)>& member);

 private:
  bool skip_string();
  bool skip_number();
  bool skip_literal(std::string_view word);
  bool skip_value(int depth);

  std::string_view text_;
  std::size_t pos_ = 0;
};

// The text of a JSON string literal (with its quotes), unescaped; nullopt when invalid.
std::optional<std::string> unescape_json_string(std::string_view literal);

}  // namespace flowmind
