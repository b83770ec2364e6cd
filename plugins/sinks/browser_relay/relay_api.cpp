// The relay's HTTP API under /api/stream (status, channels, health, reconnect) and server counters.
#include "relay_api.hpp"

#include "channel_routes.hpp"

namespace flowmind::browser_relay {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

ApiReply json_reply(int status, const nlohmann::json& body) { return {status, body.dump() + "\n", {}}; }

ApiReply error_reply(int status, const std::string& message) {
  return json_reply(status, {{"status", "error"}, {"message", message}});
}

// A source as /status shows it: state and, for UW WebSocket sources, whether it is connected.
nlohmann::json source_entry(const std::string& pipeline, nlohmann::json source) {
  nlohmann::json entry = {{"pipeline", pipeline}};
  if (source.is_null()) {
    entry["state"] = "unknown";
    entry["connected"] = nullptr;
    return entry;
  }
  const auto state = source.value("state", "unknown");
  bool connected = state == "running";
  if (const auto status = source.find("status"); status != source.end() && status->is_object()) {
    if (const auto connection = status->find("connection"); connection != status->end() && connection->is_object()) {
      connected = connected && connection->value("connected", false);
    }
  }
  entry["type"] = source.value("type", "");
  entry["state"] = state;
  entry["connected"] = connected;
  entry["status"] = source.value("status", nlohmann::json());
  return entry;
}

}  // namespace

double RateMeter::rate(std::uint64_t total, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (samples_.empty() || now - samples_.back().first >= std::chrono::seconds(1)) samples_.emplace_back(now, total);
  while (samples_.size() > 2 && now - samples_[1].first >= std::chrono::seconds(10)) samples_.pop_front();
  const auto& [then, before] = samples_.front();
  const double elapsed = std::chrono::duration<double>(now - then).count();
  if (elapsed <= 0.0 || total < before) return 0.0;
  return static_cast<double>(total - before) / elapsed;
}

nlohmann::json ServerCounters::to_json() const {
  return {{"clients", clients.load()},
          {"connects", connects.load()},
          {"disconnects", disconnects.load()},
          {"messages_sent", messages_sent.load()},
          {"http_requests", http_requests.load()},
          {"refused",
           {{"origin", refused_origin.load()},
            {"token", refused_token.load()},
            {"path", refused_path.load()},
            {"limit", refused_limit.load()}}},
          {"bad_requests", bad_requests.load()},
          {"tls_failures", tls_failures.load()},
          {"uptime_seconds", seconds_since(started)}};
}

bool is_api_request(std::string_view path) { return path.rfind("/api/stream/", 0) == 0 || path == "/api/stream"; }

nlohmann::json status_document(const std::vector<std::shared_ptr<SinkBinding>>& bindings, ServerCounters& counters) {
  auto sources = nlohmann::json::array();
  bool all_connected = !bindings.empty();
  nlohmann::json channels = nlohmann::json::object();
  std::size_t active = 0;
  for (const auto& binding : bindings) {
    auto entry = source_entry(binding->pipeline(), binding->core().source_status());
    if (!entry["connected"].is_boolean() || !entry["connected"].get<bool>()) all_connected = false;
    sources.push_back(std::move(entry));
    for (const auto& route : binding->routes()) {
      for (const auto& endpoint : route->endpoints()) {
        const auto clients = endpoint->counters().clients.load();
        if (clients == 0 && route->templated()) continue;
        channels[endpoint->name()] = clients;
        if (clients > 0) ++active;
      }
    }
  }
  const auto sent = counters.messages_sent.load();
  const auto clients = counters.clients.load();
  return {{"status", "running"},
          {"enabled", true},
          {"uw_connection", {{"connected", all_connected}, {"sources", std::move(sources)}}},
          {"client_connections",
           {{"total_connections", clients},
            {"total_connects", counters.connects.load()},
            {"total_disconnects", counters.disconnects.load()},
            {"total_messages_sent", sent},
            {"active_channels", active},
            {"channels", std::move(channels)},
            {"uptime_seconds", seconds_since(counters.started)},
            {"messages_per_second", counters.message_rate.rate(sent, Clock::now())}}},
          {"total_clients", clients}};
}

