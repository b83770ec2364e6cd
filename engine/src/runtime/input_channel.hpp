// The bounded queue between a pipeline's source and its filter chain, with the source's waits.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>

#include "config/pipeline_spec.hpp"
#include "flowmind/context.hpp"
#include "flowmind/event.hpp"
#include "runtime/bounded_queue.hpp"
#include "runtime/stage_metrics.hpp"

namespace flowmind {

// Producer side: the source thread (emit, which may wait) or Asio handlers (try_emit, which
// never waits). Consumer side: the pipeline's strand, which never waits either; it is woken
// through `wake_consumer` when an event arrives while it is idle.
class InputChannel {
 public:
  InputChannel(BufferSpec buffer, StageMetrics& source_metrics, std::function<void()> wake_consumer);

  bool emit(Event event);
  SourceContext::EmitResult try_emit(Event& event);
  // True once the pipeline stops, or while the current source run is released (on_demand):
  // either way the source must end its run().
  [[nodiscard]] bool stopping() const {
    return stopping_.load(std::memory_order_acquire) || released_.load(std::memory_order_acquire);
  }
  [[nodiscard]] bool pipeline_stopping() const { return stopping_.load(std::memory_order_acquire); }
  [[nodiscard]] bool released() const { return released_.load(std::memory_order_acquire); }
  bool wait_for_stop(std::chrono::nanoseconds timeout);

  // From now on emit() returns false and every wait of the source ends.
  void request_stop();
  // Ends the current source run without stopping the pipeline (on_demand, no consumers left):
  // stopping() turns true and waits end, until rearm() before the next run.
  void release_source();
  void rearm_source();
  // Drops every queued event (counted as dropped by the source stage).
  void abandon();

  // Next event for the filter chain. When there is none the consumer counts as idle, and the
  // next accepted event wakes it.
  std::optional<Event> pop();

  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::size_t capacity() const { return capacity_; }
  [[nodiscard]] WhenFull policy() const { return policy_; }

 private:
  // Called with the lock held; returns whether the event was taken (queued or dropped by policy).
  bool offer_locked(Event& event, bool& wake);

  StageMetrics& metrics_;
  std::function<void()> wake_consumer_;
  const std::size_t capacity_;
  const WhenFull policy_;

  mutable std::mutex mutex_;
  std::condition_variable room_;     // emit() waiting for room under `block`
  std::condition_variable stopped_;  // wait_for_stop()
  BoundedQueue<Event> queue_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> released_{false};
  bool consumer_active_ = false;
  std::uint64_t next_sequence_ = 1;
};

}  // namespace flowmind
