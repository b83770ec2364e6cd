// One NATS connection of a plugin instance: options applied, state callbacks, status and metrics.
#include "nats_common/connection.hpp"

#include <thread>

#include "flowmind/plugin.hpp"

namespace flowmind::nats {
nlohmann::json metric(const std::string& name, const std::string& type, const std::string& help, double value) {
  return {{"name", name}, {"type", type}, {"help", help}, {"labels", nlohmann::json::object()}, {"value", value}};
}

std::string redact(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
      text.replace(at, secret.size(), "***");
    }
  }
  return text;
}

std::string describe_error(const std::string& what, natsStatus status, const std::vector<std::string>& secrets) {
  std::string text = what + ": " + natsStatus_GetText(status);
  natsStatus last = NATS_OK;
  const char* detail = nats_GetLastError(&last);
  if (detail != nullptr && *detail != '\0' && last != NATS_OK) text += std::string(": ") + detail;
  return redact(std::move(text), secrets);
}

const char* to_string(Connection::State state) {
  switch (state) {
    case Connection::State::connecting: return "connecting";
    case Connection::State::connected: return "connected";
    case Connection::State::reconnecting: return "reconnecting";
    case Connection::State::closed: return "closed";
  }
  return "?";
}

Connection::Connection(const ConnectionOptions& options, const std::string& default_name, Logger& log,
                       std::function<void()> on_change)
    : log_(log), on_change_(std::move(on_change)), secrets_(options.secrets()) {
  const auto check = [&](natsStatus status, const std::string& what) {
    if (status != NATS_OK) {
      natsOptions_Destroy(options_);
      options_ = nullptr;
      throw PluginError(describe_error(what, status, secrets_));
    }
  };
  check(natsOptions_Create(&options_), "NATS options");
  std::vector<const char*> servers;
  for (const auto& server : options.servers) servers.push_back(server.c_str());
  check(natsOptions_SetServers(options_, servers.data(), static_cast<int>(servers.size())), "servers");
  // The configured order is the failover order; randomizing is for spreading many clients.
  check(natsOptions_SetNoRandomize(options_, true), "servers");
  if (!options.token.empty()) check(natsOptions_SetToken(options_, options.token.c_str()), "token");
  if (!options.user.empty()) {
    check(natsOptions_SetUserInfo(options_, options.user.c_str(), options.password.c_str()), "user");
  }
  if (!options.credentials_file.empty()) {
    check(natsOptions_SetUserCredentialsFromFiles(options_, options.credentials_file.c_str(), nullptr),
          "credentials_file");
  }
  if (options.tls) {
    check(natsOptions_SetSecure(options_, true), "tls");
    if (!options.ca_file.empty()) {
      check(natsOptions_LoadCATrustedCertificates(options_, options.ca_file.c_str()), "ca_file");
    }
    if (!options.cert_file.empty()) {
      check(natsOptions_LoadCertificatesChain(options_, options.cert_file.c_str(), options.key_file.c_str()),
            "cert_file/key_file");
    }
    if (!options.tls_hostname.empty()) {
      check(natsOptions_SetExpectedHostname(options_, options.tls_hostname.c_str()), "tls_hostname");
    }
  }
  check(natsOptions_SetTimeout(options_, options.connect_timeout.count()), "connect_timeout");
  check(natsOptions_SetReconnectWait(options_, options.reconnect_wait.count()), "reconnect_wait");
  check(natsOptions_SetReconnectJitter(options_, options.reconnect_jitter.count(), options.reconnect_jitter.count()),
        "reconnect_jitter");
  check(natsOptions_SetMaxReconnect(options_, options.reconnect_attempts == 0 ? -1 : options.reconnect_attempts),
        "reconnect_attempts");
  check(natsOptions_SetPingInterval(options_, options.ping_interval.count()), "ping_interval");
  check(natsOptions_SetName(options_, (options.name.empty() ? default_name : options.name).c_str()), "connection_name");
  check(natsOptions_SetDisconnectedCB(options_, &Connection::on_disconnected, this), "callbacks");
  check(natsOptions_SetReconnectedCB(options_, &Connection::on_reconnected, this), "callbacks");
  check(natsOptions_SetClosedCB(options_, &Connection::on_closed, this), "callbacks");
  check(natsOptions_SetErrorHandler(options_, &Connection::on_error, this), "callbacks");
  // A first attempt without retrying: when it fails, only it tells why (a TLS or authentication
  // refusal); the retrying connect below drops the reason and later just closes, "no server".
  check(natsOptions_SetRetryOnFailedConnect(options_, false, nullptr, nullptr), "retry");
  auto status = natsConnection_Connect(&connection_, options_);
  if (status != NATS_OK) {
    const auto reason = describe_error("connecting to NATS", status, secrets_);
    // Unreachable (down, refused, timed out) is the expected case at start; anything else is
    // a server that answered and refused us: an error to see in status and logs.
    if (status != NATS_NO_SERVER) {
      remember_error(reason);
      log_.warn(reason);
    }
    natsConnection_Destroy(connection_);
    connection_ = nullptr;
    // A server that is down at start is retried like a lost one: the plugins buffer or wait meanwhile.
    check(natsOptions_SetRetryOnFailedConnect(options_, true, &Connection::on_connected, this), "retry");
    status = natsConnection_Connect(&connection_, options_);
  }
  // Publishes are made only while connected (the sink keeps its own bounded buffer), so the
  // client's reconnect buffer only holds what was in flight when the connection dropped.
  if (status == NATS_OK) {
    // The library may already have reported a disconnect by now: only a state still "connecting"
    // becomes "connected", so a loss that fired first is not overwritten.
    note_connected(connection_, State::connecting);
  } else if (status != NATS_NOT_YET_CONNECTED) {
    natsConnection_Destroy(connection_);
    connection_ = nullptr;
    natsOptions_Destroy(options_);
    options_ = nullptr;
    throw PluginError(describe_error("connecting to NATS", status, secrets_));
  } else {
    log_.info("not connected to NATS yet; retrying in the background");
  }
}

