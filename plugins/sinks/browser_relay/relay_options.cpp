// The browser_relay config: the schema table, the checks beyond it, and the parsed options.
#include "relay_options.hpp"

#include <arpa/inet.h>
#include <dlfcn.h>

#include <algorithm>
#include <memory>
#include <set>

#include "channel_routes.hpp"

namespace flowmind::browser_relay {
namespace {

std::shared_ptr<const Schema> endpoint_schema() {
  auto schema = std::make_shared<Schema>();
  schema->option("path", OptionType::string, "WebSocket path; one segment may be {TICKER}").required();
  schema
      ->option("channels", OptionType::list,
               "Channels relayed there: names, prefix* or *; gex:{TICKER} on ticker paths")
      .items(OptionType::string)
      .required();
  schema->option("id", OptionType::string, "Short name in /api/stream/channels and /status")
      .default_doc("last segment");
  schema->option("name", OptionType::string, "Display name in /api/stream/channels").default_doc("the id");
  schema->option("description", OptionType::string, "Description in /api/stream/channels").def("");
  return schema;
}

std::string string_or(const nlohmann::json& object, const char* key, const std::string& fallback) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_string()) return fallback;
  const auto& text = found->get_ref<const std::string&>();
  return text.empty() ? fallback : text;
}

RouteOptions route_from_json(const nlohmann::json& item) {
  RouteOptions route;
  route.path = string_or(item, "path", "");
  if (const auto channels = item.find("channels"); channels != item.end() && channels->is_array()) {
    for (const auto& channel : *channels) {
      if (channel.is_string()) route.channels.push_back(channel.get<std::string>());
    }
  }
  route.id = string_or(item, "id", default_route_id(route.path));
  route.name = string_or(item, "name", route.id);
  route.description = string_or(item, "description", "");
  return route;
}

std::vector<RouteOptions> configured_routes(const Config& config) {
  if (config.has("path")) {
    RouteOptions route;
    route.path = config.string("path");
    route.channels = {"*"};
    route.id = default_route_id(route.path);
    route.name = route.id;
    return {route};
  }
  if (!config.has("endpoints")) return default_routes();
  std::vector<RouteOptions> routes;
  for (const auto& item : config.at("endpoints")) routes.push_back(route_from_json(item));
  return routes;
}

std::chrono::milliseconds millis(const Config& config, const std::string& key) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(config.duration(key));
}

}  // namespace

std::string ServerOptions::listen() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

bool ServerOptions::loopback() const { return is_loopback_ip(host); }

std::vector<std::string> ServerOptions::differences(const ServerOptions& other) const {
  std::vector<std::string> names;
  const auto differ = [&](bool different, const char* name) {
    if (different) names.emplace_back(name);
  };
  differ(tls_cert != other.tls_cert || tls_key != other.tls_key, "tls_cert/tls_key");
  differ(allowed_origins != other.allowed_origins, "allowed_origins");
  differ(token != other.token, "token");
  differ(admin_token != other.admin_token, "admin_token");
  differ(max_clients != other.max_clients, "max_clients");
  differ(max_connections_per_ip != other.max_connections_per_ip, "max_connections_per_ip");
  differ(max_message_size != other.max_message_size, "max_message_size");
  differ(max_request_size != other.max_request_size, "max_request_size");
  differ(header_timeout != other.header_timeout, "header_timeout");
  differ(ping_interval != other.ping_interval, "ping_interval");
  differ(io_uring != other.io_uring, "io_uring");
  differ(static_dir != other.static_dir, "static_dir");
  return names;
}

