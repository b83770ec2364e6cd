// Cooldown per symbol and sounds-per-minute budget.
#include "rate_limit.hpp"

#include <algorithm>

namespace flowmind {

SymbolCooldown::SymbolCooldown(std::chrono::nanoseconds cooldown, std::size_t max_symbols)
    : cooldown_(cooldown), max_symbols_(max_symbols) {}

bool SymbolCooldown::allow(const std::string& symbol, Time now) {
  if (symbol.empty() || cooldown_.count() <= 0) return true;
  const auto it = last_.find(symbol);
  if (it != last_.end() && now - it->second < cooldown_) return false;
  if (it == last_.end() && last_.size() >= max_symbols_) {
    std::erase_if(last_, [&](const auto& entry) { return now - entry.second >= cooldown_; });
    if (last_.size() >= max_symbols_) {
      last_.erase(std::min_element(last_.begin(), last_.end(),
                                   [](const auto& a, const auto& b) { return a.second < b.second; }));
    }
  }
  last_[symbol] = now;
  return true;
}

bool MinuteBudget::take(Time now) {
  if (per_minute_ == 0) return true;
  while (!recent_.empty() && now - recent_.front() >= std::chrono::minutes(1)) recent_.pop_front();
  if (recent_.size() >= per_minute_) return false;
  recent_.push_back(now);
  return true;
}

}  // namespace flowmind
