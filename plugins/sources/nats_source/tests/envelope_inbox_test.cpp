// The core-NATS inbox: bounded, newest dropped and counted, wake() interrupts a wait.
#include <gtest/gtest.h>

#include <thread>

#include "envelope_inbox.hpp"

namespace flowmind::nats_source {
namespace {

TEST(EnvelopeInbox, KeepsOrderAndDropsTheNewestWhenFull) {
  EnvelopeInbox inbox(2);
  EXPECT_TRUE(inbox.push("a"));
  EXPECT_TRUE(inbox.push("b"));
  EXPECT_FALSE(inbox.push("c"));
  EXPECT_EQ(inbox.dropped(), 1U);
  EXPECT_EQ(inbox.pop(std::chrono::milliseconds(0)), "a");
  EXPECT_EQ(inbox.pop(std::chrono::milliseconds(0)), "b");
  EXPECT_FALSE(inbox.pop(std::chrono::milliseconds(0)));
}

TEST(EnvelopeInbox, WakeEndsAWait) {
  EnvelopeInbox inbox(2);
  std::thread waker([&] { inbox.wake(); });
  EXPECT_FALSE(inbox.pop(std::chrono::minutes(5)));
  waker.join();
}

}  // namespace
}  // namespace flowmind::nats_source
