// Exponential reconnect backoff with jitter, as the official UW clients do (5 s doubling to 60 s).
#include "uw_net/backoff.hpp"

#include <algorithm>

namespace flowmind::uw_net {

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds maximum, double jitter,
                 std::uint64_t seed)
    : initial_(std::max(initial, std::chrono::milliseconds(1))),
      maximum_(std::max(maximum, initial_)),
      jitter_(std::clamp(jitter, 0.0, 1.0)),
      random_(seed) {}

std::chrono::milliseconds Backoff::next() {
  // Doubling stops at the cap, so no overflow however many attempts.
  auto base = initial_;
  for (unsigned i = 0; i < attempts_ && base < maximum_; ++i) base *= 2;
  base = std::min(base, maximum_);
  ++attempts_;
  if (jitter_ <= 0.0) return base;
  std::uniform_real_distribution<double> fraction(0.0, jitter_);
  const auto cut = static_cast<std::int64_t>(static_cast<double>(base.count()) * fraction(random_));
  return std::max(std::chrono::milliseconds(1), base - std::chrono::milliseconds(cut));
}

}  // namespace flowmind::uw_net
