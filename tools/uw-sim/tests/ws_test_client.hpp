// A small synchronous WebSocket client (ws:// and wss://) for the simulator's tests; Beast stays in its .cpp.
#pragma once

#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace flowmind::uwsim::testing {

class WsTestClient {
 public:
  struct Options {
    bool tls = false;
    std::filesystem::path ca_file{};  // TLS: the CA to verify the server with
    std::string bearer{};             // sent as Authorization: Bearer on the upgrade when not empty
    std::string verify_name = "127.0.0.1";
  };

  WsTestClient(int port, std::string target, Options options);
  explicit WsTestClient(int port, std::string target = "/socket?token=test-token")
      : WsTestClient(port, std::move(target), Options{}) {}
  ~WsTestClient();
  WsTestClient(const WsTestClient&) = delete;
  WsTestClient& operator=(const WsTestClient&) = delete;

  // Connects and upgrades; false on failure, with status() (the HTTP answer, 0 when none) and error().
  bool connect(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  [[nodiscard]] int status() const;
  [[nodiscard]] const std::string& error() const;

  void send_text(const std::string& text);
  void send_binary(const std::string& bytes);
  void join(const std::string& channel);
  void leave(const std::string& channel);
  void ping();

  // The next text message, or nullopt when none arrives in time (or the connection is gone).
  std::optional<std::string> read(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  std::optional<nlohmann::json> read_json(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Reads (and discards) messages until one satisfies `match`.
  std::optional<nlohmann::json> read_until(const std::function<bool(const nlohmann::json&)>& match,
                                           std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Reads (discarding) until the ack of `channel` arrives; returns it.
  std::optional<nlohmann::json> wait_ack(const std::string& channel,
                                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Keeps the connection serviced (pongs, incoming frames) for `duration` without consuming messages.
  void pump(std::chrono::milliseconds duration);
  [[nodiscard]] int pongs() const;
  bool wait_pongs(int count, std::chrono::milliseconds timeout);
  // True once the server closed or dropped the connection.
  bool wait_closed(std::chrono::milliseconds timeout);
  [[nodiscard]] bool closed() const;
  // Messages received but not read yet.
  [[nodiscard]] std::size_t buffered() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct FetchResult {
  int status = 0;  // 0 = no HTTP answer (see error)
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string error;
};

// One GET over http or https (verified against `ca_file`), with an optional Authorization: Bearer.
FetchResult http_fetch(int port, const std::string& target, const std::string& bearer = {}, bool tls = false,
                       const std::filesystem::path& ca_file = {});

}  // namespace flowmind::uwsim::testing
