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

#include "runtime/tap.hpp"

namespace boost::asio {
class io_context;
}

namespace flowmind {

// A request as the routes beyond the server's own see it.
struct AdminRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // without the query, no trailing '/'
  std::string body;
};

struct AdminResult {
  int status = 200;
  nlohmann::json body;
};

// A tap being served: the subscription and how to let go of it.
struct AdminTap {
  std::shared_ptr<TapSubscription> tap;
  std::function<void()> detach;
};

// Where the admin data comes from (the runtime, in the engine; anything in tests).
struct AdminBackend {
  std::function<nlohmann::json()> pipelines;              // GET /pipelines
  std::function<std::string()> metrics;                   // GET /metrics (Prometheus text)
  std::function<std::vector<std::string>()> not_running;  // GET /ready: 503 naming these
  // POST /pipelines/{name}/reconnect: nullopt = no such pipeline, false = nothing to reconnect.
  std::function<std::optional<bool>(const std::string&)> reconnect;
  // Every other route (pipeline management, reload); nullopt = not a route: 404. Optional.
  std::function<std::optional<AdminResult>(const AdminRequest&)> handle;
  // GET /pipelines/{name}/tap?stage=N: attaches a tap (`wakeup` as TapSubscription's), or sets
  // `error` (404). Optional.
  std::function<AdminTap(const std::string& name, std::size_t stage, std::size_t capacity, std::function<void()> wakeup,
                         std::string& error)>
      tap;
};

// Thrown when the server cannot listen (address in use, bad address).
class AdminListenError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct AdminOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 9180;                    // 0 = any free port (tests)
  std::size_t max_connections = 64;             // beyond this, new connections are closed at once
  std::size_t max_request_bytes = 1024 * 1024;  // larger bodies: 413
  // Required (Authorization: Bearer TOKEN) by every call that is not GET/HEAD when set. When it
  // is empty and the server listens on a non-loopback address, such calls are refused (403).
  std::string token;
  std::size_t tap_queue = 4096;  // events a tap may lag behind before it loses some
};

// True for 127.0.0.0/8 and ::1.
bool is_loopback_host(const std::string& host);

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
