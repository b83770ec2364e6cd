// Retry-After: delay-seconds, or an HTTP-date turned into a delay from `now`.
#include "retry_after.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <string>
#include <vector>

namespace flowmind::uw_rest {
namespace {

constexpr auto longest_wait = std::chrono::hours(24);

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int month_index(std::string_view name) {
  static constexpr std::array<std::string_view, 12> months = {"jan", "feb", "mar", "apr", "may", "jun",
                                                              "jul", "aug", "sep", "oct", "nov", "dec"};
  if (name.size() != 3) return -1;
  std::string lower;
  for (const char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::size_t i = 0; i < months.size(); ++i) {
    if (months[i] == lower) return static_cast<int>(i);
  }
  return -1;
}

struct Token {
  std::string text;
  bool number = false;
};

// Splits on everything that is neither a letter nor a digit: "Sun, 06 Nov 1994 08:49:37 GMT"
// becomes Sun 06 Nov 1994 08 49 37 GMT.
std::vector<Token> tokens_of(std::string_view text) {
  std::vector<Token> tokens;
  std::string current;
  const auto flush = [&] {
    if (!current.empty()) tokens.push_back({current, all_digits(current)});
    current.clear();
  };
  for (const char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      current += c;
    } else {
      flush();
    }
  }
  flush();
  return tokens;
}

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
  const auto tokens = tokens_of(text);
  int month = -1;
  std::size_t month_at = 0;
  std::vector<std::pair<std::size_t, long>> numbers;  // (token index, value)
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].number) {
      if (tokens[i].text.size() > 4) return std::nullopt;
      numbers.emplace_back(i, std::stol(tokens[i].text));
    } else if (month < 0 && month_index(tokens[i].text) >= 0) {
      month = month_index(tokens[i].text);
      month_at = i;
    }
  }
  if (month < 0 || numbers.size() != 5) return std::nullopt;
  long day = 0;
  long year = 0;
  long hour = 0;
  long minute = 0;
  long second = 0;
  if (numbers[0].first > month_at) {
    // asctime: "Sun Nov  6 08:49:37 1994"
    day = numbers[0].second;
    hour = numbers[1].second;
    minute = numbers[2].second;
    second = numbers[3].second;
    year = numbers[4].second;
  } else {
    // IMF-fixdate and RFC 850: day, month, year, then the time
    day = numbers[0].second;
    year = numbers[1].second;
    hour = numbers[2].second;
    minute = numbers[3].second;
    second = numbers[4].second;
    if (tokens[numbers[1].first].text.size() == 2) year += year >= 70 ? 1900 : 2000;
  }
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 || year < 1970 || year > 9999) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = static_cast<int>(year - 1900);
  tm.tm_mon = month;
  tm.tm_mday = static_cast<int>(day);
  tm.tm_hour = static_cast<int>(hour);
  tm.tm_min = static_cast<int>(minute);
  tm.tm_sec = static_cast<int>(second);
  const std::time_t seconds = timegm(&tm);
  if (seconds == static_cast<std::time_t>(-1)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(seconds);
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now) {
  value = trim(value);
  if (all_digits(value)) {
    if (value.size() > 9) return std::chrono::duration_cast<std::chrono::milliseconds>(longest_wait);
    return std::min<std::chrono::milliseconds>(std::chrono::seconds(std::stol(std::string(value))), longest_wait);
  }
  const auto date = parse_http_date(value);
  if (!date) return std::nullopt;
  if (*date <= now) return std::chrono::milliseconds(0);
  return std::min<std::chrono::milliseconds>(std::chrono::ceil<std::chrono::milliseconds>(*date - now), longest_wait);
}

}  // namespace flowmind::uw_rest
