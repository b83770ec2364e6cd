// Fast compact JSON text for the wire envelope: nlohmann values, strings and UTC timestamps.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>

#include <nlohmann/json.hpp>

namespace flowmind::json_text {

// True when `text` is well-formed UTF-8 (what a JSON string must hold).
inline bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  const auto size = text.size();
  while (i < size) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t extra = 0;
    std::uint32_t code = 0;
    if ((c & 0xE0) == 0xC0) {
      extra = 1;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= size) return false;  // truncated sequence
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and values beyond Unicode are not UTF-8.
    if ((extra == 1 && code < 0x80) || (extra == 2 && code < 0x800) || (extra == 3 && code < 0x10000) ||
        (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

// The length of the start of `text` that a JSON string holds as it is (printable ASCII other
// than '"' and '\\').
inline std::size_t plain_prefix(std::string_view text) {
  std::size_t plain = 0;
  if constexpr (std::endian::native == std::endian::little) {
    // Eight bytes at a time while none is a control, '"', '\\' or non-ASCII (SWAR tests that
    // are exact for "any byte"); the byte loop below finds the first one.
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    while (text.size() - plain >= 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, text.data() + plain, sizeof word);
      const std::uint64_t quote = word ^ (ones * '"');
      const std::uint64_t backslash = word ^ (ones * '\\');
      const std::uint64_t special =
          ((word - ones * 0x20) & ~word) | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) | word;
      if ((special & highs) != 0) break;
      plain += 8;
    }
  }
  while (plain < text.size()) {
    const auto c = static_cast<unsigned char>(text[plain]);
    if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
    ++plain;
  }
  return plain;
}

// Appends `text` as a JSON string literal, escaped the way nlohmann::json::dump() escapes it.
// Invalid UTF-8 is replaced (U+FFFD) instead of throwing: the wire text must always be valid.
inline void append_string(std::string& out, std::string_view text) {
  // Fast path, most keys and values: printable ASCII with nothing to escape, copied at once.
  const std::size_t plain = plain_prefix(text);
  if (plain == text.size()) {
    const auto at = out.size();
    out.resize(at + text.size() + 2);
    char* to = out.data() + at;
    to[0] = '"';
    if (!text.empty()) std::memcpy(to + 1, text.data(), text.size());
    to[text.size() + 1] = '"';
    return;
  }
  if (!valid_utf8(text.substr(plain))) {
    out += nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  std::size_t clean_from = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + clean_from, i - clean_from);
    clean_from = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0x0F];
    }
  }
  out.append(text.data() + clean_from, text.size() - clean_from);
  out += '"';
}

// Room a write_integer() or write_double() needs at `at`.
inline constexpr std::size_t max_number_size = 32;

// Writes `value` at `at` (max_number_size bytes of room); returns the end.
template <typename Integer>
char* write_integer(char* at, Integer value) {
  return std::to_chars(at, at + max_number_size, value).ptr;
}

// Writes the shortest round-trip text of `value` at `at` (max_number_size bytes of room) and
// returns the end: a whole number keeps a ".0" as nlohmann writes it; NaN and infinities are
// not JSON and become null, as in nlohmann. Prices and strikes (at most six decimals, at least
// 0.001) take a short path that gives the same text as std::to_chars without its general
// shortest-digits search.
inline char* write_double(char* at, double value) {
  if (!std::isfinite(value)) {
    std::memcpy(at, "null", 4);
    return at + 4;
  }
  const double magnitude = std::fabs(value);
  if (magnitude >= 0.001 && magnitude < 1e15) {
    double scale = 1;
    for (int decimals = 1; decimals <= 6; ++decimals) {
      scale *= 10;
      const double scaled = magnitude * scale;
      // Below 1e15 a double's rounding interval, scaled, is narrower than 1: at most one
      // integer n can be the value's k-decimal text.
      if (scaled >= 1e15) break;
      const auto digits = static_cast<std::int64_t>(scaled + 0.5);
      // n / 10^k, correctly rounded, is exactly the value: the decimal n * 10^-k parses back to
      // it, and the first such k has the fewest digits (the shortest text, as to_chars finds).
      if (static_cast<double>(digits) / scale != magnitude) continue;
      if (digits % 10 == 0) break;  // a whole number: the general path writes it
      char* p = at;
      if (value < 0) *p++ = '-';
      std::int64_t divisor = 1;
      for (int i = 0; i < decimals; ++i) divisor *= 10;
      p = std::to_chars(p, p + 20, digits / divisor).ptr;
      *p++ = '.';
      auto fraction = digits % divisor;
      for (int i = decimals - 1; i >= 0; --i) {
        p[i] = static_cast<char>('0' + fraction % 10);
        fraction /= 10;
      }
      return p + decimals;
    }
  }
  char* end = std::to_chars(at, at + max_number_size - 2, value).ptr;
  if (std::find_if(at, end, [](char c) { return c == '.' || c == 'e'; }) == end) {
    std::memcpy(end, ".0", 2);
    end += 2;
  }
  return end;
}

