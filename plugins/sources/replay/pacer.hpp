// When each replayed record is due: its recorded spacing divided by the speed, on absolute deadlines.
#pragma once

#include <chrono>
#include <optional>

namespace flowmind {

// Deadlines are computed from the first record (base) rather than from the previous emit, so
// waiting and emitting costs never add up into drift. A recording's long pauses can be capped
// (max_gap). A replay held back (a full pipeline with `block`) by more than max_lag moves its
// base instead of bursting to catch up.
class Pacer {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;
  using RecordTime = std::chrono::system_clock::time_point;

  // speed <= 0 = as fast as possible; max_gap 0 = uncapped.
  Pacer(double speed, std::chrono::nanoseconds max_gap, std::chrono::nanoseconds max_lag = std::chrono::seconds(1));

  // When the record recorded at `time` is due; nullopt = now (max speed, or a record without time).
  std::optional<SteadyTime> due(std::optional<RecordTime> time, SteadyTime now);

 private:
  double speed_;
  std::chrono::nanoseconds max_gap_;
  std::chrono::nanoseconds max_lag_;
  bool started_ = false;
  SteadyTime base_{};
  RecordTime last_{};
  std::chrono::nanoseconds elapsed_{0};  // recording time since the base, gaps capped
};

}  // namespace flowmind