nlohmann::json channels_document(const std::vector<std::shared_ptr<SinkBinding>>& bindings) {
  auto list = nlohmann::json::array();
  for (const auto& binding : bindings) {
    for (const auto& route : binding->routes()) {
      const auto& options = route->options();
      std::uint64_t subscribers = 0;
      nlohmann::json tickers = nlohmann::json::object();
      for (const auto& endpoint : route->endpoints()) {
        const auto clients = endpoint->counters().clients.load();
        subscribers += clients;
        if (route->templated() && clients > 0) tickers[endpoint->name().substr(options.id.size() + 1)] = clients;
      }
      nlohmann::json entry = {{"id", options.id},
                              {"name", options.name},
                              {"endpoint", options.path},
                              {"description", options.description},
                              {"active_subscribers", subscribers},
                              {"channels", options.channels},
                              {"pipeline", binding->pipeline()}};
      if (route->templated()) entry["tickers"] = std::move(tickers);
      list.push_back(std::move(entry));
    }
  }
  const auto total = list.size();
  return {{"channels", std::move(list)}, {"total_channels", total}, {"enabled", true}};
}

std::pair<bool, nlohmann::json> health_document(const std::vector<std::shared_ptr<SinkBinding>>& bindings,
                                                const ServerCounters& counters) {
  auto failed = nlohmann::json::array();
  for (const auto& binding : bindings) {
    const auto source = binding->core().source_status();
    if (!source.is_object()) continue;
    const auto state = source.value("state", "");
    if (state == "failed" || state == "stopped") failed.push_back(binding->pipeline());
  }
  const bool healthy = !bindings.empty() && failed.empty();
  nlohmann::json body = {{"status", healthy ? "healthy" : "unhealthy"},
                         {"pipelines", bindings.size()},
                         {"clients", counters.clients.load()},
                         {"uptime_seconds", seconds_since(counters.started)}};
  if (!failed.empty()) body["failed_pipelines"] = std::move(failed);
  if (bindings.empty()) body["reason"] = "no pipeline serves this address";
  return {healthy, std::move(body)};
}

ApiReply handle_api(const ApiRequest& request, const std::vector<std::shared_ptr<SinkBinding>>& bindings,
                    ServerCounters& counters, const AccessPolicy& access) {
  const bool get = request.method == "GET" || request.method == "HEAD";
  if (!access.origin_allowed(request.origin)) {
    counters.refused_origin.fetch_add(1);
    return error_reply(403, "origin not allowed");
  }
  if (request.path == "/api/stream/health") {
    if (!get) return {405, error_reply(405, "use GET").body, {{"Allow", "GET, HEAD"}}};
    auto [healthy, body] = health_document(bindings, counters);
    return json_reply(healthy ? 200 : 503, body);
  }
  if (request.path == "/api/stream/reconnect") {
    if (request.method != "POST") return {405, error_reply(405, "use POST").body, {{"Allow", "POST"}}};
    switch (access.admin(request.authorization, request.target)) {
      case AccessPolicy::Admin::allowed: break;
      case AccessPolicy::Admin::unauthorized:
        counters.refused_token.fetch_add(1);
        return {401, error_reply(401, "admin token required").body, {{"WWW-Authenticate", "Bearer"}}};
      case AccessPolicy::Admin::forbidden:
        counters.refused_token.fetch_add(1);
        return error_reply(403, "reconnect needs admin_token when the relay listens on a non-loopback address");
    }
    auto accepted = nlohmann::json::array();
    for (const auto& binding : bindings) {
      if (binding->core().request_reconnect()) accepted.push_back(binding->pipeline());
    }
    if (accepted.empty()) return error_reply(409, "no running source to reconnect");
    std::string names;
    for (const auto& name : accepted) names += (names.empty() ? "" : ", ") + name.get<std::string>();
    return json_reply(
        200,
        {{"status", "success"}, {"message", "reconnect requested for " + names}, {"pipelines", std::move(accepted)}});
  }
  if (!access.client_token_ok(request.authorization, request.target)) {
    counters.refused_token.fetch_add(1);
    return {401, error_reply(401, "token required").body, {{"WWW-Authenticate", "Bearer"}}};
  }
  if (request.path == "/api/stream/status") {
    if (!get) return {405, error_reply(405, "use GET").body, {{"Allow", "GET, HEAD"}}};
    return json_reply(200, status_document(bindings, counters));
  }
  if (request.path == "/api/stream/channels") {
    if (!get) return {405, error_reply(405, "use GET").body, {{"Allow", "GET, HEAD"}}};
    return json_reply(200, channels_document(bindings));
  }
  counters.refused_path.fetch_add(1);
  return error_reply(404, "no such endpoint: " + request.path);
}

}  // namespace flowmind::browser_relay