template <typename Integer>
void append_integer(std::string& out, Integer value) {
  std::array<char, max_number_size> buffer;  // NOLINT(cppcoreguidelines-pro-type-member-init): written before read
  out.append(buffer.data(), write_integer(buffer.data(), value));
}

inline void append_double(std::string& out, double value) {
  std::array<char, max_number_size> buffer;  // NOLINT(cppcoreguidelines-pro-type-member-init): written before read
  out.append(buffer.data(), write_double(buffer.data(), value));
}

// Appends `value` as compact JSON (the same text nlohmann's dump() gives, numbers aside: floats
// are written in their shortest round-trip form).
inline void append_value(std::string& out, const nlohmann::json& value) {
  using Type = nlohmann::json::value_t;
  switch (value.type()) {
    case Type::null:
    case Type::discarded: out += "null"; return;
    case Type::boolean: out += value.get_ref<const bool&>() ? "true" : "false"; return;
    case Type::number_integer: append_integer(out, value.get_ref<const std::int64_t&>()); return;
    case Type::number_unsigned: append_integer(out, value.get_ref<const std::uint64_t&>()); return;
    case Type::number_float: append_double(out, value.get_ref<const double&>()); return;
    case Type::string: append_string(out, value.get_ref<const std::string&>()); return;
    case Type::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        if (!first) out += ',';
        first = false;
        append_string(out, key);
        out += ':';
        append_value(out, item);
      }
      out += '}';
      return;
    }
    case Type::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value) {
        if (!first) out += ',';
        first = false;
        append_value(out, item);
      }
      out += ']';
      return;
    }
    case Type::binary: out += value.dump(); return;
  }
}

// ISO-8601 UTC with milliseconds, e.g. 2024-09-18T14:32:07.692Z (years outside 0000-9999 clamp).
inline void append_iso8601_ms(std::string& out, std::chrono::system_clock::time_point time) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  auto days = ms >= 0 ? ms / 86'400'000 : (ms - 86'399'999) / 86'400'000;
  auto in_day = ms - days * 86'400'000;
  // Civil date from days since 1970-01-01 (H. Hinnant's algorithm), no locale, no libc calls.
  days += 719'468;
  const auto era = (days >= 0 ? days : days - 146'096) / 146'097;
  const auto day_of_era = days - era * 146'097;
  const auto year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;
  const auto day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const auto month_index = (5 * day_of_year + 2) / 153;
  const auto day = day_of_year - (153 * month_index + 2) / 5 + 1;
  const auto month = month_index < 10 ? month_index + 3 : month_index - 9;
  const auto year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);

  char text[24];
  const auto put = [&text](int at, long long value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      text[at + i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(0, std::clamp<long long>(year, 0, 9999), 4);  // four digits: years 0000-9999
  text[4] = '-';
  put(5, month, 2);
  text[7] = '-';
  put(8, day, 2);
  text[10] = 'T';
  put(11, in_day / 3'600'000, 2);
  text[13] = ':';
  put(14, in_day / 60'000 % 60, 2);
  text[16] = ':';
  put(17, in_day / 1000 % 60, 2);
  text[19] = '.';
  put(20, in_day % 1000, 3);
  text[23] = 'Z';
  out.append(text, sizeof text);
}

}  // namespace flowmind::json_text
