// BoundedQueue: the three full-queue policies and the capacity bound.
#include "runtime/bounded_queue.hpp"

#include <memory>

#include <gtest/gtest.h>

namespace flowmind {
namespace {

using Queue = BoundedQueue<std::unique_ptr<int>>;

std::unique_ptr<int> item(int value) { return std::make_unique<int>(value); }

void fill(Queue& queue, int count) {
  for (int i = 0; i < count; ++i) {
    auto next = item(i);
    ASSERT_EQ(queue.push(next), Queue::Push::queued);
  }
}

TEST(BoundedQueueTest, BlockRefusesWhenFullAndLeavesTheItemWithTheCaller) {
  Queue queue(2, WhenFull::block);
  fill(queue, 2);
  auto extra = item(7);
  EXPECT_EQ(queue.push(extra), Queue::Push::full);
  ASSERT_NE(extra, nullptr);
  EXPECT_EQ(*extra, 7);
  EXPECT_EQ(queue.size(), 2U);
  EXPECT_EQ(**queue.pop(), 0);
  EXPECT_EQ(queue.push(extra), Queue::Push::queued);
  EXPECT_EQ(extra, nullptr);
  EXPECT_EQ(**queue.pop(), 1);
  EXPECT_EQ(**queue.pop(), 7);
  EXPECT_FALSE(queue.pop().has_value());
}

TEST(BoundedQueueTest, DropOldestEvictsTheFrontAndKeepsTheNewest) {
  Queue queue(3, WhenFull::drop_oldest);
  fill(queue, 3);
  for (int i = 3; i < 10; ++i) {
    auto next = item(i);
    EXPECT_EQ(queue.push(next), Queue::Push::evicted);
    EXPECT_EQ(queue.size(), 3U);
  }
  EXPECT_EQ(**queue.pop(), 7);
  EXPECT_EQ(**queue.pop(), 8);
  EXPECT_EQ(**queue.pop(), 9);
}

TEST(BoundedQueueTest, DropNewestDiscardsTheNewItem) {
  Queue queue(3, WhenFull::drop_newest);
  fill(queue, 3);
  auto extra = item(42);
  EXPECT_EQ(queue.push(extra), Queue::Push::discarded);
  ASSERT_NE(extra, nullptr);  // left with the caller, who drops it
  EXPECT_EQ(queue.size(), 3U);
  EXPECT_EQ(**queue.pop(), 0);
  EXPECT_EQ(**queue.pop(), 1);
  EXPECT_EQ(**queue.pop(), 2);
}

TEST(BoundedQueueTest, ZeroCapacityMeansOneAndClearCountsItems) {
  Queue queue(0, WhenFull::block);
  EXPECT_EQ(queue.capacity(), 1U);
  fill(queue, 1);
  EXPECT_TRUE(queue.full());
  EXPECT_EQ(queue.clear(), 1U);
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.clear(), 0U);
}

}  // namespace
}  // namespace flowmind
