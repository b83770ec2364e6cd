// Core NATS messages waiting for the source's run() thread: bounded, the newest drop when full.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

namespace flowmind::nats_source {

class EnvelopeInbox {
 public:
  explicit EnvelopeInbox(std::size_t limit) : limit_(limit) {}

  // From the client library's thread; false (counted) when full: the pipeline is behind.
  bool push(std::string envelope);
  // Waits up to `timeout` for the oldest message; nullopt on timeout or after wake().
  std::optional<std::string> pop(std::chrono::milliseconds timeout);
  void wake();
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::uint64_t dropped() const;

 private:
  const std::size_t limit_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> messages_;
  std::uint64_t dropped_ = 0;
  bool woken_ = false;
};

}  // namespace flowmind::nats_source
