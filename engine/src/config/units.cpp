// Parsing and formatting of durations and sizes, shared by config validation and the docs generator.
#include "config/units.hpp"

#include <array>
#include <cctype>
#include <cmath>
#include <limits>
#include <utility>

namespace flowmind {
namespace {

struct Unit {
  std::string_view name;
  std::uint64_t factor;
};

// Largest first: formatting prefers big units, parsing tries longer names before their prefixes.
constexpr std::array<Unit, 8> duration_units{{
    {"d", 86'400'000'000'000ULL},
    {"h", 3'600'000'000'000ULL},
    {"ms", 1'000'000ULL},
    {"m", 60'000'000'000ULL},
    {"s", 1'000'000'000ULL},
    {"us", 1'000ULL},
    {"\xC2\xB5s", 1'000ULL},  // µs
    {"ns", 1ULL},
}};

constexpr std::array<Unit, 9> size_units{{
    {"tib", 1ULL << 40},
    {"gib", 1ULL << 30},
    {"mib", 1ULL << 20},
    {"kib", 1ULL << 10},
    {"tb", 1'000'000'000'000ULL},
    {"gb", 1'000'000'000ULL},
    {"mb", 1'000'000ULL},
    {"kb", 1'000ULL},
    {"b", 1ULL},
}};

constexpr std::array<Unit, 9> size_display_units{{
    {"TiB", 1ULL << 40},
    {"GiB", 1ULL << 30},
    {"MiB", 1ULL << 20},
    {"KiB", 1ULL << 10},
    {"TB", 1'000'000'000'000ULL},
    {"GB", 1'000'000'000ULL},
    {"MB", 1'000'000ULL},
    {"KB", 1'000ULL},
    {"B", 1ULL},
}};

constexpr std::array<Unit, 7> duration_display_units{{
    {"d", 86'400'000'000'000ULL},
    {"h", 3'600'000'000'000ULL},
    {"m", 60'000'000'000ULL},
    {"s", 1'000'000'000ULL},
    {"ms", 1'000'000ULL},
    {"us", 1'000ULL},
    {"ns", 1ULL},
}};

// A non-negative decimal number: whole part and (up to 18 significant) fraction digits.
struct Decimal {
  std::uint64_t whole = 0;
  std::uint64_t fraction = 0;
  int fraction_digits = 0;
  bool has_point = false;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads "12", "1.5" or ".5" from the front of `text`; advances `pos`.
std::optional<Decimal> read_decimal(std::string_view text, std::size_t& pos) {
  Decimal number;
  bool any_digit = false;
  while (pos < text.size() && is_digit(text[pos])) {
    const auto digit = static_cast<std::uint64_t>(text[pos] - '0');
    if (number.whole > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return std::nullopt;
    number.whole = number.whole * 10 + digit;
    any_digit = true;
    ++pos;
  }
  if (pos < text.size() && text[pos] == '.') {
    number.has_point = true;
    ++pos;
    bool fraction_digit = false;
    while (pos < text.size() && is_digit(text[pos])) {
      if (number.fraction_digits < 18) {
        number.fraction = number.fraction * 10 + static_cast<std::uint64_t>(text[pos] - '0');
        ++number.fraction_digits;
      }
      fraction_digit = true;
      ++pos;
    }
    if (!fraction_digit) return std::nullopt;  // "1." is not a number here
    any_digit = true;
  }
  if (!any_digit) return std::nullopt;
  return number;
}

// number * factor, rounded to the nearest integer; nullopt on overflow.
std::optional<std::uint64_t> scale(const Decimal& number, std::uint64_t factor) {
  if (factor != 0 && number.whole > std::numeric_limits<std::uint64_t>::max() / factor) return std::nullopt;
  std::uint64_t result = number.whole * factor;
  if (number.fraction_digits > 0) {
    // The fractional part is below one unit, so long double keeps it exact enough to round.
    const long double part = static_cast<long double>(number.fraction) * static_cast<long double>(factor) /
                             std::pow(10.0L, number.fraction_digits);
    const auto rounded = static_cast<std::uint64_t>(std::llround(part));
    if (result > std::numeric_limits<std::uint64_t>::max() - rounded) return std::nullopt;
    result += rounded;
  }
  return result;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// True for "12", "-3", "+1.5": a number without any unit.
bool is_bare_number(std::string_view text) {
  std::size_t pos = 0;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) ++pos;
  return read_decimal(text, pos).has_value() && pos == text.size();
}

// Digits of `remainder / factor` after the point, if it ends within `max_digits` digits.
std::optional<std::string> exact_fraction(std::uint64_t remainder, std::uint64_t factor, int max_digits) {
  std::string digits;
  for (int i = 0; i < max_digits && remainder != 0; ++i) {
    remainder *= 10;  // remainder < factor <= 8.64e13: no overflow
    digits += static_cast<char>('0' + remainder / factor);
    remainder %= factor;
  }
  if (remainder != 0) return std::nullopt;
  return digits;
}

template <std::size_t N>
std::string shortest(std::uint64_t value, const std::array<Unit, N>& units, int max_fraction_digits,
                     std::string compound) {
  std::string best = std::move(compound);
  for (const auto& unit : units) {
    std::string text = std::to_string(value / unit.factor);
    if (value % unit.factor != 0) {
      if (value < unit.factor) continue;  // "0.5s" is never shorter than "500ms"
      auto fraction = exact_fraction(value % unit.factor, unit.factor, max_fraction_digits);
      if (!fraction) continue;
      text += '.' + *fraction;
    }
    text += unit.name;
    if (best.empty() || text.size() < best.size()) best = std::move(text);
  }
  return best;
}

}  // namespace

std::optional<std::int64_t> parse_duration_ns(std::string_view text) {
  if (text == "0") return 0;
  if (text.empty()) return std::nullopt;
  std::size_t pos = 0;
  std::uint64_t total = 0;
  while (pos < text.size()) {
    auto number = read_decimal(text, pos);
    if (!number) return std::nullopt;
    const Unit* matched = nullptr;
    for (const auto& unit : duration_units) {
      // "ms" before "m": the table lists longer names first where they share a prefix.
      if (text.substr(pos, unit.name.size()) == unit.name) {
        matched = &unit;
        break;
      }
    }
    if (matched == nullptr) return std::nullopt;
    pos += matched->name.size();
    auto part = scale(*number, matched->factor);
    if (!part || *part > std::numeric_limits<std::uint64_t>::max() - total) return std::nullopt;
    total += *part;
  }
  if (total > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
  return static_cast<std::int64_t>(total);
}

std::optional<std::uint64_t> parse_size_bytes(std::string_view text) {
  std::size_t pos = 0;
  auto number = read_decimal(text, pos);
  if (!number) return std::nullopt;
  const std::string unit_name = lower(text.substr(pos));
  if (unit_name.empty()) {
    if (number->has_point) return std::nullopt;  // bytes are whole
    return number->whole;
  }
  for (const auto& unit : size_units) {
    if (unit.name == unit_name) return scale(*number, unit.factor);
  }
  return std::nullopt;
}

std::string format_duration(std::int64_t ns) {
  if (ns == 0) return "0s";
  const bool negative = ns < 0;
  // Two's complement negation in unsigned arithmetic: also right for INT64_MIN.
  const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
  std::string compound;
  std::uint64_t rest = magnitude;
  for (const auto& unit : duration_display_units) {
    if (rest >= unit.factor) {
      compound += std::to_string(rest / unit.factor) + std::string(unit.name);
      rest %= unit.factor;
    }
  }
  std::string text = shortest(magnitude, duration_display_units, 9, std::move(compound));
  return negative ? "-" + text : text;
}

std::string format_size(std::uint64_t bytes) {
  if (bytes == 0) return "0B";
  return shortest(bytes, size_display_units, 6, std::to_string(bytes) + "B");
}

std::string duration_hint(std::string_view text) {
  static constexpr std::string_view forms =
      "accepted forms: 500ms, 30s, 5m, 1h, 2d, 1m30s, 1.5s or 0 (units: ns, us, ms, s, m, h, d)";
  std::string hint;
  if (!text.empty() && text.front() == '-') {
    hint = "a duration cannot be negative; ";
  } else if (is_bare_number(text)) {
    hint = "a number needs a unit, e.g. \"30s\" or \"500ms\"; ";
  }
  return hint + std::string(forms);
}

std::string size_hint(std::string_view text) {
  static constexpr std::string_view forms =
      "accepted forms: 1024 (bytes), 512B, 64KB, 4MiB, 1.5GiB (KB, MB, GB, TB = powers of 1000; "
      "KiB, MiB, GiB, TiB = powers of 1024)";
  std::string hint;
  if (!text.empty() && text.front() == '-') {
    hint = "a size cannot be negative; ";
  } else if (is_bare_number(text)) {
    hint = "a number without a unit is a whole number of bytes; ";
  }
  return hint + std::string(forms);
}

}  // namespace flowmind
