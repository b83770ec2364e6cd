// The REST poll loop: budget, request, status handling, dedupe, emission oldest first, state file.
#include "uw_rest.hpp"

#include <filesystem>
#include <random>

#include "http_get.hpp"
#include "retry_after.hpp"
#include "state_file.hpp"
#include "uw_net/redact.hpp"
#include "uw_net/tls.hpp"

namespace flowmind::uw_rest {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;
using SystemClock = std::chrono::system_clock;

// Body text quoted in a log line about a response that is not {"data":[...]}.
constexpr std::size_t quoted_body = 200;

std::uint64_t random_seed() {
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

SystemClock::time_point to_system(SteadyClock::time_point at) {
  return SystemClock::now() + duration_cast<SystemClock::duration>(at - SteadyClock::now());
}

std::string seconds_text(std::chrono::nanoseconds delay) {
  const auto ms = duration_cast<milliseconds>(delay).count();
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(ms) / 1000.0);
  return text;
}

std::string printable_excerpt(const std::string& body) {
  std::string out;
  for (const char c : body.substr(0, quoted_body)) {
    out += (static_cast<unsigned char>(c) < ' ' || c == 0x7f) ? ' ' : c;
  }
  if (body.size() > quoted_body) out += "...";
  return out;
}

std::unique_ptr<boost::asio::ssl::context> tls_context_for(const UwRestOptions& options) {
  if (!options.url.tls()) return nullptr;
  return std::make_unique<boost::asio::ssl::context>(uw_net::make_tls_client_context(options.ca_file));
}

void check_state_folder(const std::string& state_file) {
  if (state_file.empty()) return;
  auto folder = std::filesystem::path(state_file).parent_path();
  if (folder.empty()) folder = ".";
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error)) {
    throw PluginError("state_file: the folder " + folder.string() + " does not exist");
  }
}

}  // namespace

UwRestSource::UwRestSource(const Config& config) : UwRestSource(UwRestOptions::from_config(config)) {}

UwRestSource::UwRestSource(UwRestOptions options)
    : options_(std::move(options)),
      tls_(tls_context_for(options_)),
      budget_(lease_budget(options_.token, options_.budget)),
      backoff_(duration_cast<milliseconds>(options_.backoff_initial), duration_cast<milliseconds>(options_.backoff_max),
               0.2, random_seed()),
      seen_(options_.seen_limit) {
  check_state_folder(options_.state_file);
  fixed_.url = uw_net::redact(uw_net::redact_url(options_.display_url), options_.token);
  fixed_.channel = options_.channel;
  fixed_.interval = options_.interval;
  fixed_.seen_limit = options_.seen_limit;
  fixed_.state_file = options_.state_file;
  fixed_.key_fields = options_.key_groups.empty() ? nlohmann::json("whole record")
                                                  : nlohmann::json(describe_key_groups(options_.key_groups));
}

void UwRestSource::set_state(const char* state) {
  std::lock_guard lock(status_mutex_);
  stats_.state = state;
}

void UwRestSource::run(SourceContext& ctx) {
  if (!state_loaded_) {
    load_state(ctx);
    state_loaded_ = true;
  }
  ctx.log().info("polling " + fixed_.url + " every " + seconds_text(options_.interval) + " into channel '" +
                 options_.channel + "'");
  while (!ctx.stopping() && !stop_requested_) {
    if (!take_budget(ctx)) break;
    std::chrono::nanoseconds delay{};
    try {
      delay = poll(ctx);
    } catch (const FatalSourceError&) {
      set_state("failed");
      throw;
    }
    if (ctx.wait_for_stop(delay)) break;
  }
  set_state("stopped");
}

void UwRestSource::stop() { stop_requested_ = true; }

bool UwRestSource::take_budget(SourceContext& ctx) {
  bool announced = false;
  while (!ctx.stopping() && !stop_requested_) {
    const auto at = budget_->try_take(SteadyClock::now());
    if (!at) {
      std::lock_guard lock(status_mutex_);
      stats_.budget_wait_until.reset();
      return true;
    }
    const auto wait = *at - SteadyClock::now();
    {
      std::lock_guard lock(status_mutex_);
      stats_.state = "waiting_for_budget";
      stats_.budget_wait_until = to_system(*at);  // may move: other pipelines take from the same budget
      if (!announced) ++stats_.budget_waits;
    }
    if (!announced) {
      const auto limits = budget_->limits();
      ctx.log().info("request budget of the token used up (" + std::to_string(limits.per_minute) + "/minute, " +
                     std::to_string(limits.per_day) + "/day, shared by every pipeline using it): next request in " +
                     seconds_text(wait));
      announced = true;
    }
    if (ctx.wait_for_stop(wait)) break;
  }
  return false;
}

std::chrono::nanoseconds UwRestSource::retry_delay(const std::string& retry_after, std::string& reason) {
  const auto backoff = backoff_.next();  // counts the attempt either way
  if (!retry_after.empty()) {
    if (const auto wait = parse_retry_after(retry_after, SystemClock::now())) {
      reason = "retry_after";
      return *wait;
    }
  }
  reason = "backoff";
  return backoff;
}

void UwRestSource::failed(SourceContext& ctx, const std::string& message) {
  const auto text = uw_net::redact(message, options_.token);
  ctx.log().warn(text);
  std::lock_guard lock(status_mutex_);
  ++stats_.errors;
  stats_.last_error = text;
}

