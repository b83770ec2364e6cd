// Fault injection state: what /_sim/fault and --fault switched on, consumed by the network layer.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace flowmind::uwsim {

using Clock = std::chrono::steady_clock;

// Where one connection is in the "next N data frames" faults; connections start at epoch 0.
struct FrameFaultCursor {
  std::uint64_t malformed_epoch = 0;
  long long malformed_left = 0;  // -1 = every frame
  std::uint64_t oversized_epoch = 0;
  long long oversized_left = 0;
};

// What to do with one outgoing data frame.
struct FrameFault {
  enum class Kind { none, malformed, oversized };
  Kind kind = Kind::none;
  std::string malformed_kind;  // not_json, not_array, wrong_arity, payload_not_object
  std::size_t bytes = 0;       // oversized target size
};

struct RestFault {
  int status = 0;
  int retry_after = -1;  // seconds; -1 = no Retry-After header
};

class Faults {
 public:
  // Applies one fault object; returns a message when it is invalid (nothing changes then).
  // `drop_all` is valid here but acts on connections, so the server handles it.
  std::optional<std::string> apply(const nlohmann::json& spec, Clock::time_point now);
  void clear();

  [[nodiscard]] bool stalled(Clock::time_point now) const;
  // When a timed stall ends (nullopt: no stall, or one until cleared).
  [[nodiscard]] std::optional<Clock::time_point> stall_end() const;

  std::optional<int> take_refused_upgrade();
  bool take_ignored_join();
  [[nodiscard]] std::chrono::milliseconds ack_delay() const { return ack_delay_; }
  std::optional<RestFault> take_rest_fault();
  FrameFault next_frame_fault(FrameFaultCursor& cursor) const;

  // The faults in force, for GET /_sim/faults.
  [[nodiscard]] nlohmann::json to_json(Clock::time_point now) const;

 private:
  // A "next N" counter: 0 = off, -1 = until cleared.
  static bool take(long long& left);

  bool stall_forever_ = false;
  std::optional<Clock::time_point> stall_until_;
  std::string malformed_kind_;
  long long malformed_count_ = 0;
  std::uint64_t malformed_epoch_ = 0;
  std::size_t oversized_bytes_ = 0;
  long long oversized_count_ = 0;
  std::uint64_t oversized_epoch_ = 0;
  int refuse_status_ = 0;
  long long refuse_left_ = 0;
  long long ignore_joins_left_ = 0;
  std::chrono::milliseconds ack_delay_{0};
  int rest_429_retry_after_ = 1;
  long long rest_429_left_ = 0;
  long long rest_500_left_ = 0;
  std::uint64_t next_epoch_ = 1;
};

}  // namespace flowmind::uwsim
