// Tolerant readers for UW values: numbers that may be strings or empty, booleans, symbols.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "uw/json_scan.hpp"

namespace flowmind::uw {

// What a tolerant read found: no value (absent, null, "" or blanks), a value, or something that
// is there but cannot be read (wrong type, garbage text, NaN, infinity, out of range).
enum class ReadStatus : std::uint8_t { missing, ok, unreadable };

template <typename T>
struct Read {
  ReadStatus status = ReadStatus::missing;
  T value{};

  [[nodiscard]] bool ok() const { return status == ReadStatus::ok; }
  static Read missing() { return {}; }
  static Read unreadable() { return {ReadStatus::unreadable, T{}}; }
  static Read of(T v) { return {ReadStatus::ok, v}; }
};

// A decimal number as text: optional surrounding blanks, optional sign (+ or -), digits with an
// optional fraction and exponent. Rejects NaN, infinities, hex, thousands separators, and
// anything that overflows a double.
std::optional<double> parse_decimal(std::string_view text);

// A finite number from a JSON number or a numeric string. With `allow_negative` false a negative
// value is unreadable (prices, sizes and premiums are never negative).
Read<double> read_number(const JsonView& value, bool allow_negative = false);

// true/false, also as strings ("true", "false", "1", "0", "yes", "no") and 0/1 numbers.
Read<bool> read_bool(const JsonView& value);

// The text of a string value with surrounding blanks removed; missing when null/absent/blank,
// unreadable for other types or a bad escape. `scratch` holds decoded text when escapes occur.
Read<std::string_view> read_text(const JsonView& value, std::string& scratch);

// A number for an annotation: whole numbers as JSON integers (exact, and several times cheaper to
// write on the wire than doubles; every JSON reader sees the same number), others as doubles.
inline nlohmann::json json_number(double value) {
  constexpr double exact_limit = 9007199254740992.0;  // 2^53
  if (value >= -exact_limit && value <= exact_limit && value == static_cast<double>(static_cast<std::int64_t>(value))) {
    return static_cast<std::int64_t>(value);
  }
  return value;
}

// Case-insensitive ASCII comparison.
bool iequals(std::string_view a, std::string_view b);
std::string_view trim(std::string_view text);

}  // namespace flowmind::uw
