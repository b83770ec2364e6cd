// Logs a recurring error at most once per interval, saying how many were suppressed.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "flowmind/context.hpp"

namespace flowmind {

// A filter or sink that fails on every event must not flood the log. Not thread-safe: each
// instance belongs to one strand or thread (the one running the stage).
class RateLimitedLog {
 public:
  explicit RateLimitedLog(std::chrono::steady_clock::duration interval = std::chrono::seconds(1))
      : interval_(interval) {}

  void error(Logger& logger, const std::string& message) {
    const auto now = std::chrono::steady_clock::now();
    if (logged_once_ && now - last_ < interval_) {
      ++suppressed_;
      return;
    }
    std::string text = message;
    if (suppressed_ > 0) text += " (" + std::to_string(suppressed_) + " similar errors suppressed)";
    logger.error(text);
    logged_once_ = true;
    last_ = now;
    suppressed_ = 0;
  }

 private:
  std::chrono::steady_clock::duration interval_;
  std::chrono::steady_clock::time_point last_{};
  bool logged_once_ = false;
  std::uint64_t suppressed_ = 0;
};

}  // namespace flowmind