std::optional<ListenAddress> parse_listen(const std::string& text, std::string& reason) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) {
    reason = "expected HOST:PORT, e.g. 127.0.0.1:8000";
    return std::nullopt;
  }
  std::string host = text.substr(0, colon);
  const std::string port = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty() || host == "localhost") host = "127.0.0.1";
  unsigned char buffer[16];
  const bool v4 = ::inet_pton(AF_INET, host.c_str(), buffer) == 1;
  const bool v6 = !v4 && ::inet_pton(AF_INET6, host.c_str(), buffer) == 1;
  if (!v4 && !v6) {
    reason = "'" + host + "' is not an IP address (use 127.0.0.1, 0.0.0.0, ::1, ...)";
    return std::nullopt;
  }
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(port) > 65535) {
    reason = "'" + port + "' is not a port number";
    return std::nullopt;
  }
  return ListenAddress{host, static_cast<std::uint16_t>(std::stoul(port))};
}

bool is_loopback_ip(const std::string& host) {
  unsigned char buffer[16];
  if (::inet_pton(AF_INET, host.c_str(), buffer) == 1) return buffer[0] == 127;
  if (::inet_pton(AF_INET6, host.c_str(), buffer) == 1) {
    static const unsigned char loopback6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    if (std::equal(buffer, buffer + 16, loopback6)) return true;
    // ::ffff:127.x.y.z
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return std::equal(buffer, buffer + 12, mapped) && buffer[12] == 127;
  }
  return false;
}

std::vector<RouteOptions> default_routes() {
  return {
      {"/api/stream/ws/flow", {"flow-alerts"}, "flow", "Options Flow", "Unusual options flow alerts"},
      {"/api/stream/ws/market-movers",
       {"movers", "price:*"},
       "market-movers",
       "Market Movers",
       "Price moves of the watch list (movers filter updates and snapshots)"},
      {"/api/stream/ws/dark-pool", {"off_lit_trades"}, "dark-pool", "Dark Pool", "Off-exchange (dark pool) prints"},
      {"/api/stream/ws/congress",
       {"congress-trades"},
       "congress",
       "Congress Trades",
       "Trades disclosed by members of Congress"},
      {"/api/stream/ws/gex/{TICKER}", {"gex:{TICKER}"}, "gex", "Gamma Exposure", "Gamma exposure of one ticker"},
      {"/api/stream/ws/option-trades/{TICKER}",
       {"option_trades:{TICKER}"},
       "option-trades",
       "Option Trades",
       "Every option trade of one ticker"},
  };
}

void describe_options(Schema& schema) {
  schema
      .option("listen", OptionType::string,
              "IP:PORT to serve on; sinks of every pipeline with the same listen share one server")
      .def("127.0.0.1:8000");
  schema.option("endpoints", OptionType::list, "WebSocket endpoints this sink serves and the channels each relays")
      .fields(endpoint_schema())
      .min(1)
      .default_doc("the six of the original backend (README)");
  schema.option("path", OptionType::string, "Shorthand for one endpoint at this path relaying every channel")
      .default_doc("use endpoints");
  schema
      .option("backlog", OptionType::integer, "Events a newly connected client gets first: the last N of its endpoint")
      .def(0)
      .range(0, 100000);
  schema.option("queue_messages", OptionType::integer, "Messages waiting per client at most")
      .def(1000)
      .range(1, 1000000);
  schema.option("queue_bytes", OptionType::size, "Bytes waiting per client at most").def("4MiB").range("1KiB", "1GiB");
  schema
      .option("when_full", OptionType::enumeration,
              "A client's queue is full: drop its oldest messages, or disconnect it")
      .values({"drop_oldest", "disconnect"})
      .def("drop_oldest");
  schema
      .option("batch_delay", OptionType::duration,
              "Hold events this long so each client gets several per write (less CPU, more latency)")
      .def("0s")
      .range("0s", "1s");
  schema.option("static_dir", OptionType::string, "Folder served at / (no listings, no dot files)")
      .default_doc("the installed dashboard");
  schema
      .option("allowed_origins", OptionType::list, "Origins allowed to connect (exact, e.g. https://desk.example.com)")
      .items(OptionType::string)
      .default_doc("the server's own");
  schema.option("token", OptionType::string, "Bearer token clients must send (Authorization or ?access_token=)")
      .def("");
  schema.option("admin_token", OptionType::string, "Bearer token for POST /api/stream/reconnect").def("");
  schema.option("tls_cert", OptionType::string, "PEM certificate chain: serve https:// and wss://").def("");
  schema.option("tls_key", OptionType::string, "PEM private key of tls_cert").def("");
  schema.option("max_clients", OptionType::integer, "WebSocket clients at most (server-wide)")
      .def(10000)
      .range(1, 1000000);
  schema.option("max_connections_per_ip", OptionType::integer, "Open connections from one address at most")
      .def(2000)
      .range(1, 1000000);
  schema.option("max_message_size", OptionType::size, "Largest frame or message a client may send")
      .def("4KiB")
      .range("256", "1MiB");
  schema.option("max_request_size", OptionType::size, "Largest HTTP request (headers and body)")
      .def("16KiB")
      .range("1KiB", "1MiB");
  schema.option("header_timeout", OptionType::duration, "Time to send an HTTP request (and to finish TLS)")
      .def("10s")
      .range("100ms", "5m");
  schema
      .option("ping_interval", OptionType::duration,
              "Ping every client this often; one that has not answered the previous ping is closed")
      .def("60s")
      .range("10ms", "1h");
  schema
      .option("io_uring", OptionType::boolean,
              "Send each fan-out step's frames to up to 32 clients with one io_uring call (Linux; "
              "one sendmsg per client when false or when the kernel refuses io_uring)")
      .def(true);
  schema.option("max_tickers", OptionType::integer, "Tickers served per {TICKER} endpoint at most")
      .def(1000)
      .range(1, 100000);
}

