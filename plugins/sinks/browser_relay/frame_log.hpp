// The recent frames of one endpoint, shared by its clients: each client is only a cursor into it,
// so an event is stored once however many clients it goes to, and the backlog comes for free.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "ws_frame.hpp"

namespace flowmind::browser_relay {

// What one client may have waiting (taken but unwritten + not yet taken) before the policy acts.
struct QueueLimits {
  std::size_t max_messages = 1000;
  std::size_t max_bytes = 4U << 20U;
  bool disconnect = false;  // when over: disconnect instead of dropping the oldest
};

class FrameLog {
 public:
  // Keeps at most `max_frames` frames and `max_bytes` bytes (always at least the newest frame).
  FrameLog(std::size_t max_frames, std::size_t max_bytes) : max_frames_(max_frames), max_bytes_(max_bytes) {}

  // Adds a frame; returns its sequence number (0, 1, 2, ...). Thread-safe.
  std::uint64_t append(FramePtr frame);
  // The sequence number the next frame will get.
  [[nodiscard]] std::uint64_t head() const;
  // Whether a frame at or after `cursor` was appended, without taking the lock (a client that has
  // everything asks this on every write; a frame appended just after is announced by a new round).
  // Sequentially consistent, with the store in append(): a walk that has just cleared its shard's
  // `again` flag must see every frame whose publisher set the flag before that.
  [[nodiscard]] bool has_from(std::uint64_t cursor) const { return head_.load() > cursor; }
  // Where a new client starts so that it gets the last `backlog` frames still held.
  [[nodiscard]] std::uint64_t start_for_backlog(std::size_t backlog) const;
  // Keeps only the newest `frames` (an endpoint without clients needs only its backlog).
  void trim_to(std::size_t frames);
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::size_t bytes() const;

  struct Take {
    std::uint64_t cursor = 0;   // the client's new cursor
    std::uint64_t dropped = 0;  // frames skipped (evicted from the log, or dropped by drop_oldest)
    bool overflow = false;      // over the limits under the disconnect policy (nothing taken)
  };
  // For a client whose next frame is `cursor` and that holds `pending_messages`/`pending_bytes`
  // taken but unwritten: applies the limits, then appends up to `batch_messages` frames (and
  // about `batch_bytes`) to `out`. batch_messages = 0 only applies the limits.
  Take take(std::uint64_t cursor, std::size_t pending_messages, std::size_t pending_bytes, const QueueLimits& limits,
            std::size_t batch_messages, std::size_t batch_bytes, std::deque<FramePtr>& out) const;

 private:
  struct Entry {
    FramePtr frame;
    std::uint64_t start = 0;  // bytes appended before this frame (its position in the byte stream)
  };
  void evict_locked();

  const std::size_t max_frames_;
  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::deque<Entry> entries_;
  std::uint64_t first_seq_ = 0;         // sequence number of entries_.front()
  std::atomic<std::uint64_t> head_{0};  // first_seq_ + entries_.size(), readable without the lock
  std::uint64_t total_bytes_ = 0;
  std::size_t held_bytes_ = 0;
};

}  // namespace flowmind::browser_relay
