// The replay's start/end window: absolute times, or times of day (UTC) that apply to every day.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace flowmind {

class TimeWindow {
 public:
  using Clock = std::chrono::system_clock;

  TimeWindow() = default;
  // Each bound is empty (open), an ISO-8601 date-time, or "HH:MM[:SS]" (UTC time of day).
  // Throws std::invalid_argument naming the bad bound; an absolute end not after the start too.
  TimeWindow(const std::string& start, const std::string& end);

  // Start included, end excluded. A record without a time is always inside. A time-of-day
  // window whose end is before its start wraps midnight (22:00 .. 02:00).
  [[nodiscard]] bool contains(std::optional<Clock::time_point> time) const;
  // True when `time` is past an absolute end: nothing later can be inside.
  [[nodiscard]] bool past_end(std::optional<Clock::time_point> time) const;

 private:
  struct Bound {
    std::optional<Clock::time_point> absolute;
    std::chrono::milliseconds time_of_day{0};
  };
  static std::optional<Bound> parse_bound(const std::string& text, const char* which);

  std::optional<Bound> start_;
  std::optional<Bound> end_;
};

}  // namespace flowmind
