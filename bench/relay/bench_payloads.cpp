// Stamped flow-alert frames, built from the project's benchmark generator (same alerts as the chain bench).
#include "bench_payloads.hpp"

#include <charconv>
#include <chrono>

#include "bench_input.hpp"

namespace flowmind::bench {
namespace {

constexpr std::string_view seq_key = "\"bench_seq\"";
constexpr std::string_view sent_key = "\"bench_sent_us\"";
constexpr std::string_view channel = "flow-alerts";

// Parses the number after `key` (at `from` or later); advances `from` past it.
std::optional<std::uint64_t> number_after(std::string_view text, std::string_view key, std::size_t& from) {
  const auto at = text.find(key, from);
  if (at == std::string_view::npos) return std::nullopt;
  auto pos = at + key.size();
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == ':')) ++pos;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data() + pos, text.data() + text.size(), value);
  if (error != std::errc{}) return std::nullopt;
  from = static_cast<std::size_t>(end - text.data());
  return value;
}

}  // namespace

std::uint64_t now_us() {
  const auto since = std::chrono::steady_clock::now().time_since_epoch();
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(since).count());
}

PayloadSource::PayloadSource(std::size_t variety) : alerts_(make_flow_alerts(variety)) {}

std::string PayloadSource::frame(BenchStamp stamp) const {
  const auto& alert = alerts_[stamp.seq % alerts_.size()];
  std::string out;
  out.reserve(alert.size() + 96);
  out += "[\"";
  out += channel;
  out += "\",{\"bench_seq\":";
  out += std::to_string(stamp.seq);
  out += ",\"bench_sent_us\":";
  out += std::to_string(stamp.sent_us);
  out += ',';
  out.append(alert, 1);  // the alert without its opening brace
  out += ']';
  return out;
}

double PayloadSource::average_payload_bytes() const {
  std::size_t total = 0;
  for (const auto& alert : alerts_) total += alert.size();
  // + the stamp: two keys and two numbers of about 10 and 11 digits.
  return static_cast<double>(total) / static_cast<double>(alerts_.size()) + 48.0;
}

std::optional<BenchStamp> find_stamp(std::string_view text) {
  std::size_t from = 0;
  const auto seq = number_after(text, seq_key, from);
  if (!seq) return std::nullopt;
  const auto sent = number_after(text, sent_key, from);
  if (!sent) return std::nullopt;
  return BenchStamp{*seq, *sent};
}

}  // namespace flowmind::bench
