// Live taps: copies of the events passing one stage of a pipeline, for `flowmind tap`.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "flowmind/event.hpp"

namespace flowmind {

// One attached tap: a bounded queue of wire texts. Lossy for the tap only: when the queue is
// full (in events or in bytes), new events are dropped and counted here; the pipeline never waits
// for a tap.
class TapSubscription {
 public:
  static constexpr std::size_t default_max_bytes = 8 * 1024 * 1024;
  TapSubscription(std::size_t stage, std::size_t capacity, std::size_t max_bytes = default_max_bytes)
      : stage_(stage), capacity_(capacity), max_bytes_(max_bytes) {}

  [[nodiscard]] std::size_t stage() const { return stage_; }
  // Called on the pipeline's strand.
  void offer(const Event& event);
  // Everything queued, oldest first.
  std::vector<std::string> take();
  // Called (from the pipeline's strand) when the queue goes from empty to non-empty, and once
  // when the tap ends; must not block. Set before the subscription is attached.
  void set_wakeup(std::function<void()> wakeup);
  // The pipeline instance ended (or was replaced): nothing more will come.
  void end();
  [[nodiscard]] bool ended() const { return ended_.load(); }
  [[nodiscard]] std::uint64_t dropped() const { return dropped_.load(); }
  [[nodiscard]] std::uint64_t delivered() const { return delivered_.load(); }

 private:
  const std::size_t stage_;
  const std::size_t capacity_;
  const std::size_t max_bytes_;
  std::mutex mutex_;
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  std::function<void()> wakeup_;
  std::atomic<bool> ended_{false};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> delivered_{0};
};

// The taps of one pipeline instance. The strand asks active() (one relaxed load) before doing
// anything, so a pipeline without taps pays nothing else.
class TapHub {
 public:
  [[nodiscard]] bool active() const { return active_.load(std::memory_order_relaxed) > 0; }
  // Hands `event` to the taps of `stage` (0 = source output, i = after filter i).
  void publish(std::size_t stage, const Event& event);
  void attach(const std::shared_ptr<TapSubscription>& tap);
  void detach(const TapSubscription* tap);
  // Ends every tap (the instance is gone).
  void end_all();
  // Drops counted by taps still attached plus those already gone (for status).
  [[nodiscard]] std::uint64_t dropped() const;
  [[nodiscard]] std::size_t attached() const;

 private:
  std::atomic<int> active_{0};
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<TapSubscription>> taps_;
  std::uint64_t dropped_gone_ = 0;
  bool ended_ = false;
};

}  // namespace flowmind
