// WebSocket clients for the relay's tests: a Beast client (ws:// and wss://) that answers pings like a
// browser, and a raw-socket client that can stall or ignore pings. Beast stays in the .cpp.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace flowmind::browser_relay::testing {

class RelayTestClient {
 public:
  struct Options {
    std::map<std::string, std::string> headers{};  // e.g. {"Origin", "http://evil.example"}
    bool tls = false;
    std::filesystem::path ca_file{};
  };

  RelayTestClient(int port, std::string target, Options options);
  RelayTestClient(int port, std::string target) : RelayTestClient(port, std::move(target), Options{}) {}
  ~RelayTestClient();
  RelayTestClient(const RelayTestClient&) = delete;
  RelayTestClient& operator=(const RelayTestClient&) = delete;

  // Connects and upgrades; false on failure with status() = the HTTP answer (0 when none).
  bool connect(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  [[nodiscard]] int status() const;
  [[nodiscard]] const std::string& error() const;

  // The next text message (nullopt: none in time, or the connection is gone).
  std::optional<std::string> read(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  std::optional<nlohmann::json> read_json(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Reads `count` messages (fewer if they do not come in time).
  std::vector<nlohmann::json> read_many(std::size_t count,
                                        std::chrono::milliseconds timeout = std::chrono::seconds(20));
  void send_text(const std::string& text);
  // Keeps reading (answering pings) for `duration`; returns the messages that came.
  std::vector<std::string> drain(std::chrono::milliseconds duration);
  // True once the server closed the connection; close_code() is its close frame's code (0: none).
  bool wait_closed(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  [[nodiscard]] int close_code() const;
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A plain TCP client that does the handshake by hand and then does only what it is told: it can stop
// reading (a stalled browser tab) and never answers pings.
class RawClient {
 public:
  // An empty target connects and sends nothing. `receive_buffer` > 0 shrinks SO_RCVBUF before the
  // connection is made, so a client that does not read fills up quickly.
  RawClient(int port, const std::string& target, const std::map<std::string, std::string>& headers = {},
            int receive_buffer = 0);
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  // The HTTP answer's status line code (101 on success; 0 when none arrived).
  [[nodiscard]] int status() const { return status_; }
  [[nodiscard]] const std::string& response_head() const { return head_; }
  // Sends raw bytes (e.g. a hand-made frame).
  void send_bytes(const std::string& bytes);
  // Reads server frames for up to `timeout`: returns (opcode, payload) of each; stops at a close frame.
  std::vector<std::pair<int, std::string>> read_frames(std::chrono::milliseconds timeout,
                                                       std::size_t max_frames = 1U << 30U);
  // Reads for `duration`, answering each ping with a pong at once; what came in that time
  // (`closed`: a close frame or the end of the connection).
  struct Served {
    int pings = 0;
    std::vector<std::string> texts;
    bool closed = false;
  };
  Served answer_pings(std::chrono::milliseconds duration);
  // True when the server closed the TCP connection (reads everything pending first).
  bool wait_eof(std::chrono::milliseconds timeout);
  // A masked client frame.
  static std::string masked_frame(int opcode, const std::string& payload, bool fin = true);

 private:
  int fd_ = -1;
  int status_ = 0;
  std::string head_;
  std::string pending_;  // bytes read after the handshake
  bool eof_ = false;
};

}  // namespace flowmind::browser_relay::testing
