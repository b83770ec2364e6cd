// The source-to-filters queue: bounded, with the block / drop_oldest / drop_newest policies.
#include "runtime/input_channel.hpp"

#include <algorithm>
#include <utility>

namespace flowmind {

InputChannel::InputChannel(BufferSpec buffer, StageMetrics& source_metrics, std::function<void()> wake_consumer)
    : metrics_(source_metrics),
      wake_consumer_(std::move(wake_consumer)),
      capacity_(std::max<std::size_t>(1, buffer.max_events)),
      policy_(buffer.when_full),
      queue_(buffer.max_events, buffer.when_full) {}

bool InputChannel::offer_locked(Event& event, bool& wake) {
  // The sequence is only consumed by events that enter the queue, so a pipeline's sequence
  // numbers are gap-free unless drop_oldest later evicts some.
  const auto sequence = next_sequence_;
  event.set_sequence(sequence);
  switch (queue_.push(event)) {
    case BoundedQueue<Event>::Push::queued: break;
    case BoundedQueue<Event>::Push::evicted: metrics_.dropped.fetch_add(1, std::memory_order_relaxed); break;
    case BoundedQueue<Event>::Push::discarded:
      event.set_sequence(0);
      metrics_.dropped.fetch_add(1, std::memory_order_relaxed);
      return true;
    case BoundedQueue<Event>::Push::full: event.set_sequence(0); return false;
  }
  ++next_sequence_;
  metrics_.out.fetch_add(1, std::memory_order_relaxed);
  if (!consumer_active_) {
    consumer_active_ = true;
    wake = true;
  }
  return true;
}

bool InputChannel::emit(Event event) {
  bool wake = false;
  {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (stopping()) return false;
      if (offer_locked(event, wake)) break;
      room_.wait(lock);
    }
  }
  if (wake) wake_consumer_();
  return true;
}

SourceContext::EmitResult InputChannel::try_emit(Event& event) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping()) return SourceContext::EmitResult::stopping;
    if (!offer_locked(event, wake)) return SourceContext::EmitResult::full;
  }
  if (wake) wake_consumer_();
  return SourceContext::EmitResult::accepted;
}

bool InputChannel::wait_for_stop(std::chrono::nanoseconds timeout) {
  // steady_clock::now() + a huge timeout would overflow; ten years is "forever" enough.
  constexpr auto longest = std::chrono::hours(24 * 365 * 10);
  const auto bounded = std::clamp<std::chrono::nanoseconds>(timeout, std::chrono::nanoseconds(0), longest);
  std::unique_lock lock(mutex_);
  stopped_.wait_for(lock, bounded, [this] { return stopping(); });
  return stopping();
}

void InputChannel::request_stop() {
  {
    // Under the lock so a waiter cannot check the flag and then miss the notification.
    std::lock_guard lock(mutex_);
    stopping_.store(true, std::memory_order_release);
  }
  room_.notify_all();
  stopped_.notify_all();
}

void InputChannel::release_source() {
  {
    std::lock_guard lock(mutex_);
    released_.store(true, std::memory_order_release);
  }
  room_.notify_all();
  stopped_.notify_all();
}

void InputChannel::rearm_source() {
  std::lock_guard lock(mutex_);
  released_.store(false, std::memory_order_release);
}

void InputChannel::abandon() {
  std::lock_guard lock(mutex_);
  metrics_.dropped.fetch_add(queue_.clear(), std::memory_order_relaxed);
}

std::optional<Event> InputChannel::pop() {
  std::optional<Event> event;
  {
    std::lock_guard lock(mutex_);
    event = queue_.pop();
    if (!event) {
      consumer_active_ = false;
      return event;
    }
  }
  room_.notify_all();
  return event;
}

std::size_t InputChannel::size() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

}  // namespace flowmind
