// The uw_websocket source: subscribes the pipeline to the shared UW connection and emits the
// messages of its channels from its own thread, so its backpressure stays its own.
#include "uw_websocket_source.hpp"

#include <utility>

#include "uw_net/tls.hpp"
#include "uw_registry.hpp"
#include "uw_upstream.hpp"

namespace flowmind::uw_websocket {
namespace {

// How often run() looks at ctx.stopping() besides being woken by stop().
constexpr std::chrono::milliseconds stop_poll{250};

nlohmann::json metric(const char* name, const char* type, const char* help, nlohmann::json value,
                      nlohmann::json labels = nlohmann::json::object()) {
  return {{"name", name}, {"type", type}, {"help", help}, {"labels", std::move(labels)}, {"value", std::move(value)}};
}

}  // namespace

UwWebSocketSource::UwWebSocketSource(Options options) : options_(std::move(options)) {
  // Fail at creation, with the file named, rather than on the first connection attempt.
  if (!options_.ca_file.empty()) (void)uw_net::make_tls_client_context(options_.ca_file);
}

void UwWebSocketSource::run(SourceContext& ctx) {
  auto inbox = std::make_shared<Inbox>(options_.channels, options_.queue_limit, ctx.log(), ctx.pipeline_name());
  std::shared_ptr<Upstream> upstream;
  try {
    upstream = acquire_upstream(ctx.io_context(), options_, inbox);
  } catch (const PluginError& error) {
    throw FatalSourceError(error.what());
  }
  {
    std::lock_guard lock(mutex_);
    upstream_ = upstream;
    inbox_ = inbox;
    if (stop_requested_) inbox->stop();
  }
  // Leaves the channels (and the connection, if last) however run() ends.
  struct Release {
    UwWebSocketSource& source;
    std::shared_ptr<Upstream> upstream;
    std::shared_ptr<Inbox> inbox;
    ~Release() {
      inbox->abandon();
      release_upstream(upstream, inbox);
      std::lock_guard lock(source.mutex_);
      source.last_status_ = source.status_locked();
      auto& state = source.last_status_["connection"]["state"];
      if (state != "failed") state = "released";  // a failure stays visible after run() ended
      source.upstream_.reset();
      source.inbox_.reset();
    }
  } release{*this, upstream, inbox};

  while (!ctx.stopping() && !inbox->stopped()) {
    auto message = inbox->pop(stop_poll);
    if (auto failure = inbox->failure()) throw FatalSourceError(*failure);
    if (!message) continue;
    if (!ctx.emit(Event(std::move(message->channel), std::move(message->payload), message->received_at))) break;
  }
}

void UwWebSocketSource::stop() {
  std::lock_guard lock(mutex_);
  stop_requested_ = true;
  if (inbox_) inbox_->stop();
}

bool UwWebSocketSource::reconnect() {
  std::lock_guard lock(mutex_);
  if (!upstream_) return false;
  upstream_->reconnect();
  return true;
}

nlohmann::json UwWebSocketSource::status() const {
  std::lock_guard lock(mutex_);
  return status_locked();
}

nlohmann::json UwWebSocketSource::status_locked() const {
  if (!upstream_ || !inbox_) {
    if (!last_status_.is_null()) return last_status_;
    nlohmann::json idle = {{"connection", {{"state", "idle"}, {"connected", false}}},
                           {"channels", nlohmann::json::object()}};
    idle["metrics"] = status_metrics(idle);
    return idle;
  }
  auto status = upstream_->status(options_.channels);
  const auto counts = inbox_->counts();
  for (const auto& [name, count] : counts.channels) {
    auto& channel = status["channels"][name];
    channel["delivered"] = count.delivered;
    channel["dropped"] = count.dropped;
  }
  status["queue"] = {{"size", counts.size}, {"limit", options_.queue_limit}, {"dropped", counts.dropped}};
  status["metrics"] = status_metrics(status);
  return status;
}

nlohmann::json status_metrics(const nlohmann::json& status) {
  auto metrics = nlohmann::json::array();
  const auto& connection = status.at("connection");
  const auto number = [](const nlohmann::json& object, const char* key) {
    const auto found = object.find(key);
    return found != object.end() && found->is_number() ? *found : nlohmann::json(0);
  };
  metrics.push_back(metric("uw_connected", "gauge", "1 while the UW WebSocket connection is open",
                           connection.value("connected", false) ? 1 : 0));
  metrics.push_back(metric("uw_reconnects_total", "counter", "UW connections re-established after a loss",
                           number(connection, "reconnects")));
  metrics.push_back(metric("uw_connect_failures_total", "counter", "UW connection attempts that failed",
                           number(connection, "connect_failures")));
  metrics.push_back(metric("uw_parse_errors_total", "counter", "Malformed frames from UW (dropped)",
                           number(connection, "parse_errors")));
  metrics.push_back(metric("uw_oversized_frames_total", "counter", "Frames over receive_limit (connection dropped)",
                           number(connection, "oversized_frames")));
  metrics.push_back(metric("uw_ping_timeouts_total", "counter", "Connections found dead by the ping deadline",
                           number(connection, "ping_timeouts")));
  metrics.push_back(metric("uw_join_failures_total", "counter", "Joins refused or never acknowledged",
                           number(connection, "join_failures")));
  if (const auto queue = status.find("queue"); queue != status.end()) {
    metrics.push_back(metric("uw_queue_size", "gauge", "Messages waiting for this pipeline", number(*queue, "size")));
  }
  for (const auto& [name, channel] : status.at("channels").items()) {
    const nlohmann::json labels = {{"channel", name}};
    metrics.push_back(metric("uw_messages_total", "counter", "Data messages received per channel",
                             number(channel, "messages"), labels));
    metrics.push_back(metric("uw_bytes_total", "counter", "Bytes of data frames received per channel",
                             number(channel, "bytes"), labels));
    metrics.push_back(metric("uw_dropped_total", "counter", "Messages dropped from this pipeline's full queue",
                             number(channel, "dropped"), labels));
    metrics.push_back(metric("uw_channel_joined", "gauge", "1 while the channel's join is acknowledged",
                             channel.value("join", "") == "joined" ? 1 : 0, labels));
    if (const auto age = channel.find("last_message_age_ms"); age != channel.end() && age->is_number()) {
      metrics.push_back(metric("uw_last_message_age_seconds", "gauge", "Seconds since the channel's last message",
                               age->get<double>() / 1000.0, labels));
    }
  }
  return metrics;
}

}  // namespace flowmind::uw_websocket
