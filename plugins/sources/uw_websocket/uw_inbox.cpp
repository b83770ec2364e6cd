// One pipeline's bounded queue of UW messages: the shared connection pushes, the source's run()
// thread pops, so a slow pipeline never holds up the socket or the other pipelines.
#include "uw_inbox.hpp"

#include <algorithm>
#include <utility>

namespace flowmind::uw_websocket {

Inbox::Inbox(std::vector<std::string> channels, std::size_t limit, Logger& log, std::string pipeline)
    : channels_(std::move(channels)),
      limit_(std::max<std::size_t>(limit, 1)),
      log_(log),
      pipeline_(std::move(pipeline)) {
  for (const auto& channel : channels_) counts_.try_emplace(channel);
}

bool Inbox::wants(const std::string& channel) const {
  return std::find(channels_.begin(), channels_.end(), channel) != channels_.end();
}

void Inbox::push(Message message) {
  {
    std::lock_guard lock(mutex_);
    if (stopped_ || failure_) return;
    if (queue_.size() >= limit_) {
      ++counts_[queue_.front().channel].dropped;
      ++dropped_;
      queue_.pop_front();
    }
    ++counts_[message.channel].delivered;
    queue_.push_back(std::move(message));
  }
  ready_.notify_one();
}

std::optional<Message> Inbox::pop(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  ready_.wait_for(lock, timeout, [this] { return stopped_ || failure_ || !queue_.empty(); });
  if (stopped_ || failure_ || queue_.empty()) return std::nullopt;
  auto message = std::move(queue_.front());
  queue_.pop_front();
  return message;
}

void Inbox::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  ready_.notify_all();
}

void Inbox::fail(const std::string& reason) {
  {
    std::lock_guard lock(mutex_);
    if (!failure_) failure_ = reason;
  }
  ready_.notify_all();
}

std::optional<std::string> Inbox::failure() const {
  std::lock_guard lock(mutex_);
  return failure_;
}

bool Inbox::stopped() const {
  std::lock_guard lock(mutex_);
  return stopped_;
}

void Inbox::abandon() {
  std::lock_guard lock(mutex_);
  for (const auto& message : queue_) ++counts_[message.channel].dropped;
  dropped_ += queue_.size();
  queue_.clear();
}

Inbox::Counts Inbox::counts() const {
  std::lock_guard lock(mutex_);
  Counts counts;
  counts.size = queue_.size();
  counts.dropped = dropped_;
  for (const auto& [channel, count] : counts_) counts.channels.emplace(channel, count);
  return counts;
}

}  // namespace flowmind::uw_websocket
