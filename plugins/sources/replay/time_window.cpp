// Start/end windows of the replay source.
#include "time_window.hpp"

#include <stdexcept>

#include "record.hpp"

namespace flowmind {
namespace {

std::chrono::milliseconds time_of_day(TimeWindow::Clock::time_point time) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  constexpr long long day = 86'400'000;
  return std::chrono::milliseconds(((ms % day) + day) % day);
}

// "HH:MM", "HH:MM:SS" or "HH:MM:SS.fff".
std::optional<std::chrono::milliseconds> parse_time_of_day(const std::string& text) {
  const std::string shape = text.size() == 5 ? "dd:dd" : text.size() == 8 ? "dd:dd:dd" : "dd:dd:dd.ddd";
  if (text.size() != shape.size()) return std::nullopt;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 'd' ? (text[i] < '0' || text[i] > '9') : text[i] != shape[i]) return std::nullopt;
  }
  const auto number = [&](std::size_t at, std::size_t count) { return std::stoi(text.substr(at, count)); };
  const int hours = number(0, 2);
  const int minutes = number(3, 2);
  const int seconds = text.size() >= 8 ? number(6, 2) : 0;
  const int millis = text.size() == 12 ? number(9, 3) : 0;
  if (hours > 23 || minutes > 59 || seconds > 59) return std::nullopt;
  return std::chrono::hours(hours) + std::chrono::minutes(minutes) + std::chrono::seconds(seconds) +
         std::chrono::milliseconds(millis);
}

}  // namespace

std::optional<TimeWindow::Bound> TimeWindow::parse_bound(const std::string& text, const char* which) {
  if (text.empty()) return std::nullopt;
  Bound bound;
  if (auto absolute = parse_iso8601(text)) {
    bound.absolute = absolute;
  } else if (auto day = parse_time_of_day(text)) {
    bound.time_of_day = *day;
  } else {
    throw std::invalid_argument(std::string(which) + " '" + text +
                                "' is neither an ISO-8601 time (2024-09-18T14:30:00Z) nor a time of day (14:30)");
  }
  return bound;
}

TimeWindow::TimeWindow(const std::string& start, const std::string& end)
    : start_(parse_bound(start, "start")), end_(parse_bound(end, "end")) {
  if (start_ && end_ && start_->absolute && end_->absolute && *end_->absolute <= *start_->absolute) {
    throw std::invalid_argument("end '" + end + "' is not after start '" + start + "'");
  }
}

bool TimeWindow::contains(std::optional<Clock::time_point> time) const {
  if (!time || (!start_ && !end_)) return true;
  const auto day = time_of_day(*time);
  const bool daily_start = start_ && !start_->absolute;
  const bool daily_end = end_ && !end_->absolute;
  if (daily_start && daily_end && end_->time_of_day < start_->time_of_day) {
    return day >= start_->time_of_day || day < end_->time_of_day;  // wraps midnight
  }
  if (start_) {
    if (start_->absolute ? *time < *start_->absolute : day < start_->time_of_day) return false;
  }
  if (end_) {
    if (end_->absolute ? *time >= *end_->absolute : day >= end_->time_of_day) return false;
  }
  return true;
}

bool TimeWindow::past_end(std::optional<Clock::time_point> time) const {
  return time && end_ && end_->absolute && *time >= *end_->absolute;
}

}  // namespace flowmind
