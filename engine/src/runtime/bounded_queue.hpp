// A FIFO with a fixed capacity and a policy for when it is full; callers provide the locking.
#pragma once

#include <algorithm>
#include <cstddef>
#include <deque>
#include <optional>
#include <utility>

#include "config/pipeline_spec.hpp"

namespace flowmind {

// Not thread-safe on purpose: every user pairs the queue with its own mutex and condition
// variables (the source waits for room, a sink thread waits for events), so the policy logic
// lives here once and the waiting stays with the owner.
template <typename T>
class BoundedQueue {
 public:
  enum class Push {
    queued,     // stored
    evicted,    // stored after dropping the oldest item (drop_oldest)
    discarded,  // not stored, the new item is dropped (drop_newest); the item is left as it was
    full,       // not stored, caller must retry later (block); the item is left as it was
  };

  // A capacity of 0 would make every push fail; it is treated as 1.
  BoundedQueue(std::size_t capacity, WhenFull policy)
      : capacity_(std::max<std::size_t>(1, capacity)), policy_(policy) {}

  // Moves from `item` only when the result is queued or evicted.
  Push push(T& item) {
    if (items_.size() < capacity_) {
      items_.push_back(std::move(item));
      return Push::queued;
    }
    switch (policy_) {
      case WhenFull::drop_oldest:
        items_.pop_front();
        items_.push_back(std::move(item));
        return Push::evicted;
      case WhenFull::drop_newest: return Push::discarded;
      case WhenFull::block: return Push::full;
    }
    return Push::full;
  }

  std::optional<T> pop() {
    if (items_.empty()) return std::nullopt;
    std::optional<T> item(std::move(items_.front()));
    items_.pop_front();
    return item;
  }

  // Empties the queue; returns how many items were dropped.
  std::size_t clear() {
    const auto count = items_.size();
    items_.clear();
    return count;
  }

  [[nodiscard]] std::size_t size() const { return items_.size(); }
  [[nodiscard]] bool empty() const { return items_.empty(); }
  [[nodiscard]] bool full() const { return items_.size() >= capacity_; }
  [[nodiscard]] std::size_t capacity() const { return capacity_; }
  [[nodiscard]] WhenFull policy() const { return policy_; }

 private:
  std::deque<T> items_;
  std::size_t capacity_;
  WhenFull policy_;
};

}  // namespace flowmind
