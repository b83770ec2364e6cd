// Live taps: copies of the events passing one stage of a pipeline, for `flowmind tap`.
#include "runtime/tap.hpp"

#include <algorithm>
#include <utility>

namespace flowmind {

void TapSubscription::offer(const Event& event) {
  std::function<void()> wakeup;
  {
    std::lock_guard lock(mutex_);
    if (ended_.load()) return;
    const auto& wire = event.wire();
    // An empty queue takes any one event, so a tap never starves on an event above the byte cap.
    if (queue_.size() >= capacity_ || (!queue_.empty() && queued_bytes_ + wire.size() > max_bytes_)) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    queue_.push_back(wire);
    queued_bytes_ += wire.size();
    delivered_.fetch_add(1, std::memory_order_relaxed);
    if (queue_.size() == 1) wakeup = wakeup_;
  }
  if (wakeup) wakeup();
}

std::vector<std::string> TapSubscription::take() {
  std::lock_guard lock(mutex_);
  std::vector<std::string> taken(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
  queue_.clear();
  queued_bytes_ = 0;
  return taken;
}

void TapSubscription::set_wakeup(std::function<void()> wakeup) {
  std::lock_guard lock(mutex_);
  wakeup_ = std::move(wakeup);
}

void TapSubscription::end() {
  std::function<void()> wakeup;
  {
    std::lock_guard lock(mutex_);
    if (ended_.exchange(true)) return;
    wakeup = wakeup_;
  }
  if (wakeup) wakeup();
}

void TapHub::publish(std::size_t stage, const Event& event) {
  std::lock_guard lock(mutex_);
  for (const auto& tap : taps_) {
    if (tap->stage() == stage) tap->offer(event);
  }
}

void TapHub::attach(const std::shared_ptr<TapSubscription>& tap) {
  {
    std::lock_guard lock(mutex_);
    if (!ended_) {
      taps_.push_back(tap);
      active_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
  tap->end();
}

void TapHub::detach(const TapSubscription* tap) {
  std::lock_guard lock(mutex_);
  const auto found = std::find_if(taps_.begin(), taps_.end(), [&](const auto& t) { return t.get() == tap; });
  if (found == taps_.end()) return;
  dropped_gone_ += (*found)->dropped();
  taps_.erase(found);
  active_.fetch_sub(1, std::memory_order_relaxed);
}

void TapHub::end_all() {
  std::vector<std::shared_ptr<TapSubscription>> ended;
  {
    std::lock_guard lock(mutex_);
    ended_ = true;
    ended.swap(taps_);
    for (const auto& tap : ended) dropped_gone_ += tap->dropped();
    active_.store(0, std::memory_order_relaxed);
  }
  for (const auto& tap : ended) tap->end();
}

std::uint64_t TapHub::dropped() const {
  std::lock_guard lock(mutex_);
  auto total = dropped_gone_;
  for (const auto& tap : taps_) total += tap->dropped();
  return total;
}

std::size_t TapHub::attached() const {
  std::lock_guard lock(mutex_);
  return taps_.size();
}

}  // namespace flowmind
