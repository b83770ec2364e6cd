// Exponential reconnect backoff with jitter, as the official UW clients do (5 s doubling to 60 s).
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace flowmind::uw_net {

// next() returns initial, 2x initial, ... capped at maximum, each shortened by a random part of
// up to `jitter` (0..1) of itself so that clients dropped together do not return together.
// A delay is never longer than `maximum` and never shorter than (1 - jitter) of its base.
class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds maximum, double jitter, std::uint64_t seed);

  std::chrono::milliseconds next();
  // After a success: the next delay is `initial` again.
  void reset() { attempts_ = 0; }
  // Delays handed out since the last reset.
  [[nodiscard]] unsigned attempts() const { return attempts_; }

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds maximum_;
  double jitter_;
  std::mt19937_64 random_;
  unsigned attempts_ = 0;
};

}  // namespace flowmind::uw_net
