// Core NATS messages waiting for the source's run() thread.
#include "envelope_inbox.hpp"

namespace flowmind::nats_source {

bool EnvelopeInbox::push(std::string envelope) {
  std::lock_guard lock(mutex_);
  if (messages_.size() >= limit_) {
    ++dropped_;
    return false;
  }
  messages_.push_back(std::move(envelope));
  changed_.notify_one();
  return true;
}

std::optional<std::string> EnvelopeInbox::pop(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [this] { return !messages_.empty() || woken_; });
  woken_ = false;
  if (messages_.empty()) return std::nullopt;
  auto message = std::move(messages_.front());
  messages_.pop_front();
  return message;
}

void EnvelopeInbox::wake() {
  std::lock_guard lock(mutex_);
  woken_ = true;
  changed_.notify_all();
}

std::size_t EnvelopeInbox::size() const {
  std::lock_guard lock(mutex_);
  return messages_.size();
}

std::uint64_t EnvelopeInbox::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

}  // namespace flowmind::nats_source
