// Status and metrics JSON of the REST poller.
#include "poll_stats.hpp"

#include "flowmind/event.hpp"

namespace flowmind::uw_rest {
namespace {

nlohmann::json optional_time(const std::optional<PollStats::SystemTime>& time) {
  return time ? nlohmann::json(iso_time(*time)) : nlohmann::json(nullptr);
}

nlohmann::json metric(const char* name, const char* type, const char* help, nlohmann::json labels,
                      std::uint64_t value) {
  return {{"name", name}, {"type", type}, {"help", help}, {"labels", std::move(labels)}, {"value", value}};
}

}  // namespace

std::string iso_time(std::chrono::system_clock::time_point time) { return Event::iso8601_ms(time); }

nlohmann::json status_json(const StatusStatic& fixed, const PollStats& stats, BudgetLimits limits,
                           BudgetRemaining remaining) {
  nlohmann::json metrics = nlohmann::json::array();
  for (const auto& [status, count] : stats.requests) {
    metrics.push_back(metric("uw_rest_requests_total", "counter",
                             "UW REST requests sent, by HTTP status (error = no response)", {{"status", status}},
                             count));
  }
  metrics.push_back(metric("uw_rest_records_total", "counter", "UW REST records emitted as events",
                           nlohmann::json::object(), stats.records_emitted));
  metrics.push_back(metric("uw_rest_duplicates_total", "counter", "UW REST records skipped as already emitted",
                           nlohmann::json::object(), stats.duplicates));
  metrics.push_back(metric("uw_rest_bad_responses_total", "counter", "UW REST responses that were not {\"data\":[...]}",
                           nlohmann::json::object(), stats.bad_responses));
  metrics.push_back(metric("uw_rest_budget_remaining", "gauge", "UW REST requests left in the token's budget",
                           {{"window", "minute"}}, remaining.minute));
  metrics.push_back(metric("uw_rest_budget_remaining", "gauge", "UW REST requests left in the token's budget",
                           {{"window", "day"}}, remaining.day));

  return {
      {"url", fixed.url},
      {"channel", fixed.channel},
      {"interval_ms", std::chrono::duration_cast<std::chrono::milliseconds>(fixed.interval).count()},
      {"state", stats.state},
      {"last_poll", optional_time(stats.last_poll)},
      {"last_success", optional_time(stats.last_success)},
      {"last_status", stats.last_status},
      {"next_poll", optional_time(stats.next_poll)},
      {"next_poll_reason", stats.next_poll_reason},
      {"polls", stats.polls},
      {"requests", stats.requests},
      {"records_seen", stats.records_seen},
      {"records_emitted", stats.records_emitted},
      {"duplicates", stats.duplicates},
      {"bad_responses", stats.bad_responses},
      {"bad_records", stats.bad_records},
      {"errors", stats.errors},
      {"last_error", stats.last_error},
      {"budget",
       {{"per_minute", limits.per_minute},
        {"per_day", limits.per_day},
        {"remaining_minute", remaining.minute},
        {"remaining_day", remaining.day},
        {"waits", stats.budget_waits},
        {"waiting_until", optional_time(stats.budget_wait_until)}}},
      {"backoff", {{"attempts", stats.backoff_attempts}}},
      {"dedupe",
       {{"key_fields", fixed.key_fields},
        {"seen_keys", stats.seen_keys},
        {"seen_limit", fixed.seen_limit},
        {"state_file", fixed.state_file.empty() ? nlohmann::json(nullptr) : nlohmann::json(fixed.state_file)},
        {"state_saves", stats.state_saves},
        {"state_errors", stats.state_errors}}},
      {"metrics", std::move(metrics)},
  };
}

}  // namespace flowmind::uw_rest
