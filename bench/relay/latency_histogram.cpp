// Log-linear bucketing: values below 128 us are exact, above that 64 sub-buckets per power of two.
#include "latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace flowmind::bench {
namespace {

constexpr std::uint64_t exact_limit = 128;
constexpr std::uint64_t sub_buckets = 64;
// Far beyond any latency a run can see (~146 years); keeps the bucket table at ~4,000 entries.
constexpr std::uint64_t largest = std::uint64_t{1} << 62;

std::size_t index_of(std::uint64_t value) {
  if (value < exact_limit) return static_cast<std::size_t>(value);
  // shift > 0 so that (value >> shift) lies in [64, 128).
  const int shift = std::bit_width(value) - 7;
  return static_cast<std::size_t>(exact_limit + static_cast<std::uint64_t>(shift - 1) * sub_buckets +
                                  ((value >> shift) - sub_buckets));
}

// Upper edge of a bucket: a percentile never reports less than the samples it stands for.
std::uint64_t value_of(std::size_t index) {
  if (index < exact_limit) return index;
  const auto offset = index - exact_limit;
  const auto shift = static_cast<int>(offset / sub_buckets) + 1;
  const auto mantissa = sub_buckets + offset % sub_buckets;
  return ((mantissa + 1) << shift) - 1;
}

}  // namespace

LatencyHistogram::LatencyHistogram() : buckets_(index_of(largest) + 1, 0) {}

void LatencyHistogram::record(std::uint64_t micros) {
  micros = std::min(micros, largest);
  ++buckets_[index_of(micros)];
  ++count_;
  if (micros > max_) max_ = micros;
}

void LatencyHistogram::reset() {
  std::fill(buckets_.begin(), buckets_.end(), 0);
  count_ = 0;
  max_ = 0;
}

std::uint64_t LatencyHistogram::percentile(double fraction) const {
  if (count_ == 0) return 0;
  const auto wanted = static_cast<std::uint64_t>(std::ceil(fraction * static_cast<double>(count_)));
  std::uint64_t seen = 0;
  for (std::size_t index = 0; index < buckets_.size(); ++index) {
    seen += buckets_[index];
    if (seen >= std::max<std::uint64_t>(wanted, 1)) return std::min(value_of(index), max_);
  }
  return max_;
}

}  // namespace flowmind::bench
