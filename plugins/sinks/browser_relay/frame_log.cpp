// The recent frames of one endpoint, shared by its clients: each client is only a cursor into it,
// so an event is stored once however many clients it goes to, and the backlog comes for free.
#include "frame_log.hpp"

#include <algorithm>

namespace flowmind::browser_relay {

std::uint64_t FrameLog::append(FramePtr frame) {
  std::lock_guard lock(mutex_);
  const auto size = frame->size();
  entries_.push_back({std::move(frame), total_bytes_});
  total_bytes_ += size;
  held_bytes_ += size;
  evict_locked();
  const auto head = first_seq_ + entries_.size();
  head_.store(head);
  return head - 1;
}

void FrameLog::evict_locked() {
  while (entries_.size() > 1 && (entries_.size() > max_frames_ || held_bytes_ > max_bytes_)) {
    held_bytes_ -= entries_.front().frame->size();
    entries_.pop_front();
    ++first_seq_;
  }
}

std::uint64_t FrameLog::head() const {
  std::lock_guard lock(mutex_);
  return first_seq_ + entries_.size();
}

std::uint64_t FrameLog::start_for_backlog(std::size_t backlog) const {
  std::lock_guard lock(mutex_);
  return first_seq_ + entries_.size() - std::min(backlog, entries_.size());
}

void FrameLog::trim_to(std::size_t frames) {
  std::lock_guard lock(mutex_);
  while (entries_.size() > frames) {
    held_bytes_ -= entries_.front().frame->size();
    entries_.pop_front();
    ++first_seq_;
  }
}

std::size_t FrameLog::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

std::size_t FrameLog::bytes() const {
  std::lock_guard lock(mutex_);
  return held_bytes_;
}

FrameLog::Take FrameLog::take(std::uint64_t cursor, std::size_t pending_messages, std::size_t pending_bytes,
                              const QueueLimits& limits, std::size_t batch_messages, std::size_t batch_bytes,
                              std::deque<FramePtr>& out) const {
  std::lock_guard lock(mutex_);
  Take result;
  const std::uint64_t head = first_seq_ + entries_.size();
  if (cursor < first_seq_) {
    result.dropped = first_seq_ - cursor;
    cursor = first_seq_;
  }
  cursor = std::min(cursor, head);
  const auto start_of = [&](std::uint64_t seq) { return entries_[static_cast<std::size_t>(seq - first_seq_)].start; };
  const auto lag_bytes = [&](std::uint64_t seq) {
    return seq == head ? std::uint64_t{0} : total_bytes_ - start_of(seq);
  };
  const auto over = [&](std::uint64_t seq) {
    const auto messages = pending_messages + (head - seq);
    const auto bytes = pending_bytes + lag_bytes(seq);
    // A single frame larger than max_bytes still goes out alone.
    const bool alone = pending_messages == 0 && head - seq == 1;
    return messages > limits.max_messages || (bytes > limits.max_bytes && !alone);
  };
  if (over(cursor)) {
    if (limits.disconnect) {
      result.overflow = true;
      result.cursor = cursor;
      return result;
    }
    while (cursor < head && over(cursor)) {
      ++cursor;
      ++result.dropped;
    }
  }
  std::size_t taken_bytes = 0;
  for (std::size_t n = 0; n < batch_messages && cursor < head && (n == 0 || taken_bytes < batch_bytes); ++n) {
    const auto& frame = entries_[static_cast<std::size_t>(cursor - first_seq_)].frame;
    taken_bytes += frame->size();
    out.push_back(frame);
    ++cursor;
  }
  result.cursor = cursor;
  return result;
}

}  // namespace flowmind::browser_relay
