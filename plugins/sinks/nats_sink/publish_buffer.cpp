// The sink's bounded buffer: when-full policies, in-flight accounting and in-order resends.
#include "publish_buffer.hpp"

#include <algorithm>

namespace flowmind::nats_sink {

std::deque<PublishBuffer::Entry>::iterator PublishBuffer::find(std::uint64_t serial) {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), serial,
                             [](const Entry& entry, std::uint64_t value) { return entry.serial < value; });
  return it != entries_.end() && it->serial == serial ? it : entries_.end();
}

std::size_t PublishBuffer::push(EventPtr event, std::string id) {
  std::unique_lock lock(mutex_);
  if (entries_.size() >= limit_) {
    switch (when_full_) {
      case WhenFull::drop_newest: ++dropped_; return 1;
      case WhenFull::drop_oldest: {
        auto oldest = std::find_if(entries_.begin(), entries_.end(),
                                   [](const Entry& entry) { return entry.state != State::in_flight; });
        ++dropped_;
        if (oldest == entries_.end()) return 1;
        entries_.erase(oldest);
        entries_.push_back({next_serial_++, std::move(event), std::move(id), State::waiting});
        changed_.notify_all();
        return 1;
      }
      case WhenFull::block:
        changed_.wait(lock, [this] { return entries_.size() < limit_ || cancelled_; });
        if (entries_.size() >= limit_) {
          ++dropped_;
          return 1;
        }
        break;
    }
  }
  entries_.push_back({next_serial_++, std::move(event), std::move(id), State::waiting});
  changed_.notify_all();
  return 0;
}

void PublishBuffer::settle_locked() {
  // Failed publishes go out again in their original order, before anything newer, once no
  // publish is in flight: the stream then keeps the events' order (the dedupe ID drops any copy
  // the server had stored although its answer was lost).
  if (!resending_ || in_flight_ > 0) return;
  for (auto& entry : entries_) {
    if (entry.state == State::failed) {
      entry.state = State::waiting;
      ++resends_;
    }
  }
  resending_ = false;
}

bool PublishBuffer::sendable_locked(std::size_t max_in_flight) {
  settle_locked();
  if (resending_ || in_flight_ >= max_in_flight) return false;
  return std::any_of(entries_.begin(), entries_.end(),
                     [](const Entry& entry) { return entry.state == State::waiting; });
}

std::optional<PublishBuffer::Item> PublishBuffer::take_next(std::size_t max_in_flight) {
  std::lock_guard lock(mutex_);
  if (!sendable_locked(max_in_flight)) return std::nullopt;
  for (auto& entry : entries_) {
    if (entry.state == State::waiting) {
      entry.state = State::in_flight;
      entry.sent = true;
      ++in_flight_;
      return Item{entry.serial, entry.event, entry.id};
    }
  }
  return std::nullopt;
}

void PublishBuffer::delivered(std::uint64_t serial) {
  std::lock_guard lock(mutex_);
  const auto it = find(serial);
  if (it == entries_.end()) return;
  if (it->state == State::in_flight) --in_flight_;
  entries_.erase(it);
  settle_locked();
  changed_.notify_all();
}

bool PublishBuffer::failed(std::uint64_t serial) {
  std::lock_guard lock(mutex_);
  const auto it = find(serial);
  if (it == entries_.end()) return false;
  if (it->state == State::in_flight) --in_flight_;
  it->state = State::failed;
  resending_ = true;
  settle_locked();
  changed_.notify_all();
  return true;
}

bool PublishBuffer::wait_sendable(std::size_t max_in_flight, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return cancelled_ || sendable_locked(max_in_flight); }) && !cancelled_;
}

bool PublishBuffer::wait_empty(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return changed_.wait_until(lock, deadline, [this] { return entries_.empty() || cancelled_; }) && entries_.empty();
}

void PublishBuffer::cancel() {
  std::lock_guard lock(mutex_);
  cancelled_ = true;
  changed_.notify_all();
}

PublishBuffer::Cleared PublishBuffer::clear() {
  std::lock_guard lock(mutex_);
  Cleared cleared{entries_.size(),
                  static_cast<std::size_t>(
                      std::count_if(entries_.begin(), entries_.end(), [](const Entry& entry) { return entry.sent; }))};
  entries_.clear();
  in_flight_ = 0;
  resending_ = false;
  changed_.notify_all();
  return cleared;
}

PublishBuffer::Counts PublishBuffer::counts() const {
  std::lock_guard lock(mutex_);
  return {entries_.size(), in_flight_, dropped_};
}

std::uint64_t PublishBuffer::resends() const {
  std::lock_guard lock(mutex_);
  return resends_;
}

}  // namespace flowmind::nats_sink
