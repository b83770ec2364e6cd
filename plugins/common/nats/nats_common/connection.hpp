// One NATS connection of a plugin instance: connects and reconnects on its own, tracks its state and
// counters for status and metrics, and keeps secrets out of everything it reports.
#pragma once

#include <nats/nats.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "flowmind/context.hpp"
#include "nats_common/connection_options.hpp"

namespace flowmind::nats {

// Every secret in `text` becomes "***".
std::string redact(std::string text, const std::vector<std::string>& secrets);

// "<what>: <nats status text>[: <last error>]", redacted.
std::string describe_error(const std::string& what, natsStatus status, const std::vector<std::string>& secrets);

// One entry of a stage's `metrics` array (exported by /metrics), without labels.
nlohmann::json metric(const std::string& name, const std::string& type, const std::string& help, double value);

class Connection {
 public:
  enum class State { connecting, connected, reconnecting, closed };

  // Starts connecting in the background (a server that is down is retried, not an error) and
  // returns at once. Throws PluginError when the options cannot be applied (e.g. a bad TLS file).
  // `on_change` (optional) is called from the client library's thread after each state change.
  Connection(const ConnectionOptions& options, const std::string& default_name, Logger& log,
             std::function<void()> on_change = {});
  ~Connection();  // closes, waits for the library's last callback
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  [[nodiscard]] natsConnection* get() const { return connection_; }
  [[nodiscard]] State state() const { return state_.load(); }
  [[nodiscard]] bool connected() const { return state_.load() == State::connected; }
  // The client gave up (reconnect_attempts used up): this connection never comes back.
  [[nodiscard]] bool closed() const { return state_.load() == State::closed; }
  // Waits until connected, `timeout` passes or `give_up` returns true (polled every 50 ms); returns
  // false at once when the connection is closed for good (reconnect_attempts used up): see closed().
  bool wait_connected(std::chrono::milliseconds timeout, const std::function<bool()>& give_up = {});
  [[nodiscard]] const std::vector<std::string>& secrets() const { return secrets_; }

  // {"state", "server", "connects", "disconnects", "reconnects", "errors", "last_error"}.
  [[nodiscard]] nlohmann::json status() const;
  // Appends nats_connected, nats_reconnects_total, nats_disconnects_total, nats_errors_total.
  void append_metrics(nlohmann::json& metrics) const;

 private:
  static void on_connected(natsConnection* connection, void* self);
  static void on_disconnected(natsConnection* connection, void* self);
  static void on_reconnected(natsConnection* connection, void* self);
  static void on_closed(natsConnection* connection, void* self);
  static void on_error(natsConnection* connection, natsSubscription* subscription, natsStatus status, void* self);
  // Marks the connection up; with `only_from`, only if the state is still that one.
  void note_connected(natsConnection* connection, std::optional<State> only_from);
  void set_state(State state);
  void remember_error(const std::string& message);

  Logger& log_;
  std::function<void()> on_change_;
  std::vector<std::string> secrets_;
  natsOptions* options_ = nullptr;
  natsConnection* connection_ = nullptr;
  std::atomic<State> state_{State::connecting};
  std::atomic<std::uint64_t> connects_{0};
  std::atomic<std::uint64_t> disconnects_{0};
  std::atomic<std::uint64_t> reconnects_{0};
  std::atomic<std::uint64_t> errors_{0};
  mutable std::mutex mutex_;
  std::condition_variable closed_changed_;
  bool closed_ = false;
  std::string last_error_;
  std::string server_;
};

const char* to_string(Connection::State state);

}  // namespace flowmind::nats
