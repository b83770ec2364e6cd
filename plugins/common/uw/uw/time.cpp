// Calendar arithmetic and tolerant timestamp parsing for UW payloads.
#include "uw/time.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

namespace flowmind::uw {
namespace {

bool digits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

// YYYY-MM-DD at the start of `text`.
std::optional<std::int64_t> leading_date(std::string_view text) {
  int year = 0;
  int month = 0;
  int day = 0;
  if (text.size() < 10 || !digits(text, 0, 4, year) || text[4] != '-' || !digits(text, 5, 2, month) || text[7] != '-' ||
      !digits(text, 8, 2, day) || !valid_date(year, month, day)) {
    return std::nullopt;
  }
  return days_from_date({year, month, day});
}

}  // namespace

// Howard Hinnant's civil calendar algorithms.
std::int64_t days_from_date(const Date& date) {
  const std::int64_t year = date.year - (date.month <= 2 ? 1 : 0);
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const std::int64_t year_of_era = year - era * 400;
  const std::int64_t month = date.month;
  const std::int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + date.day - 1;
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

Date date_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t day_of_era = days - era * 146097;
  const std::int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t month_index = (5 * day_of_year + 2) / 153;
  const std::int64_t day = day_of_year - (153 * month_index + 2) / 5 + 1;
  const std::int64_t month = month_index < 10 ? month_index + 3 : month_index - 9;
  const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return {static_cast<int>(year), static_cast<int>(month), static_cast<int>(day)};
}

std::int64_t day_of_ms(std::int64_t epoch_ms) {
  return epoch_ms >= 0 ? epoch_ms / ms_per_day : (epoch_ms - ms_per_day + 1) / ms_per_day;
}

bool valid_date(int year, int month, int day) {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= lengths[month - 1] + (month == 2 && leap ? 1 : 0);
}

std::optional<std::int64_t> parse_date(std::string_view text) {
  text = trim(text);
  if (text.size() != 10) return std::nullopt;
  return leading_date(text);
}

std::optional<std::int64_t> parse_iso8601(std::string_view text) {
  text = trim(text);
  const auto day = leading_date(text);
  if (!day) return std::nullopt;
  std::int64_t ms = *day * ms_per_day;
  if (text.size() == 10) return ms;
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return std::nullopt;
  int hour = 0;
  int minute = 0;
  int second = 0;
  std::size_t pos = 11;
  if (!digits(text, pos, 2, hour) || pos + 2 >= text.size() || text[pos + 2] != ':' ||
      !digits(text, pos + 3, 2, minute)) {
    return std::nullopt;
  }
  pos += 5;
  if (pos < text.size() && text[pos] == ':') {
    if (!digits(text, pos + 1, 2, second)) return std::nullopt;
    pos += 3;
  }
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;  // 60: a leap second
  ms += (hour * 3600LL + minute * 60LL + second) * 1000LL;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    ++pos;
    std::int64_t fraction_ms = 0;
    std::size_t count = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (count < 3) fraction_ms = fraction_ms * 10 + (text[pos] - '0');
      ++count;
      ++pos;
    }
    if (count == 0) return std::nullopt;
    for (std::size_t i = count; i < 3; ++i) fraction_ms *= 10;
    ms += fraction_ms;
  }
  if (pos == text.size()) return ms;  // no zone: UTC, as UW's REST API means it
  if ((text[pos] == 'Z' || text[pos] == 'z') && pos + 1 == text.size()) return ms;
  if (text[pos] != '+' && text[pos] != '-') return std::nullopt;
  const int sign = text[pos] == '+' ? 1 : -1;
  int offset_hours = 0;
  int offset_minutes = 0;
  ++pos;
  if (!digits(text, pos, 2, offset_hours)) return std::nullopt;
  pos += 2;
  if (pos < text.size() && text[pos] == ':') ++pos;
  if (pos < text.size()) {
    if (!digits(text, pos, 2, offset_minutes)) return std::nullopt;
    pos += 2;
  }
  if (pos != text.size() || offset_hours > 23 || offset_minutes > 59) return std::nullopt;
  return ms - sign * (offset_hours * 3600LL + offset_minutes * 60LL) * 1000LL;
}

