// The replay's pacing arithmetic.
#include "pacer.hpp"

#include <algorithm>

namespace flowmind {

Pacer::Pacer(double speed, std::chrono::nanoseconds max_gap, std::chrono::nanoseconds max_lag)
    : speed_(speed), max_gap_(max_gap), max_lag_(max_lag) {}

std::optional<Pacer::SteadyTime> Pacer::due(std::optional<RecordTime> time, SteadyTime now) {
  if (speed_ <= 0 || !time) return std::nullopt;
  if (!started_) {
    started_ = true;
    base_ = now;
    last_ = *time;
    return now;
  }
  auto gap = std::chrono::duration_cast<std::chrono::nanoseconds>(*time - last_);
  if (gap.count() < 0) gap = {};  // out of order: due at once, the clock does not go back
  if (max_gap_.count() > 0) gap = std::min(gap, max_gap_);
  elapsed_ += gap;
  last_ = std::max(last_, *time);
  auto deadline = base_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double, std::nano>(static_cast<double>(elapsed_.count()) / speed_));
  if (now - deadline > max_lag_) {
    base_ += now - deadline;
    deadline = now;
  }
  return deadline;
}

}  // namespace flowmind
