// File name templates: strftime fields plus {pipeline} and {channel}, their expansion and the files they match.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace flowmind {

// A channel or pipeline name made safe as one path component: characters other than letters,
// digits, '.', '-' and '_' become '_' ("price:SPY" -> "price_SPY"), and "." / ".." are escaped.
std::string safe_path_component(std::string_view name);

class PathTemplate {
 public:
  // Throws std::invalid_argument for an unknown {placeholder}, a '}' without '{', or an empty text.
  explicit PathTemplate(std::string text);

  [[nodiscard]] const std::string& text() const { return text_; }
  [[nodiscard]] bool uses_channel() const { return uses_channel_; }

  // The file for an event of `channel` at `time` (strftime in UTC or local time).
  [[nodiscard]] std::string expand(std::chrono::system_clock::time_point time, bool utc, std::string_view pipeline,
                                   std::string_view channel) const;

  // Every file this template can have written for `pipeline`, rotated (see rotated_path) and
  // gzipped ones included, by walking the folder that holds them. Sorted by name.
  [[nodiscard]] std::vector<std::filesystem::path> existing_files(std::string_view pipeline) const;

 private:
  // The names this template produces: literal text, any run of characters but '/' (a strftime
  // field, {channel}), an optional rotation stamp before the extension, an optional ".gz[.part]".
  struct NamePattern {
    enum class Kind { literal, any, stamp };
    struct Token {
      Kind kind;
      std::string text;
    };
    std::vector<Token> tokens;
    [[nodiscard]] bool matches(std::string_view name, std::size_t token = 0, std::size_t pos = 0) const;
  };
  [[nodiscard]] NamePattern name_pattern(std::string_view pipeline) const;

  std::string text_;
  bool uses_channel_ = false;
};

// The name a rotated file gets: its UTC close time inserted before the extension,
// "data/flow.jsonl" -> "data/flow.20240918T100000.000Z.jsonl"; "_002", "_003"... when taken.
std::filesystem::path rotated_path(const std::filesystem::path& active,
                                   std::chrono::system_clock::time_point closed_at);

// True for names made by rotated_path (with or without a ".gz" suffix).
bool is_rotated_name(const std::string& file_name);

}  // namespace flowmind
