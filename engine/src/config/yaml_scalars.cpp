// Typing of plain scalars, shared by the generic (`any`) conversion and the typed options.
#include "config/yaml_scalars.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

namespace flowmind {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool all_of(std::string_view text, int (*predicate)(int)) {
  if (text.empty()) return false;
  for (char c : text) {
    if (predicate(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

int is_octal(int c) { return c >= '0' && c <= '7' ? 1 : 0; }
int is_decimal(int c) { return c >= '0' && c <= '9' ? 1 : 0; }
int is_hex(int c) { return is_decimal(c) != 0 || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ? 1 : 0; }

// YAML 1.2 core float: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool looks_like_float(std::string_view text) {
  std::size_t pos = 0;
  const auto digits = [&] {
    const std::size_t start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) != 0) ++pos;
    return pos - start;
  };
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) ++pos;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    if (digits() == 0) return false;
  } else {
    if (digits() == 0) return false;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      digits();
    }
  }
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) ++pos;
    if (digits() == 0) return false;
  }
  return pos == text.size();
}

}  // namespace

bool looks_like_int(std::string_view text) {
  if (text.size() > 2 && text[0] == '0' && text[1] == 'x') return all_of(text.substr(2), is_hex);
  if (text.size() > 2 && text[0] == '0' && text[1] == 'o') return all_of(text.substr(2), is_octal);
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  return all_of(text, is_decimal);
}

std::optional<std::int64_t> parse_int_literal(std::string_view text) {
  if (!looks_like_int(text)) return std::nullopt;
  int base = 10;
  std::string digits(text);
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'o')) {
    base = text[1] == 'x' ? 16 : 8;
    digits = std::string(text.substr(2));
  }
  errno = 0;
  char* end = nullptr;
  const long long value = std::strtoll(digits.c_str(), &end, base);
  if (errno == ERANGE || end != digits.c_str() + digits.size()) return std::nullopt;
  return static_cast<std::int64_t>(value);
}

std::optional<double> parse_float_literal(std::string_view text) {
  if (!looks_like_float(text)) return std::nullopt;
  const std::string copy(text);
  errno = 0;
  const double value = std::strtod(copy.c_str(), nullptr);
  if (errno == ERANGE || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<bool> parse_bool_word(std::string_view text) {
  const std::string word = lower(text);
  if (word == "true" || word == "yes" || word == "on") return true;
  if (word == "false" || word == "no" || word == "off") return false;
  return std::nullopt;
}

nlohmann::json core_scalar(std::string_view text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  if (looks_like_int(text)) {
    if (auto value = parse_int_literal(text)) return *value;
    return std::string(text);  // beyond int64: keep every digit rather than round
  }
  if (auto value = parse_float_literal(text)) return *value;
  return std::string(text);
}

}  // namespace flowmind
