// The browser_relay sink: routes each event to its endpoints on the shared server of its listen address.
#include "browser_relay_sink.hpp"

#include <algorithm>
#include <utility>

namespace flowmind::browser_relay {
namespace {

constexpr std::size_t routing_cache_limit = 4096;

nlohmann::json metric(const char* name, const char* type, const char* help, nlohmann::json value,
                      nlohmann::json labels = nlohmann::json::object()) {
  return {{"name", name}, {"type", type}, {"help", help}, {"labels", std::move(labels)}, {"value", std::move(value)}};
}

}  // namespace

BrowserRelaySink::BrowserRelaySink(RelayOptions options) : options_(std::move(options)) {}

BrowserRelaySink::~BrowserRelaySink() { stop(); }

void BrowserRelaySink::start(StageContext& ctx) {
  std::vector<std::string> paths;
  for (const auto& route : options_.sink.routes) paths.push_back(route.path);
  // A new instance of a pipeline that is being replaced (a reload) takes over its predecessor's
  // endpoints, so their browsers stay connected.
  const auto make_binding = [&](const RelayServer& server) {
    if (auto predecessor = server.predecessor_for(ctx.pipeline_name(), paths)) {
      return std::make_shared<SinkBinding>(predecessor, options_.sink, shard_count_for_host(), &ctx.log(),
                                           pipeline_control(ctx));
    }
    return std::make_shared<SinkBinding>(ctx.pipeline_name(), options_.sink, shard_count_for_host(), &ctx.log(),
                                         pipeline_control(ctx));
  };
  std::shared_ptr<SinkBinding> binding;
  auto server = attach_to_server(ctx.io_context(), options_.server, make_binding, binding);
  std::error_code error;
  if (!std::filesystem::is_directory(server->options().static_dir, error)) {
    ctx.log().warn("static_dir " + server->options().static_dir.string() + " is not a folder: / answers 404");
  }
  // The clients taken over count as this instance's consumers from the start.
  if (auto* control = pipeline_control(ctx)) control->set_demand(binding->core().clients());
  std::lock_guard lock(mutex_);
  server_ = std::move(server);
  binding_ = std::move(binding);
}

const std::vector<std::shared_ptr<Endpoint>>& BrowserRelaySink::endpoints_for(const std::string& channel) {
  if (const auto found = routing_.find(channel); found != routing_.end()) return found->second;
  if (routing_.size() >= routing_cache_limit) routing_.clear();
  std::vector<std::shared_ptr<Endpoint>> endpoints;
  bool refused = false;
  for (const auto& route : binding_->routes()) {
    if (auto endpoint = route->endpoint_for_channel(channel)) {
      endpoints.push_back(std::move(endpoint));
    } else if (route->templated() && route->matches(channel)) {
      refused = true;  // the ticker limit: there may be room next time
    }
  }
  if (refused) {
    uncached_ = std::move(endpoints);
    return uncached_;
  }
  return routing_.emplace(channel, std::move(endpoints)).first->second;
}

void BrowserRelaySink::consume(const EventPtr& event) {
  if (!server_) return;
  events_.fetch_add(1, std::memory_order_relaxed);
  if (binding_->superseded()) {
    // A new instance of the pipeline serves these endpoints now: its events, not this one's.
    superseded_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const auto* endpoints = &endpoints_for(event->channel());
  const auto any_closed = [&] {
    return std::any_of(endpoints->begin(), endpoints->end(), [](const auto& e) { return e->closed(); });
  };
  if (any_closed()) {
    // An idle ticker endpoint was let go to make room: look the channel up again.
    routing_.erase(event->channel());
    endpoints = &endpoints_for(event->channel());
  }
  if (endpoints->empty()) {
    unrouted_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  auto frame = make_event_frame(event);
  if (!valid_utf8(frame->payload)) {
    invalid_utf8_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  for (const auto& endpoint : *endpoints) {
    if (endpoint->closed()) continue;
    endpoint->append(frame);
    server_->publish(endpoint);
  }
}

void BrowserRelaySink::stop() {
  std::shared_ptr<RelayServer> server;
  std::shared_ptr<SinkBinding> binding;
  {
    std::lock_guard lock(mutex_);
    server = server_;
    binding = binding_;
  }
  if (!server) return;
  detach_from_server(server, binding);
  routing_.clear();
  std::lock_guard lock(mutex_);
  server_.reset();
  // binding_ stays for status() (its counters).
}

std::uint16_t BrowserRelaySink::port() const {
  std::lock_guard lock(mutex_);
  return server_ ? server_->port() : 0;
}

nlohmann::json BrowserRelaySink::status() const {
  std::shared_ptr<RelayServer> server;
  std::shared_ptr<SinkBinding> binding;
  {
    std::lock_guard lock(mutex_);
    server = server_;
    binding = binding_;
  }
  nlohmann::json status = {
      {"listen", options_.server.listen()}, {"running", server != nullptr},         {"events", events_.load()},
      {"unrouted", unrouted_.load()},       {"invalid_utf8", invalid_utf8_.load()}, {"superseded", superseded_.load()}};
  if (server) {
    status["port"] = server->port();
    status["server"] = server->counters().to_json();
    status["server"]["fan_out"] = server->send_path();
  }
  nlohmann::json endpoints = nlohmann::json::object();
  std::uint64_t clients = 0;
  if (binding) {
    for (const auto& route : binding->routes()) {
      nlohmann::json entry = {{"clients", 0}, {"connects", 0},         {"disconnects", 0},
                              {"events", 0},  {"messages_sent", 0},    {"bytes_sent", 0},
                              {"dropped", 0}, {"slow_disconnects", 0}, {"ping_timeouts", 0}};
      const auto add = [&](const char* key, const std::atomic<std::uint64_t>& value) {
        entry[key] = entry[key].get<std::uint64_t>() + value.load();
      };
      const auto list = route->endpoints();
      for (const auto& endpoint : list) {
        const auto& counters = endpoint->counters();
        add("clients", counters.clients);
        add("connects", counters.connects);
        add("disconnects", counters.disconnects);
        add("events", counters.events);
        add("messages_sent", counters.messages_sent);
        add("bytes_sent", counters.bytes_sent);
        add("dropped", counters.dropped);
        add("slow_disconnects", counters.slow_disconnects);
        add("ping_timeouts", counters.ping_timeouts);
      }
      if (route->templated()) entry["tickers"] = list.size();
      clients += entry["clients"].get<std::uint64_t>();
      endpoints[route->options().path] = std::move(entry);
    }
  }
  status["clients"] = clients;
  status["endpoints"] = std::move(endpoints);
  status["metrics"] = status_metrics(status);
  return status;
}

nlohmann::json status_metrics(const nlohmann::json& status) {
  auto metrics = nlohmann::json::array();
  metrics.push_back(metric("relay_events_total", "counter", "Events handed to the relay sink", status.at("events")));
  metrics.push_back(metric("relay_unrouted_total", "counter", "Events whose channel no endpoint of the sink relays",
                           status.at("unrouted")));
  metrics.push_back(metric("relay_invalid_utf8_total", "counter", "Events not sent because their text is not UTF-8",
                           status.at("invalid_utf8")));
  for (const auto& [path, endpoint] : status.at("endpoints").items()) {
    const nlohmann::json labels = {{"path", path}};
    metrics.push_back(metric("relay_clients", "gauge", "WebSocket clients connected", endpoint.at("clients"), labels));
    metrics.push_back(
        metric("relay_connects_total", "counter", "WebSocket clients accepted", endpoint.at("connects"), labels));
    metrics.push_back(
        metric("relay_disconnects_total", "counter", "WebSocket clients gone", endpoint.at("disconnects"), labels));
    metrics.push_back(metric("relay_messages_sent_total", "counter", "Messages written to clients",
                             endpoint.at("messages_sent"), labels));
    metrics.push_back(
        metric("relay_bytes_sent_total", "counter", "Bytes of those messages", endpoint.at("bytes_sent"), labels));
    metrics.push_back(metric("relay_dropped_total", "counter", "Messages dropped from full client queues",
                             endpoint.at("dropped"), labels));
    metrics.push_back(metric("relay_slow_disconnects_total", "counter", "Clients disconnected for a full queue",
                             endpoint.at("slow_disconnects"), labels));
    metrics.push_back(metric("relay_ping_timeouts_total", "counter", "Clients closed for not answering a ping",
                             endpoint.at("ping_timeouts"), labels));
  }
  if (const auto server = status.find("server"); server != status.end()) {
    const auto& refused = server->at("refused");
    for (const auto* reason : {"origin", "token", "path", "limit"}) {
      metrics.push_back(metric("relay_refused_total", "counter", "Requests refused by the server (all its sinks)",
                               refused.at(reason), {{"reason", reason}}));
    }
  }
  return metrics;
}

}  // namespace flowmind::browser_relay