std::optional<std::int64_t> epoch_to_ms(double value) {
  if (!std::isfinite(value) || value <= 0) return std::nullopt;
  double ms = value;
  if (value < 1e11) {
    ms = value * 1e3;
  } else if (value < 1e14) {
    ms = value;
  } else if (value < 1e17) {
    ms = value / 1e3;
  } else {
    ms = value / 1e6;
  }
  // Rounded, not floored: 1726670212.748 s is 1726670212747.9998 ms in binary floating point.
  if (ms >= static_cast<double>(max_epoch_ms)) return std::nullopt;
  return static_cast<std::int64_t>(std::llround(ms));
}

namespace {

// Integer literals are read exactly (a double would round a 19-digit nanosecond count).
std::optional<std::int64_t> integer_epoch(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.size() > 19) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    if (value > (std::numeric_limits<std::int64_t>::max() - (c - '0')) / 10) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value <= 0) return std::nullopt;
  std::int64_t ms = value / 1'000'000;
  if (value < 100'000'000'000LL) {
    ms = value * 1000;
  } else if (value < 100'000'000'000'000LL) {
    ms = value;
  } else if (value < 100'000'000'000'000'000LL) {
    ms = value / 1000;
  }
  if (ms >= max_epoch_ms) return std::nullopt;
  return ms;
}

std::optional<std::int64_t> numeric_epoch(std::string_view text) {
  if (auto exact = integer_epoch(text)) return exact;
  const auto number = parse_decimal(text);
  if (!number) return std::nullopt;
  return epoch_to_ms(*number);
}

}  // namespace

Read<std::int64_t> read_timestamp(const JsonView& value) {
  switch (value.type) {
    case JsonType::missing:
    case JsonType::null: return Read<std::int64_t>::missing();
    case JsonType::number: {
      const auto ms = numeric_epoch(value.text);
      return ms ? Read<std::int64_t>::of(*ms) : Read<std::int64_t>::unreadable();
    }
    case JsonType::string: {
      const auto text = trim(value.text);
      if (text.empty()) return Read<std::int64_t>::missing();
      if (value.escaped) return Read<std::int64_t>::unreadable();
      auto ms = text.size() >= 10 && text[4] == '-' ? parse_iso8601(text) : numeric_epoch(text);
      return ms ? Read<std::int64_t>::of(*ms) : Read<std::int64_t>::unreadable();
    }
    default: return Read<std::int64_t>::unreadable();
  }
}

Read<std::int64_t> read_date(const JsonView& value) {
  const auto time = read_timestamp(value);
  if (!time.ok()) return {time.status, 0};
  return Read<std::int64_t>::of(day_of_ms(time.value));
}

namespace {

// Writes `value` as exactly `width` digits (callers pass values that fit).
char* put_digits(char* out, int value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

// "YYYY-MM-DD" into out[0..10). snprintf costs thousands of instructions; this runs per event.
char* put_date(char* out, const Date& date) {
  if (date.year < 0 || date.year > 9999) {
    const int n = std::snprintf(out, 16, "%d", date.year);
    out += n;
  } else {
    out = put_digits(out, date.year, 4);
  }
  *out++ = '-';
  out = put_digits(out, date.month, 2);
  *out++ = '-';
  return put_digits(out, date.day, 2);
}

}  // namespace

std::string format_date(std::int64_t days) {
  char text[32];
  char* end = put_date(text, date_from_days(days));
  return std::string(text, end);
}

std::string format_iso8601_ms(std::int64_t ms) {
  const std::int64_t day = day_of_ms(ms);
  const auto in_day = static_cast<int>(ms - day * ms_per_day);
  char text[48];
  char* out = put_date(text, date_from_days(day));
  *out++ = 'T';
  out = put_digits(out, in_day / 3'600'000, 2);
  *out++ = ':';
  out = put_digits(out, in_day / 60'000 % 60, 2);
  *out++ = ':';
  out = put_digits(out, in_day / 1000 % 60, 2);
  *out++ = '.';
  out = put_digits(out, in_day % 1000, 3);
  *out++ = 'Z';
  return std::string(text, out);
}

}  // namespace flowmind::uw