Connection::~Connection() {
  if (connection_ != nullptr) {
    natsConnection_Close(connection_);
    // The closed callback is the library's last call into this object.
    std::unique_lock lock(mutex_);
    closed_changed_.wait_for(lock, std::chrono::seconds(5), [this] { return closed_; });
    lock.unlock();
    natsConnection_Destroy(connection_);
  }
  natsOptions_Destroy(options_);
}

bool Connection::wait_connected(std::chrono::milliseconds timeout, const std::function<bool()>& give_up) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!connected()) {
    if ((give_up && give_up()) || std::chrono::steady_clock::now() >= deadline || state() == State::closed) {
      return connected();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

void Connection::set_state(State state) {
  state_ = state;
  if (on_change_) on_change_();
}

void Connection::remember_error(const std::string& message) {
  ++errors_;
  std::lock_guard lock(mutex_);
  last_error_ = redact(message, secrets_);
}

void Connection::note_connected(natsConnection* connection, std::optional<State> only_from) {
  char url[256] = {};
  natsConnection_GetConnectedUrl(connection, url, sizeof url);
  if (only_from) {
    auto expected = *only_from;
    if (!state_.compare_exchange_strong(expected, State::connected)) return;
  } else {
    state_ = State::connected;
  }
  {
    std::lock_guard lock(mutex_);
    server_ = redact(url, secrets_);
  }
  ++connects_;
  log_.info("connected to NATS at " + redact(url, secrets_));
  if (on_change_) on_change_();
}

void Connection::on_connected(natsConnection* connection, void* self) {
  static_cast<Connection*>(self)->note_connected(connection, std::nullopt);
}

void Connection::on_disconnected(natsConnection* /*connection*/, void* self) {
  auto& me = *static_cast<Connection*>(self);
  if (me.state() == State::closed) return;
  ++me.disconnects_;
  me.log_.warn("lost the NATS connection; reconnecting");
  me.set_state(State::reconnecting);
}

void Connection::on_reconnected(natsConnection* connection, void* self) {
  auto& me = *static_cast<Connection*>(self);
  ++me.reconnects_;
  on_connected(connection, self);
}

void Connection::on_closed(natsConnection* /*connection*/, void* self) {
  auto& me = *static_cast<Connection*>(self);
  me.state_ = State::closed;
  if (me.on_change_) me.on_change_();
  std::lock_guard lock(me.mutex_);
  me.closed_ = true;
  me.closed_changed_.notify_all();
}

void Connection::on_error(natsConnection* connection, natsSubscription* /*subscription*/, natsStatus status,
                          void* self) {
  auto& me = *static_cast<Connection*>(self);
  std::string message = std::string("NATS error: ") + natsStatus_GetText(status);
  const char* detail = nullptr;
  if (natsConnection_GetLastError(connection, &detail) != NATS_OK && detail != nullptr) {
    message += std::string(": ") + detail;
  }
  me.remember_error(message);
  me.log_.warn(redact(message, me.secrets_));
}

nlohmann::json Connection::status() const {
  std::lock_guard lock(mutex_);
  return {{"state", to_string(state())},      {"server", server_},
          {"connects", connects_.load()},     {"disconnects", disconnects_.load()},
          {"reconnects", reconnects_.load()}, {"errors", errors_.load()},
          {"last_error", last_error_}};
}

void Connection::append_metrics(nlohmann::json& metrics) const {
  metrics.push_back(metric("nats_connected", "gauge", "1 while the NATS connection is up", connected() ? 1 : 0));
  metrics.push_back(metric("nats_reconnects_total", "counter", "NATS connections re-established after a loss",
                           static_cast<double>(reconnects_.load())));
  metrics.push_back(
      metric("nats_disconnects_total", "counter", "NATS connections lost", static_cast<double>(disconnects_.load())));
  metrics.push_back(metric("nats_errors_total", "counter", "Asynchronous errors reported by the NATS client",
                           static_cast<double>(errors_.load())));
}

}  // namespace flowmind::nats
