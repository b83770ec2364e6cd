// Event times in test files: a strict ISO-8601 reader (UTC only) and epoch milliseconds.
#include "pipeline_test/event_time.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>

#include "config/yaml_scalars.hpp"

namespace flowmind::pipeline_test {
namespace {

// Reads exactly `digits` decimal digits at `pos`, advancing it.
std::optional<int> read_number(std::string_view text, std::size_t& pos, std::size_t digits) {
  if (pos + digits > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += digits;
  return value;
}

bool expect_char(std::string_view text, std::size_t& pos, char wanted) {
  if (pos >= text.size() || text[pos] != wanted) return false;
  ++pos;
  return true;
}

std::optional<Event::Clock::time_point> parse_iso8601(std::string_view text) {
  using namespace std::chrono;
  std::size_t pos = 0;
  const auto year_number = read_number(text, pos, 4);
  if (!year_number || !expect_char(text, pos, '-')) return std::nullopt;
  const auto month_number = read_number(text, pos, 2);
  if (!month_number || !expect_char(text, pos, '-')) return std::nullopt;
  const auto day_number = read_number(text, pos, 2);
  if (!day_number) return std::nullopt;
  const year_month_day date{year(*year_number), month(static_cast<unsigned>(*month_number)),
                            day(static_cast<unsigned>(*day_number))};
  if (!date.ok()) return std::nullopt;
  auto time = sys_days(date) + nanoseconds(0);
  if (pos == text.size()) return time_point_cast<Event::Clock::duration>(time);
  if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return std::nullopt;
  ++pos;
  const auto hour_number = read_number(text, pos, 2);
  if (!hour_number || *hour_number > 23 || !expect_char(text, pos, ':')) return std::nullopt;
  const auto minute_number = read_number(text, pos, 2);
  if (!minute_number || *minute_number > 59 || !expect_char(text, pos, ':')) return std::nullopt;
  const auto second_number = read_number(text, pos, 2);
  if (!second_number || *second_number > 59) return std::nullopt;
  time += hours(*hour_number) + minutes(*minute_number) + seconds(*second_number);
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::int64_t fraction = 0;
    int digits = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) != 0) {
      if (digits < 9) {
        fraction = fraction * 10 + (text[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 9; ++i) fraction *= 10;
    time += nanoseconds(fraction);
  }
  const std::string_view zone = text.substr(pos);
  if (zone != "Z" && zone != "z" && zone != "+00:00" && !zone.empty()) return std::nullopt;
  return time_point_cast<Event::Clock::duration>(time);
}

}  // namespace

std::optional<Event::Clock::time_point> parse_event_time(std::string_view text) {
  if (!text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    const auto millis = parse_int_literal(text);
    if (!millis) return std::nullopt;
    return Event::Clock::time_point(std::chrono::milliseconds(*millis));
  }
  return parse_iso8601(text);
}

Event::Clock::time_point default_start_time() {
  using namespace std::chrono;
  return time_point_cast<Event::Clock::duration>(sys_days(2024y / September / 18) + hours(13) + minutes(30));
}

}  // namespace flowmind::pipeline_test
