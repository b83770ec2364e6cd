// The replay's pacing arithmetic and time windows, on made-up clocks (no sleeping).
#include <gtest/gtest.h>

#include "pacer.hpp"
#include "time_window.hpp"

namespace flowmind {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;
const Clock::time_point t0 = Clock::time_point(std::chrono::milliseconds(1726668000000));  // 2024-09-18T14:00:00Z
const std::chrono::steady_clock::time_point s0{std::chrono::hours(1000)};

TEST(ReplayPacer, DeadlinesAreTheRecordedOffsetsDividedBySpeed) {
  Pacer pacer(10, 0s);
  EXPECT_EQ(pacer.due(t0, s0), s0);
  EXPECT_EQ(pacer.due(t0 + 1s, s0), s0 + 100ms);
  EXPECT_EQ(pacer.due(t0 + 5s, s0 + 100ms), s0 + 500ms);
  // Out of order: due at once, and the next one is still measured from the latest time.
  EXPECT_EQ(pacer.due(t0 + 2s, s0 + 500ms), s0 + 500ms);
  EXPECT_EQ(pacer.due(t0 + 6s, s0 + 500ms), s0 + 600ms);
  EXPECT_FALSE(pacer.due(std::nullopt, s0));
}

TEST(ReplayPacer, MaxSpeedNeverWaitsAndGapsCanBeCapped) {
  Pacer max(0, 0s);
  EXPECT_FALSE(max.due(t0, s0));
  EXPECT_FALSE(max.due(t0 + 1h, s0));
  Pacer capped(1, 2s);
  EXPECT_EQ(capped.due(t0, s0), s0);
  EXPECT_EQ(capped.due(t0 + 1h, s0), s0 + 2s);
  EXPECT_EQ(capped.due(t0 + 1h + 1s, s0), s0 + 3s);
}

TEST(ReplayPacer, ARunHeldBackMovesItsScheduleInsteadOfBursting) {
  Pacer pacer(1, 0s, 1s);
  EXPECT_EQ(pacer.due(t0, s0), s0);
  // Emitting took 10 s (a full pipeline): the next record is due now, the one after 1 s later.
  EXPECT_EQ(pacer.due(t0 + 1s, s0 + 10s), s0 + 10s);
  EXPECT_EQ(pacer.due(t0 + 2s, s0 + 10s), s0 + 11s);
}

TEST(ReplayWindow, TimeOfDayAbsoluteAndWrappingWindows) {
  const TimeWindow day("14:15", "14:45:30");
  EXPECT_FALSE(day.contains(t0 + 14min));
  EXPECT_TRUE(day.contains(t0 + 15min));
  EXPECT_TRUE(day.contains(t0 + 24h + 45min + 29s));  // any day
  EXPECT_FALSE(day.contains(t0 + 45min + 30s));
  EXPECT_TRUE(day.contains(std::nullopt));
  EXPECT_FALSE(day.past_end(t0 + 2h));

  const TimeWindow night("22:00", "02:00");
  EXPECT_TRUE(night.contains(t0 + 9h));   // 23:00
  EXPECT_TRUE(night.contains(t0 + 11h));  // 01:00
  EXPECT_FALSE(night.contains(t0));       // 14:00

  const TimeWindow absolute("2024-09-18T14:00:00Z", "2024-09-18T15:00:00Z");
  EXPECT_TRUE(absolute.contains(t0));
  EXPECT_FALSE(absolute.contains(t0 - 1ms));
  EXPECT_FALSE(absolute.contains(t0 + 1h));
  EXPECT_TRUE(absolute.past_end(t0 + 1h));

  EXPECT_THROW(TimeWindow("14:3x", ""), std::invalid_argument);
  EXPECT_THROW(TimeWindow("", "24:00"), std::invalid_argument);
  EXPECT_THROW(TimeWindow("2024-09-18T15:00:00Z", "2024-09-18T14:00:00Z"), std::invalid_argument);
}

}  // namespace
}  // namespace flowmind
