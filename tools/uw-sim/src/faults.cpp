// Fault injection state: validates fault objects and hands out "next N" faults as they are consumed.
#include "faults.hpp"

namespace flowmind::uwsim {
namespace {

using nlohmann::json;

// Reads an optional non-negative integer field; returns false (with a message) when it is not one.
bool read_count(const json& spec, const char* name, long long fallback, long long& value, std::string& error) {
  if (!spec.contains(name)) {
    value = fallback;
    return true;
  }
  const auto& field = spec.at(name);
  if (!field.is_number_integer() && !field.is_number_unsigned()) {
    error = std::string("'") + name + "' must be a non-negative integer";
    return false;
  }
  value = field.get<long long>();
  if (value < 0) {
    error = std::string("'") + name + "' must be a non-negative integer";
    return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> Faults::apply(const json& spec, Clock::time_point now) {
  if (!spec.is_object()) return "a fault must be a JSON object";
  if (!spec.contains("fault") || !spec.at("fault").is_string()) return "missing string field 'fault'";
  const auto name = spec.at("fault").get<std::string>();
  std::string error;
  long long count = 0;
  if (name == "clear") {
    clear();
    return std::nullopt;
  }
  if (name == "drop_all") return std::nullopt;
  if (name == "stall") {
    long long seconds = 0;
    if (!read_count(spec, "seconds", 0, seconds, error)) return error;
    stall_forever_ = seconds == 0;
    stall_until_ = seconds == 0 ? std::nullopt : std::optional(now + std::chrono::seconds(seconds));
    return std::nullopt;
  }
  // "count" 0 means "until cleared" for every counted fault; absent means 1.
  if (!read_count(spec, "count", 1, count, error)) return error;
  const long long left = count == 0 ? -1 : count;
  if (name == "malformed") {
    static const char* const kinds[] = {"not_json", "not_array", "wrong_arity", "payload_not_object"};
    const auto kind = spec.value("kind", std::string("not_json"));
    bool known = false;
    for (const auto* candidate : kinds) known = known || kind == candidate;
    if (!known) return "'kind' must be one of not_json, not_array, wrong_arity, payload_not_object";
    malformed_kind_ = kind;
    malformed_count_ = left;
    malformed_epoch_ = next_epoch_++;
    return std::nullopt;
  }
  if (name == "oversized") {
    long long bytes = 0;
    if (!read_count(spec, "bytes", 5 * 1024 * 1024, bytes, error)) return error;
    if (bytes < 64 || bytes > 256LL * 1024 * 1024) return "'bytes' must be between 64 and 268435456";
    oversized_bytes_ = static_cast<std::size_t>(bytes);
    oversized_count_ = left;
    oversized_epoch_ = next_epoch_++;
    return std::nullopt;
  }
  if (name == "refuse_upgrade") {
    long long status = 0;
    if (!read_count(spec, "status", 401, status, error)) return error;
    if (status != 401 && status != 403 && status != 429 && status != 500) {
      return "'status' must be 401, 403, 429 or 500";
    }
    refuse_status_ = static_cast<int>(status);
    refuse_left_ = left;
    return std::nullopt;
  }
  if (name == "ignore_joins") {
    ignore_joins_left_ = left;
    return std::nullopt;
  }
  if (name == "late_ack") {
    long long ms = 0;
    if (!spec.contains("ms")) return "missing 'ms'";
    if (!read_count(spec, "ms", 0, ms, error)) return error;
    ack_delay_ = std::chrono::milliseconds(ms);
    return std::nullopt;
  }
  if (name == "rest_429") {
    long long retry_after = 0;
    if (!read_count(spec, "retry_after", 1, retry_after, error)) return error;
    rest_429_retry_after_ = static_cast<int>(retry_after);
    rest_429_left_ = left;
    return std::nullopt;
  }
  if (name == "rest_500") {
    rest_500_left_ = left;
    return std::nullopt;
  }
  return "unknown fault '" + name +
         "' (drop_all, stall, malformed, oversized, refuse_upgrade, ignore_joins, late_ack, rest_429, rest_500, clear)";
}

void Faults::clear() {
  const auto epoch = next_epoch_;
  *this = Faults();
  next_epoch_ = epoch;
}

bool Faults::stalled(Clock::time_point now) const { return stall_forever_ || (stall_until_ && now < *stall_until_); }

std::optional<Clock::time_point> Faults::stall_end() const { return stall_forever_ ? std::nullopt : stall_until_; }

bool Faults::take(long long& left) {
  if (left == 0) return false;
  if (left > 0) --left;
  return true;
}

std::optional<int> Faults::take_refused_upgrade() {
  if (!take(refuse_left_)) return std::nullopt;
  return refuse_status_;
}

bool Faults::take_ignored_join() { return take(ignore_joins_left_); }

std::optional<RestFault> Faults::take_rest_fault() {
  if (take(rest_429_left_)) return RestFault{429, rest_429_retry_after_};
  if (take(rest_500_left_)) return RestFault{500, -1};
  return std::nullopt;
}

FrameFault Faults::next_frame_fault(FrameFaultCursor& cursor) const {
  // A connection meets a newer fault for the first time: it gets its own full count.
  if (malformed_count_ != 0 && cursor.malformed_epoch != malformed_epoch_) {
    cursor.malformed_epoch = malformed_epoch_;
    cursor.malformed_left = malformed_count_;
  }
  if (oversized_count_ != 0 && cursor.oversized_epoch != oversized_epoch_) {
    cursor.oversized_epoch = oversized_epoch_;
    cursor.oversized_left = oversized_count_;
  }
  FrameFault fault;
  if (malformed_count_ != 0 && cursor.malformed_epoch == malformed_epoch_ && take(cursor.malformed_left)) {
    fault.kind = FrameFault::Kind::malformed;
    fault.malformed_kind = malformed_kind_;
  } else if (oversized_count_ != 0 && cursor.oversized_epoch == oversized_epoch_ && take(cursor.oversized_left)) {
    fault.kind = FrameFault::Kind::oversized;
    fault.bytes = oversized_bytes_;
  }
  return fault;
}

json Faults::to_json(Clock::time_point now) const {
  json active = json::array();
  auto count_of = [](long long left) { return left < 0 ? json(0) : json(left); };
  if (stalled(now)) {
    json stall = {{"fault", "stall"}};
    if (stall_until_ && !stall_forever_) {
      stall["seconds_left"] =
          std::chrono::duration_cast<std::chrono::milliseconds>(*stall_until_ - now).count() / 1000.0;
    }
    active.push_back(stall);
  }
  if (malformed_count_ != 0) {
    active.push_back({{"fault", "malformed"}, {"kind", malformed_kind_}, {"count", count_of(malformed_count_)}});
  }
  if (oversized_count_ != 0) {
    active.push_back({{"fault", "oversized"}, {"bytes", oversized_bytes_}, {"count", count_of(oversized_count_)}});
  }
  if (refuse_left_ != 0) {
    active.push_back({{"fault", "refuse_upgrade"}, {"status", refuse_status_}, {"left", count_of(refuse_left_)}});
  }
  if (ignore_joins_left_ != 0) active.push_back({{"fault", "ignore_joins"}, {"left", count_of(ignore_joins_left_)}});
  if (ack_delay_.count() > 0) active.push_back({{"fault", "late_ack"}, {"ms", ack_delay_.count()}});
  if (rest_429_left_ != 0) {
    active.push_back(
        {{"fault", "rest_429"}, {"retry_after", rest_429_retry_after_}, {"left", count_of(rest_429_left_)}});
  }
  if (rest_500_left_ != 0) active.push_back({{"fault", "rest_500"}, {"left", count_of(rest_500_left_)}});
  return {{"faults", active}};
}

}  // namespace flowmind::uwsim
