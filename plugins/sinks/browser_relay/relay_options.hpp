// The browser_relay config: the schema table, the checks beyond it, and the parsed options.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "flowmind/config.hpp"
#include "flowmind/config_schema.hpp"

namespace flowmind::browser_relay {

enum class WhenFull { drop_oldest, disconnect };

// One WebSocket endpoint: a path (optionally with one {TICKER} segment) and the channels it relays.
struct RouteOptions {
  std::string path;
  std::vector<std::string> channels;  // exact names, `prefix*`, `*`, or with {TICKER} on ticker paths
  std::string id;                     // short name in /channels and /status (default: the last fixed segment)
  std::string name;
  std::string description;
};

// What one server (one listen address) is configured with; shared by every sink on that address.
struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;
  std::string tls_cert;
  std::string tls_key;
  std::vector<std::string> allowed_origins;  // empty: the server's own origins
  std::string token;
  std::string admin_token;
  std::size_t max_clients = 10000;
  std::size_t max_connections_per_ip = 2000;
  std::size_t max_message_size = 4096;
  std::size_t max_request_size = 16384;
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds ping_interval{60000};
  bool io_uring = true;  // fan-out writes batched through io_uring when the kernel allows
  std::filesystem::path static_dir;

  [[nodiscard]] bool tls() const { return !tls_cert.empty(); }
  [[nodiscard]] std::string listen() const;  // "127.0.0.1:8000", "[::1]:8000"
  [[nodiscard]] bool loopback() const;
  // Names of the options that differ from `other` (never their values: tokens are among them).
  [[nodiscard]] std::vector<std::string> differences(const ServerOptions& other) const;
};

// What one sink instance serves on its server.
struct SinkOptions {
  std::vector<RouteOptions> routes;
  std::size_t backlog = 0;
  std::size_t queue_messages = 1000;
  std::size_t queue_bytes = 4U << 20U;
  WhenFull when_full = WhenFull::drop_oldest;
  std::chrono::microseconds batch_delay{0};
  std::size_t max_tickers = 1000;
};

struct RelayOptions {
  ServerOptions server;
  SinkOptions sink;
};

struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};

// "HOST:PORT" with an IP address ("127.0.0.1:8000", "[::1]:8000"; "localhost" and an empty host
// mean 127.0.0.1). nullopt with `reason` set when it is not one.
std::optional<ListenAddress> parse_listen(const std::string& text, std::string& reason);
bool is_loopback_ip(const std::string& host);

// The six endpoints of the original FlowMind backend.
std::vector<RouteOptions> default_routes();

void describe_options(Schema& schema);
std::vector<ConfigIssue> validate_options(const Config& config);
// From a config validated by the engine (schema defaults applied).
RelayOptions read_options(const Config& config);
// The dashboard shipped with FlowMind: <module dir>/../../../share/flowmind/dashboard, or the
// source tree's copy when the logic is linked into a test executable.
std::filesystem::path default_static_dir();

}  // namespace flowmind::browser_relay
