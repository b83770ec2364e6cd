// Latency histogram for the relay benchmark: log-linear buckets (~1.6% precision), constant-time record.
#pragma once

#include <cstdint>
#include <vector>

namespace flowmind::bench {

class LatencyHistogram {
 public:
  LatencyHistogram();

  void record(std::uint64_t micros);
  void reset();

  [[nodiscard]] std::uint64_t count() const { return count_; }
  [[nodiscard]] std::uint64_t max() const { return max_; }
  // The smallest recorded value such that `fraction` of the samples are at or below it (0 when empty).
  [[nodiscard]] std::uint64_t percentile(double fraction) const;

 private:
  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  std::uint64_t max_ = 0;
};

}  // namespace flowmind::bench
