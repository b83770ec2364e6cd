// What the REST poller reports: its state, counts per outcome, budget and backoff, as status JSON.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "request_budget.hpp"

namespace flowmind::uw_rest {

// Plain data, guarded by the source's status mutex.
struct PollStats {
  using SystemTime = std::chrono::system_clock::time_point;

  std::string state = "starting";  // starting, requesting, idle, waiting_for_budget, backing_off, failed, stopped
  std::optional<SystemTime> last_poll;
  std::optional<SystemTime> last_success;
  int last_status = 0;                            // 0 = no HTTP answer yet (or the last request got none)
  std::map<std::string, std::uint64_t> requests;  // by HTTP status; "error" = no response
  std::uint64_t polls = 0;
  std::uint64_t records_seen = 0;
  std::uint64_t records_emitted = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t bad_responses = 0;  // a body that is not {"data":[...]}
  std::uint64_t bad_records = 0;    // items of data that are not objects
  std::uint64_t errors = 0;         // requests without a usable answer (transport, 4xx, 5xx, bad body)
  std::string last_error;           // redacted
  std::optional<SystemTime> budget_wait_until;
  std::uint64_t budget_waits = 0;
  unsigned backoff_attempts = 0;
  std::optional<SystemTime> next_poll;
  std::string next_poll_reason;  // interval, retry_after, backoff
  std::uint64_t state_saves = 0;
  std::uint64_t state_errors = 0;
  std::size_t seen_keys = 0;
};

struct StatusStatic {
  std::string url;  // redacted
  std::string channel;
  std::chrono::nanoseconds interval{};
  std::size_t seen_limit = 0;
  std::string state_file;
  nlohmann::json key_fields;
};

// The status object, with its "metrics" array (counters uw_rest_requests_total{status},
// uw_rest_records_total, uw_rest_duplicates_total, uw_rest_bad_responses_total and the gauge
// uw_rest_budget_remaining{window}).
nlohmann::json status_json(const StatusStatic& fixed, const PollStats& stats, BudgetLimits limits,
                           BudgetRemaining remaining);

std::string iso_time(std::chrono::system_clock::time_point time);

}  // namespace flowmind::uw_rest
