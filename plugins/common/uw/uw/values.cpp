// Tolerant number, boolean and text readers over scanned JSON values.
#include "uw/values.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <system_error>

namespace flowmind::uw {

std::string_view trim(std::string_view text) {
  while (!text.empty() &&
         (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' || text.front() == '\r')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

namespace {

// Exact powers of ten as doubles (all representable).
constexpr double powers_of_ten[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

// "123", "7.3", "18.9904": at most 15 digits, no exponent. The digits form an integer below
// 2^53 and the scale a power of ten that is itself exact, so one division is correctly rounded
// (Clinger's fast path): the same double from_chars gives, in a fraction of the time.
std::optional<double> simple_decimal(std::string_view text) {
  std::uint64_t digits = 0;
  int count = 0;
  int decimals = -1;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      if (++count > 15) return std::nullopt;
      digits = digits * 10 + static_cast<std::uint64_t>(c - '0');
      if (decimals >= 0) ++decimals;
    } else if (c == '.' && decimals < 0) {
      decimals = 0;
    } else {
      return std::nullopt;
    }
  }
  if (count == 0) return std::nullopt;
  const double value = static_cast<double>(digits);
  return decimals > 0 ? value / powers_of_ten[decimals] : value;
}

}  // namespace

std::optional<double> parse_decimal(std::string_view text) {
  text = trim(text);
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  // from_chars also accepts "nan", "inf" and a second sign: only digits or '.' may start a number.
  if (text.empty() || !((text.front() >= '0' && text.front() <= '9') || text.front() == '.')) return std::nullopt;
  if (const auto fast = simple_decimal(text)) return negative ? -*fast : *fast;
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return negative ? -value : value;
}

Read<double> read_number(const JsonView& value, bool allow_negative) {
  std::optional<double> number;
  switch (value.type) {
    case JsonType::missing:
    case JsonType::null: return Read<double>::missing();
    case JsonType::number: number = parse_decimal(value.text); break;
    case JsonType::string:
      if (trim(value.text).empty()) return Read<double>::missing();
      if (value.escaped) return Read<double>::unreadable();  // no number needs an escape
      number = parse_decimal(value.text);
      break;
    default: return Read<double>::unreadable();
  }
  if (!number || (!allow_negative && *number < 0)) return Read<double>::unreadable();
  return Read<double>::of(*number == 0 ? 0.0 : *number);  // no "-0"
}

Read<bool> read_bool(const JsonView& value) {
  switch (value.type) {
    case JsonType::missing:
    case JsonType::null: return Read<bool>::missing();
    case JsonType::boolean: return Read<bool>::of(value.is_true());
    case JsonType::number:
      if (value.text == "0") return Read<bool>::of(false);
      if (value.text == "1") return Read<bool>::of(true);
      return Read<bool>::unreadable();
    case JsonType::string: {
      const auto text = trim(value.text);
      if (text.empty()) return Read<bool>::missing();
      if (iequals(text, "true") || text == "1" || iequals(text, "yes") || iequals(text, "t")) {
        return Read<bool>::of(true);
      }
      if (iequals(text, "false") || text == "0" || iequals(text, "no") || iequals(text, "f")) {
        return Read<bool>::of(false);
      }
      return Read<bool>::unreadable();
    }
    default: return Read<bool>::unreadable();
  }
}

Read<std::string_view> read_text(const JsonView& value, std::string& scratch) {
  switch (value.type) {
    case JsonType::missing:
    case JsonType::null: return Read<std::string_view>::missing();
    case JsonType::string: {
      std::string_view text = value.text;
      if (value.escaped) {
        scratch.clear();
        if (!decode_string(value.text, scratch)) return Read<std::string_view>::unreadable();
        text = scratch;
      }
      text = trim(text);
      if (text.empty()) return Read<std::string_view>::missing();
      return Read<std::string_view>::of(text);
    }
    default: return Read<std::string_view>::unreadable();
  }
}

}  // namespace flowmind::uw
