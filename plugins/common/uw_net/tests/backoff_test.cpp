// Unit tests of Backoff: doubling, cap, jitter bounds, reproducibility and reset.
#include <chrono>
#include <set>

#include <gtest/gtest.h>

#include "uw_net/backoff.hpp"

namespace flowmind::uw_net {
namespace {

using std::chrono::milliseconds;

TEST(UwNetBackoff, WithoutJitterDoublesUpToTheMaximum) {
  Backoff backoff(milliseconds(5000), milliseconds(60000), 0.0, 1);
  EXPECT_EQ(backoff.attempts(), 0U);
  EXPECT_EQ(backoff.next(), milliseconds(5000));
  EXPECT_EQ(backoff.next(), milliseconds(10000));
  EXPECT_EQ(backoff.next(), milliseconds(20000));
  EXPECT_EQ(backoff.next(), milliseconds(40000));
  EXPECT_EQ(backoff.next(), milliseconds(60000));
  EXPECT_EQ(backoff.next(), milliseconds(60000));
  EXPECT_EQ(backoff.attempts(), 6U);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(backoff.next(), milliseconds(60000));  // no overflow
}

TEST(UwNetBackoff, JitterStaysWithinItsShareOfTheBaseAndVaries) {
  Backoff backoff(milliseconds(1000), milliseconds(8000), 0.5, 7);
  std::set<long long> seen;
  for (int round = 0; round < 50; ++round) {
    backoff.reset();
    long long base = 1000;
    for (int i = 0; i < 6; ++i) {
      const auto delay = backoff.next().count();
      EXPECT_LE(delay, base);
      EXPECT_GE(delay, base / 2);
      seen.insert(delay);
      base = std::min(base * 2, 8000LL);
    }
  }
  EXPECT_GT(seen.size(), 20U);
}

TEST(UwNetBackoff, ResetStartsOverAtTheInitialDelay) {
  Backoff backoff(milliseconds(100), milliseconds(1000), 0.0, 1);
  (void)backoff.next();
  (void)backoff.next();
  EXPECT_EQ(backoff.next(), milliseconds(400));
  backoff.reset();
  EXPECT_EQ(backoff.attempts(), 0U);
  EXPECT_EQ(backoff.next(), milliseconds(100));
}

TEST(UwNetBackoff, TheSameSeedGivesTheSameDelaysAndOthersDiffer) {
  Backoff a(milliseconds(1000), milliseconds(60000), 0.3, 99);
  Backoff b(milliseconds(1000), milliseconds(60000), 0.3, 99);
  Backoff c(milliseconds(1000), milliseconds(60000), 0.3, 100);
  bool differs = false;
  for (int i = 0; i < 10; ++i) {
    const auto delay = a.next();
    EXPECT_EQ(delay, b.next());
    differs = differs || delay != c.next();
  }
  EXPECT_TRUE(differs);
}

TEST(UwNetBackoff, OutOfRangeArgumentsAreClamped) {
  Backoff zero(milliseconds(0), milliseconds(0), 5.0, 1);  // jitter > 1 acts as 1
  for (int i = 0; i < 20; ++i) {
    const auto delay = zero.next();
    EXPECT_GE(delay, milliseconds(1));
    EXPECT_LE(delay, milliseconds(1));
  }
  Backoff inverted(milliseconds(500), milliseconds(100), -1.0, 1);  // maximum below initial
  EXPECT_EQ(inverted.next(), milliseconds(500));
  EXPECT_EQ(inverted.next(), milliseconds(500));
}

}  // namespace
}  // namespace flowmind::uw_net
