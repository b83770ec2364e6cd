// The uw_rest source: polls a UW REST endpoint and emits each record not emitted before.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>

#include <boost/asio/ssl/context.hpp>

#include "flowmind/plugin.hpp"
#include "poll_stats.hpp"
#include "request_budget.hpp"
#include "seen_set.hpp"
#include "uw_net/backoff.hpp"
#include "uw_rest_options.hpp"

namespace flowmind::uw_rest {

// Runs on its own thread: budget, request, records, wait, again. A poll in progress is
// interrupted by stop(); waits use the engine's stop signal. 401/403 end the source with a
// FatalSourceError; every other failure is counted, logged and retried after a backoff.
class UwRestSource final : public Source {
 public:
  // Throws PluginError when the options are unusable (bad URL, unreadable ca_file, no folder
  // for state_file).
  explicit UwRestSource(const Config& config);
  explicit UwRestSource(UwRestOptions options);

  void run(SourceContext& ctx) override;
  void stop() override;
  [[nodiscard]] nlohmann::json status() const override;

 private:
  // Takes a request from the token's budget, waiting while it is used up; false once stopping.
  bool take_budget(SourceContext& ctx);
  // One request and its records; returns how long to wait before the next one.
  std::chrono::nanoseconds poll(SourceContext& ctx);
  // Emits the records of one page oldest first; false once the pipeline is stopping.
  bool emit_new(SourceContext& ctx, const nlohmann::json& records);
  // The wait after a failed request: Retry-After when the server sent a usable one, else backoff.
  std::chrono::nanoseconds retry_delay(const std::string& retry_after, std::string& reason);
  void load_state(SourceContext& ctx);
  void save_state(SourceContext& ctx);
  void failed(SourceContext& ctx, const std::string& message);
  void set_state(const char* state);

  const UwRestOptions options_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
  std::unique_ptr<BudgetLease> budget_;
  uw_net::Backoff backoff_;
  SeenSet seen_;  // run() thread only
  bool state_loaded_ = false;
  std::atomic<bool> stop_requested_{false};

  StatusStatic fixed_;
  mutable std::mutex status_mutex_;
  PollStats stats_;
};

}  // namespace flowmind::uw_rest