std::vector<ConfigIssue> validate_options(const Config& config) {
  std::vector<ConfigIssue> issues;
  const auto error = [&](std::string path, std::string message) {
    issues.push_back({std::move(path), std::move(message), ConfigIssue::Severity::error});
  };
  const auto warning = [&](std::string path, std::string message) {
    issues.push_back({std::move(path), std::move(message), ConfigIssue::Severity::warning});
  };

  std::optional<ListenAddress> listen;
  if (config.has("listen")) {
    std::string reason;
    listen = parse_listen(config.string("listen"), reason);
    if (!listen) error("listen", reason);
  }
  if (config.has("path") && config.has("endpoints")) {
    error("path", "give either path or endpoints, not both");
  } else if (config.has("path") && config.string("path").find(ticker_placeholder) != std::string::npos) {
    error("path", "a {TICKER} path needs its channels: use endpoints: [{path: ..., channels: [gex:{TICKER}]}]");
  }
  const auto routes = configured_routes(config);
  std::set<std::string> paths;
  for (std::size_t i = 0; i < routes.size(); ++i) {
    const std::string prefix = config.has("path") ? "" : "endpoints/" + std::to_string(i) + "/";
    for (const auto& issue : check_route(routes[i])) {
      error(config.has("path") ? "path" : prefix + issue.field, issue.message);
    }
    if (!paths.insert(routes[i].path).second) error(prefix + "path", "path '" + routes[i].path + "' is listed twice");
  }
  if (config.has("backlog") && config.has("queue_messages") &&
      config.integer("backlog") > config.integer("queue_messages")) {
    error("backlog", "backlog is larger than queue_messages (a new client's queue would overflow at once)");
  }
  const bool has_cert = config.has("tls_cert") && !config.string("tls_cert").empty();
  const bool has_key = config.has("tls_key") && !config.string("tls_key").empty();
  if (has_cert != has_key) error(has_cert ? "tls_key" : "tls_cert", "tls_cert and tls_key go together");
  if (config.has("allowed_origins")) {
    const auto& origins = config.at("allowed_origins");
    for (std::size_t i = 0; i < origins.size(); ++i) {
      if (!origins[i].is_string()) continue;
      const auto origin = origins[i].get<std::string>();
      const auto path = "allowed_origins/" + std::to_string(i);
      if (origin == "*") {
        warning(path, "\"*\" lets pages from any site read the streams");
      } else if (origin.rfind("http://", 0) != 0 && origin.rfind("https://", 0) != 0) {
        error(path, "an origin is scheme://host[:port], e.g. https://desk.example.com");
      } else if (origin.find('/', origin.find("//") + 2) != std::string::npos) {
        error(path, "an origin has no path (no trailing '/')");
      }
    }
  }
  for (const char* key : {"token", "admin_token"}) {
    if (!config.has(key)) continue;
    const auto value = config.string(key);
    if (std::any_of(value.begin(), value.end(), [](unsigned char c) { return c <= ' ' || c >= 0x7f; })) {
      error(key, std::string(key) + " contains white space or control characters");
    }
  }
  if (listen && !is_loopback_ip(listen->host)) {
    if (!has_cert && config.has("token") && !config.string("token").empty()) {
      warning("token", "the token travels in clear text: listen on a loopback address or configure tls_cert/tls_key");
    }
    if (!config.has("admin_token") || config.string("admin_token").empty()) {
      warning("admin_token", "without admin_token, POST /api/stream/reconnect is refused on a non-loopback listen");
    }
  }
  return issues;
}

