// Upstream frames for the relay benchmark: real-shaped flow alerts stamped with a sequence number and send time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flowmind::bench {

// Microseconds on the monotonic clock: the harness both stamps and receives, so one clock serves.
std::uint64_t now_us();

struct BenchStamp {
  std::uint64_t seq = 0;
  std::uint64_t sent_us = 0;
};

class PayloadSource {
 public:
  // `variety` distinct alerts (about 1.1 KB each) are generated once and cycled through.
  explicit PayloadSource(std::size_t variety = 1000);

  // `["flow-alerts",{"bench_seq":S,"bench_sent_us":T,<alert fields>}]`: the stamp leads the payload so
  // a client finds it in the first bytes of whatever envelope the relay wraps around it.
  [[nodiscard]] std::string frame(BenchStamp stamp) const;
  [[nodiscard]] double average_payload_bytes() const;

 private:
  std::vector<std::string> alerts_;
};

// The stamp inside a relayed message (envelope or raw frame); tolerates white space around the colons.
std::optional<BenchStamp> find_stamp(std::string_view text);

}  // namespace flowmind::bench
