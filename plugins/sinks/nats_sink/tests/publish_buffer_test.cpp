// The sink's buffer: when-full policies with counted drops, in-flight limits, in-order resends.
#include <gtest/gtest.h>

#include <thread>

#include "publish_buffer.hpp"

namespace flowmind::nats_sink {
namespace {

EventPtr event(int n) { return std::make_shared<const Event>("c", std::to_string(n)); }

std::string raw(const std::optional<PublishBuffer::Item>& item) {
  return item ? std::string(item->event->raw()) : std::string("none");
}

TEST(PublishBuffer, DropOldestKeepsTheNewestAndCounts) {
  PublishBuffer buffer(3, PublishBuffer::WhenFull::drop_oldest);
  std::size_t dropped = 0;
  for (int n = 0; n < 5; ++n) dropped += buffer.push(event(n));
  EXPECT_EQ(dropped, 2U);
  EXPECT_EQ(buffer.counts().dropped, 2U);
  EXPECT_EQ(buffer.counts().size, 3U);
  for (const char* expected : {"2", "3", "4"}) EXPECT_EQ(raw(buffer.take_next(10)), expected);
}

TEST(PublishBuffer, DropOldestNeverDropsWhatIsInFlight) {
  PublishBuffer buffer(2, PublishBuffer::WhenFull::drop_oldest);
  buffer.push(event(0));
  buffer.push(event(1));
  const auto first = buffer.take_next(10);
  ASSERT_TRUE(first);
  EXPECT_EQ(buffer.push(event(2)), 1U);  // drops "1", the oldest not yet sent
  EXPECT_EQ(raw(buffer.take_next(10)), "2");
  EXPECT_EQ(buffer.push(event(3)), 1U);  // both in flight: the new one goes
  EXPECT_EQ(buffer.counts().size, 2U);
  EXPECT_EQ(raw(buffer.take_next(10)), "none");
}

TEST(PublishBuffer, DropNewestKeepsTheOldest) {
  PublishBuffer buffer(2, PublishBuffer::WhenFull::drop_newest);
  for (int n = 0; n < 4; ++n) buffer.push(event(n));
  EXPECT_EQ(buffer.counts().dropped, 2U);
  EXPECT_EQ(raw(buffer.take_next(10)), "0");
  EXPECT_EQ(raw(buffer.take_next(10)), "1");
}

TEST(PublishBuffer, BlockWaitsForRoomAndCancelGivesUp) {
  PublishBuffer buffer(1, PublishBuffer::WhenFull::block);
  buffer.push(event(0));
  std::atomic<bool> done{false};
  std::thread producer([&] {
    buffer.push(event(1));
    done = true;
  });
  const auto item = buffer.take_next(10);
  ASSERT_TRUE(item);
  EXPECT_FALSE(done.load());  // still full: the item in flight holds the only slot
  buffer.delivered(item->serial);
  producer.join();
  EXPECT_EQ(raw(buffer.take_next(10)), "1");

  std::thread blocked([&] { EXPECT_EQ(buffer.push(event(2)), 1U); });
  buffer.cancel();
  blocked.join();
  EXPECT_EQ(buffer.counts().dropped, 1U);
}

TEST(PublishBuffer, InFlightIsBounded) {
  PublishBuffer buffer(10, PublishBuffer::WhenFull::block);
  for (int n = 0; n < 5; ++n) buffer.push(event(n));
  EXPECT_TRUE(buffer.take_next(2));
  EXPECT_TRUE(buffer.take_next(2));
  EXPECT_FALSE(buffer.take_next(2));
  EXPECT_EQ(buffer.counts().in_flight, 2U);
}

TEST(PublishBuffer, FailedPublishesAreResentInOrderAfterTheInFlightSettle) {
  PublishBuffer buffer(10, PublishBuffer::WhenFull::block);
  for (int n = 0; n < 4; ++n) buffer.push(event(n));
  const auto a = buffer.take_next(10);
  const auto b = buffer.take_next(10);
  const auto c = buffer.take_next(10);
  ASSERT_TRUE(a && b && c);
  EXPECT_TRUE(buffer.failed(a->serial));
  EXPECT_FALSE(buffer.take_next(10));  // b and c still in flight
  buffer.delivered(b->serial);         // b's answer came (stored)
  EXPECT_TRUE(buffer.failed(c->serial));
  // Everything settled: a and c go again, in order, before 3.
  EXPECT_EQ(raw(buffer.take_next(10)), "0");
  EXPECT_EQ(raw(buffer.take_next(10)), "2");
  EXPECT_EQ(raw(buffer.take_next(10)), "3");
  EXPECT_EQ(buffer.resends(), 2U);
  EXPECT_FALSE(buffer.failed(9999));
}

TEST(PublishBuffer, WaitEmptyAndClear) {
  PublishBuffer buffer(10, PublishBuffer::WhenFull::block);
  buffer.push(event(0));
  EXPECT_FALSE(buffer.wait_empty(std::chrono::steady_clock::now()));
  const auto item = buffer.take_next(1);
  buffer.delivered(item->serial);
  EXPECT_TRUE(buffer.wait_empty(std::chrono::steady_clock::now() + std::chrono::seconds(5)));
  buffer.push(event(1), "id-1");
  buffer.push(event(2));
  const auto sent = buffer.take_next(1);
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->id, "id-1");  // the ID given to push() travels with the event
  // Shutdown: one event never sent, one sent and not answered (the server may have stored it).
  const auto cleared = buffer.clear();
  EXPECT_EQ(cleared.held, 2U);
  EXPECT_EQ(cleared.sent, 1U);
  EXPECT_EQ(buffer.counts().size, 0U);
  EXPECT_EQ(buffer.counts().in_flight, 0U);
}

}  // namespace
}  // namespace flowmind::nats_sink
