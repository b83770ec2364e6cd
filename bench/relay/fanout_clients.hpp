// The K WebSocket clients of the relay under test: plain sockets with a hand-written frame reader, so
// one read takes every frame waiting on a connection and the harness stays cheap next to the relay.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "latency_histogram.hpp"

namespace flowmind::bench {

struct ClientTarget {
  boost::asio::ip::tcp::endpoint endpoint;
  std::string host;    // Host header
  std::string target;  // request target, e.g. /api/stream/ws/flow
  std::string origin;  // Origin header, empty = none
};

struct ClientTotals {
  std::uint64_t messages = 0;      // data messages received, all clients
  std::uint64_t bytes = 0;         // their payload bytes
  std::uint64_t unstamped = 0;     // messages without a benchmark stamp
  std::uint64_t out_of_order = 0;  // a sequence number not above the previous one on that client
  std::uint64_t closed = 0;        // connections the relay closed or dropped after the upgrade
};

class FanoutClients {
 public:
  FanoutClients(boost::asio::io_context& io, ClientTarget target);
  ~FanoutClients();
  FanoutClients(const FanoutClients&) = delete;
  FanoutClients& operator=(const FanoutClients&) = delete;

  // Opens `count` connections, at most `concurrency` handshakes at a time; a refused connection is
  // retried until `deadline` (the relay may still be starting).
  void connect(std::size_t count, std::size_t concurrency, std::chrono::steady_clock::time_point deadline);
  [[nodiscard]] std::size_t open() const { return open_; }
  [[nodiscard]] std::size_t failed() const { return failed_; }
  [[nodiscard]] const std::string& first_error() const { return first_error_; }
  [[nodiscard]] const ClientTotals& totals() const { return totals_; }

  // From now on, count per client the new sequence numbers >= first_seq.
  void begin_step(std::uint64_t first_seq);
  [[nodiscard]] std::uint64_t step_received() const;
  // Open clients whose latest sequence number is at least `seq`.
  [[nodiscard]] std::size_t caught_up(std::uint64_t seq) const;
  // The sequence number after the latest one the slowest open client has (0 before any message).
  [[nodiscard]] std::uint64_t slowest_next_seq() const;

  // Latency of each stamped message is recorded only while recording.
  void set_recording(bool on) { recording_ = on; }
  [[nodiscard]] LatencyHistogram& latency() { return latency_; }

 private:
  struct Client;

  void start_next();
  void do_connect(Client& client);
  void on_connect(Client& client, boost::system::error_code ec);
  void do_handshake(Client& client);
  void on_handshake(Client& client, boost::system::error_code ec, std::size_t header_bytes);
  void handshake_failed(Client& client, const std::string& why);
  void do_read(Client& client);
  void on_read(Client& client, boost::system::error_code ec, std::size_t bytes);
  std::size_t parse_frames(Client& client, const char* data, std::size_t size, std::uint64_t now);
  void on_frame(Client& client, bool fin, unsigned opcode, std::string_view payload, std::uint64_t now);
  void on_message(Client& client, std::string_view text, std::uint64_t now);
  void send_control(Client& client, unsigned opcode, std::string_view payload);
  void do_write(Client& client);
  void lost(Client& client);

  boost::asio::io_context& io_;
  ClientTarget target_;
  std::vector<std::unique_ptr<Client>> clients_;
  std::size_t next_to_start_ = 0;
  std::size_t concurrency_ = 1;
  std::size_t in_flight_ = 0;
  std::size_t open_ = 0;
  std::size_t failed_ = 0;
  std::string first_error_;
  std::chrono::steady_clock::time_point deadline_;
  std::uint64_t step_first_seq_ = 0;
  bool recording_ = false;
  ClientTotals totals_;
  LatencyHistogram latency_;
};

}  // namespace flowmind::bench