RelayOptions read_options(const Config& config) {
  RelayOptions options;
  auto& server = options.server;
  std::string reason;
  if (const auto listen = parse_listen(config.string("listen"), reason)) {
    server.host = listen->host;
    server.port = listen->port;
  }
  server.tls_cert = config.string("tls_cert");
  server.tls_key = config.string("tls_key");
  if (config.has("allowed_origins")) {
    for (const auto& origin : config.at("allowed_origins")) server.allowed_origins.push_back(origin.get<std::string>());
  }
  server.token = config.string("token");
  server.admin_token = config.string("admin_token");
  server.max_clients = static_cast<std::size_t>(config.integer("max_clients"));
  server.max_connections_per_ip = static_cast<std::size_t>(config.integer("max_connections_per_ip"));
  server.max_message_size = static_cast<std::size_t>(config.size("max_message_size"));
  server.max_request_size = static_cast<std::size_t>(config.size("max_request_size"));
  server.header_timeout = millis(config, "header_timeout");
  server.ping_interval = millis(config, "ping_interval");
  server.io_uring = config.boolean("io_uring");
  server.static_dir =
      config.has("static_dir") ? std::filesystem::path(config.string("static_dir")) : default_static_dir();

  auto& sink = options.sink;
  sink.routes = configured_routes(config);
  sink.backlog = static_cast<std::size_t>(config.integer("backlog"));
  sink.queue_messages = static_cast<std::size_t>(config.integer("queue_messages"));
  sink.queue_bytes = static_cast<std::size_t>(config.size("queue_bytes"));
  sink.when_full = config.string("when_full") == "disconnect" ? WhenFull::disconnect : WhenFull::drop_oldest;
  sink.batch_delay = std::chrono::duration_cast<std::chrono::microseconds>(config.duration("batch_delay"));
  sink.max_tickers = static_cast<std::size_t>(config.integer("max_tickers"));
  return options;
}

std::filesystem::path default_static_dir() {
  // Built and installed modules: <prefix>/lib/flowmind/plugins/x.so -> <prefix>/share/flowmind/dashboard.
  // Unit tests link the logic into a test executable and use the source tree's dashboard.
  static const char anchor = 0;  // an address inside this library
  Dl_info info{};
  if (::dladdr(&anchor, &info) != 0 && info.dli_fname != nullptr) {
    const auto shipped =
        std::filesystem::path(info.dli_fname).parent_path() / ".." / ".." / ".." / "share" / "flowmind" / "dashboard";
    std::error_code error;
    if (std::filesystem::is_directory(shipped, error)) return std::filesystem::weakly_canonical(shipped, error);
  }
  return FLOWMIND_RELAY_SOURCE_DASHBOARD;
}

}  // namespace flowmind::browser_relay
