// The engine's admin HTTP API (health, readiness, pipelines, Prometheus metrics) on Boost.Beast.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace boost::asio {
class io_context;
}

namespace flowmind {

// Where the admin data comes from (the runtime, in the engine; anything in tests).
struct AdminBackend {
  std::function<nlohmann::json()> pipelines;              // GET /pipelines
  std::function<std::string()> metrics;                   // GET /metrics (Prometheus text)
  std::function<std::vector<std::string>()> not_running;  // GET /ready: 503 naming these
  // POST /pipelines/{name}/reconnect: nullopt = no such pipeline, false = nothing to reconnect.
  std::function<std::optional<bool>(const std::string&)> reconnect;
};

// Thrown when the server cannot listen (address in use, bad address).
class AdminListenError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct AdminOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 9180;         // 0 = any free port (tests)
  std::size_t max_connections = 64;  // beyond this, new connections are closed at once
  std::size_t max_request_bytes = 64 * 1024;
};

class AdminServer {
 public:
  // Binds and starts accepting on `io`; throws AdminListenError with a clear message.
  AdminServer(boost::asio::io_context& io, AdminOptions options, AdminBackend backend);
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  [[nodiscard]] std::uint16_t port() const;
  // Stops accepting and closes open connections; idempotent.
  void stop();

  class Impl;  // public so the per-connection sessions in the .cpp can reach it

 private:
  std::shared_ptr<Impl> impl_;
};

// Parses "HOST:PORT" ("127.0.0.1:9180", "[::1]:9180", ":9180" = 127.0.0.1); nullopt-like
// failure is reported by throwing std::invalid_argument with the reason.
AdminOptions parse_listen_address(const std::string& text);

}  // namespace flowmind
