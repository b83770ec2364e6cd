// TapSubscription's bounds: a tap loses events (counted) instead of growing past its event or byte cap.
#include <string>

#include <gtest/gtest.h>

#include "runtime/tap.hpp"

namespace flowmind {
namespace {

Event sized(std::size_t payload_bytes) {
  return Event("tap-test", "{\"x\":\"" + std::string(payload_bytes, 'a') + "\"}");
}

TEST(TapSubscription, DropsNewEventsBeyondItsEventCapUntilTaken) {
  TapSubscription tap(0, 3);
  for (int i = 0; i < 5; ++i) tap.offer(sized(10));
  EXPECT_EQ(tap.delivered(), 3U);
  EXPECT_EQ(tap.dropped(), 2U);
  EXPECT_EQ(tap.take().size(), 3U);
  tap.offer(sized(10));
  EXPECT_EQ(tap.take().size(), 1U);
}

TEST(TapSubscription, DropsNewEventsBeyondItsByteCap) {
  const auto one = sized(1000).wire().size();
  TapSubscription tap(0, 1000, 3 * one);
  for (int i = 0; i < 10; ++i) tap.offer(sized(1000));
  EXPECT_EQ(tap.delivered(), 3U);
  EXPECT_EQ(tap.dropped(), 7U);
  const auto taken = tap.take();
  ASSERT_EQ(taken.size(), 3U);
  EXPECT_EQ(taken.front().size(), one);
  // Taking frees the bytes.
  tap.offer(sized(1000));
  EXPECT_EQ(tap.delivered(), 4U);
}

TEST(TapSubscription, AnEmptyTapTakesOneEventLargerThanItsByteCap) {
  TapSubscription tap(0, 10, 100);
  tap.offer(sized(5000));
  tap.offer(sized(10));
  EXPECT_EQ(tap.delivered(), 1U);
  EXPECT_EQ(tap.dropped(), 1U);
  EXPECT_EQ(tap.take().front().size(), sized(5000).wire().size());
}

TEST(TapSubscription, NothingIsQueuedAfterTheEnd) {
  TapSubscription tap(0, 10);
  int wakeups = 0;
  tap.set_wakeup([&] { ++wakeups; });
  tap.offer(sized(1));
  tap.end();
  tap.offer(sized(1));
  EXPECT_TRUE(tap.ended());
  EXPECT_EQ(tap.delivered(), 1U);
  EXPECT_EQ(wakeups, 2);  // the first event, then the end
}

}  // namespace
}  // namespace flowmind
