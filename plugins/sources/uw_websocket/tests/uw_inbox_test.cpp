// Unit tests of a pipeline's inbox: bounded with drop-oldest, counted, woken by stop and failure.
#include <thread>

#include <gtest/gtest.h>

#include "uw_inbox.hpp"
#include "uw_source_harness.hpp"

namespace flowmind::uw_websocket {
namespace {

Message message(const std::string& channel, int n) {
  return Message{channel, "{\"n\":" + std::to_string(n) + "}", Event::Clock::now()};
}

TEST(UwInbox, KeepsOrderAndDropsTheOldestWhenFull) {
  testing::RecordingLogger log;
  Inbox inbox({"a", "b"}, 3, log, "p");
  EXPECT_TRUE(inbox.wants("a"));
  EXPECT_FALSE(inbox.wants("c"));
  inbox.push(message("a", 1));
  inbox.push(message("b", 2));
  inbox.push(message("a", 3));
  inbox.push(message("a", 4));  // drops a/1
  inbox.push(message("b", 5));  // drops b/2
  auto counts = inbox.counts();
  EXPECT_EQ(counts.size, 3U);
  EXPECT_EQ(counts.dropped, 2U);
  EXPECT_EQ(counts.channels["a"].delivered, 3U);
  EXPECT_EQ(counts.channels["a"].dropped, 1U);
  EXPECT_EQ(counts.channels["b"].delivered, 2U);
  EXPECT_EQ(counts.channels["b"].dropped, 1U);
  for (const char* expected : {"{\"n\":3}", "{\"n\":4}", "{\"n\":5}"}) {
    auto next = inbox.pop(std::chrono::milliseconds(0));
    ASSERT_TRUE(next);
    EXPECT_EQ(next->payload, expected);
  }
  EXPECT_FALSE(inbox.pop(std::chrono::milliseconds(10)));
}

TEST(UwInbox, StopWakesAWaitingPopAndLeftoversCountAsDropped) {
  testing::RecordingLogger log;
  Inbox inbox({"a"}, 10, log, "p");
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    inbox.stop();
  });
  EXPECT_FALSE(inbox.pop(std::chrono::hours(1)));  // returns because of stop(), not the timeout
  stopper.join();
  EXPECT_TRUE(inbox.stopped());
  inbox.push(message("a", 1));  // ignored once stopped
  EXPECT_EQ(inbox.counts().size, 0U);

  Inbox other({"a"}, 10, log, "p");
  other.push(message("a", 1));
  other.push(message("a", 2));
  other.abandon();
  EXPECT_EQ(other.counts().dropped, 2U);
  EXPECT_EQ(other.counts().size, 0U);
}

TEST(UwInbox, FailureWakesPopAndIsKept) {
  testing::RecordingLogger log;
  Inbox inbox({"a"}, 10, log, "p");
  std::thread failer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    inbox.fail("rejected");
    inbox.fail("second reason is ignored");
  });
  EXPECT_FALSE(inbox.pop(std::chrono::hours(1)));
  failer.join();
  ASSERT_TRUE(inbox.failure());
  EXPECT_EQ(*inbox.failure(), "rejected");
}

}  // namespace
}  // namespace flowmind::uw_websocket