std::chrono::nanoseconds UwRestSource::poll(SourceContext& ctx) {
  {
    std::lock_guard lock(status_mutex_);
    stats_.state = "requesting";
    stats_.last_poll = SystemClock::now();
    ++stats_.polls;
  }
  HttpRequestSpec spec;
  spec.url = options_.url;
  spec.headers = {{"Authorization", "Bearer " + options_.token}, {"Accept", "application/json"}};
  spec.timeout = options_.timeout;
  spec.body_limit = options_.max_response;
  const auto outcome = http_get(spec, tls_.get(), [&] { return stop_requested_.load() || ctx.stopping(); });
  if (outcome.cancelled) return std::chrono::nanoseconds(0);

  std::chrono::nanoseconds delay = options_.interval;
  std::string reason = "interval";
  const auto schedule = [&](const char* state) {
    std::lock_guard lock(status_mutex_);
    stats_.state = state;
    stats_.backoff_attempts = backoff_.attempts();
    stats_.next_poll = SystemClock::now() + duration_cast<SystemClock::duration>(delay);
    stats_.next_poll_reason = reason;
    return delay;
  };

  if (!outcome.response) {
    {
      std::lock_guard lock(status_mutex_);
      ++stats_.requests["error"];
      stats_.last_status = 0;
    }
    delay = retry_delay({}, reason);
    failed(ctx, "GET " + fixed_.url + " failed: " + outcome.error + "; retrying in " + seconds_text(delay));
    return schedule("backing_off");
  }

  const auto& response = *outcome.response;
  {
    std::lock_guard lock(status_mutex_);
    ++stats_.requests[std::to_string(response.status)];
    stats_.last_status = response.status;
  }
  const std::string answered = "GET " + fixed_.url + " answered HTTP " + std::to_string(response.status);
  if (response.status == 401 || response.status == 403) {
    const std::string why = response.status == 401 ? "the token was rejected (401 Unauthorized): check UW_API_TOKEN"
                                                   : "the token's plan has no access to this endpoint (403 Forbidden)";
    const auto message = uw_net::redact("uw_rest: " + answered + ": " + why, options_.token);
    {
      // Not logged here: the engine logs the fatal error once, with this message.
      std::lock_guard lock(status_mutex_);
      ++stats_.errors;
      stats_.last_error = message;
    }
    throw FatalSourceError(message);
  }
  if (response.status == 429 || response.status >= 500) {
    delay = retry_delay(response.retry_after, reason);
    failed(ctx, answered + (response.status == 429 ? " (rate limited)" : " (server error)") + "; retrying in " +
                    seconds_text(delay) + (reason == "retry_after" ? " as Retry-After asks" : ""));
    return schedule("backing_off");
  }
  if (response.status < 200 || response.status > 299) {
    failed(ctx, answered + ": " + printable_excerpt(response.body));
    return schedule("idle");
  }

  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("data") || !body["data"].is_array()) {
    {
      std::lock_guard lock(status_mutex_);
      ++stats_.bad_responses;
    }
    failed(ctx, answered + " but the body is not {\"data\":[...]}: " + printable_excerpt(response.body));
    return schedule("idle");
  }
  backoff_.reset();
  {
    std::lock_guard lock(status_mutex_);
    stats_.last_success = SystemClock::now();
  }
  if (!emit_new(ctx, body["data"])) return std::chrono::nanoseconds(0);
  return schedule("idle");
}

bool UwRestSource::emit_new(SourceContext& ctx, const nlohmann::json& records) {
  std::uint64_t emitted = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t bad = 0;
  bool running = true;
  // The API lists newest first: emit oldest first so downstream order is chronological.
  for (auto it = records.rbegin(); it != records.rend(); ++it) {
    if (!it->is_object()) {
      ++bad;
      continue;
    }
    const auto key = record_key(*it, options_.key_groups);
    if (seen_.contains(key)) {
      seen_.insert(key);  // refreshes it: still returned, so not to be forgotten
      ++duplicates;
      continue;
    }
    if (!ctx.emit(Event::from_json(options_.channel, *it))) {
      running = false;
      break;
    }
    seen_.insert(key);
    ++emitted;
  }
  {
    std::lock_guard lock(status_mutex_);
    stats_.records_seen += emitted + duplicates;
    stats_.records_emitted += emitted;
    stats_.duplicates += duplicates;
    stats_.bad_records += bad;
    stats_.seen_keys = seen_.size();
  }
  if (bad > 0) ctx.log().warn(std::to_string(bad) + " item(s) of the response were not JSON objects and were skipped");
  if (emitted > 0) save_state(ctx);
  return running;
}

void UwRestSource::load_state(SourceContext& ctx) {
  if (options_.state_file.empty()) return;
  const auto state = uw_rest::load_state(options_.state_file);
  if (!state.warning.empty()) ctx.log().warn(state.warning);
  for (const auto& key : state.keys) seen_.insert(key);
  if (state.existed && state.warning.empty()) {
    ctx.log().info("remembering " + std::to_string(seen_.size()) + " record(s) from " + options_.state_file);
  }
  std::lock_guard lock(status_mutex_);
  stats_.seen_keys = seen_.size();
}

void UwRestSource::save_state(SourceContext& ctx) {
  if (options_.state_file.empty()) return;
  try {
    uw_rest::save_state(options_.state_file, seen_.keys());
    std::lock_guard lock(status_mutex_);
    ++stats_.state_saves;
  } catch (const std::exception& error) {
    ctx.log().warn(std::string("cannot save the state file: ") + error.what());
    std::lock_guard lock(status_mutex_);
    ++stats_.state_errors;
  }
}

nlohmann::json UwRestSource::status() const {
  const auto now = SteadyClock::now();
  const auto remaining = budget_->remaining(now);
  const auto limits = budget_->limits();
  std::lock_guard lock(status_mutex_);
  return status_json(fixed_, stats_, limits, remaining);
}

}  // namespace flowmind::uw_rest
