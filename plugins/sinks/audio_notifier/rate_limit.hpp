// The audio_notifier's limits: a cooldown per symbol and a budget of sounds per minute, on given clocks.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>

namespace flowmind {

// A symbol alerted less than `cooldown` ago stays quiet. Alerts without a symbol are never held.
// Bounded: past max_symbols, entries whose cooldown is over are forgotten (and if all are
// recent, the oldest goes).
class SymbolCooldown {
 public:
  using Time = std::chrono::steady_clock::time_point;
  explicit SymbolCooldown(std::chrono::nanoseconds cooldown, std::size_t max_symbols = 4096);
  bool allow(const std::string& symbol, Time now);

 private:
  std::chrono::nanoseconds cooldown_;
  std::size_t max_symbols_;
  std::unordered_map<std::string, Time> last_;
};

// At most `per_minute` sounds in any sliding 60 s (0 = no limit).
class MinuteBudget {
 public:
  using Time = std::chrono::steady_clock::time_point;
  explicit MinuteBudget(std::uint64_t per_minute) : per_minute_(per_minute) {}
  bool take(Time now);

 private:
  std::uint64_t per_minute_;
  std::deque<Time> recent_;
};

}  // namespace flowmind
