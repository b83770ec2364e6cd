// The UW upstream the relay under test connects to: acks joins as UW does and publishes stamped flow
// alerts at a set rate to every connection that joined flow-alerts.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>

#include "bench_payloads.hpp"

namespace flowmind::bench {

class UpstreamSession;

class UwUpstreamServer {
 public:
  // port 0 picks a free port on 127.0.0.1.
  UwUpstreamServer(boost::asio::io_context& io, std::uint16_t port);

  [[nodiscard]] std::uint16_t port() const { return port_; }
  // Connections that joined flow-alerts and are still open.
  [[nodiscard]] std::size_t joined() const;

  // Events are spaced evenly at `rate` per second; sequence numbers continue across calls.
  void start_sending(double rate);
  // Asked before each event; false skips it (counted). The harness closes the loop with it: a relay's
  // kernel receive buffer grows to megabytes, so the upstream socket alone would let a saturated relay
  // fall minutes behind instead of showing what it can take.
  void set_gate(std::function<bool()> gate) { gate_ = std::move(gate); }
  void stop_sending();

  // Sequence number of the next event: events [0, next_seq()) were handed to at least one connection.
  [[nodiscard]] std::uint64_t next_seq() const { return next_seq_; }
  // Events not sent because the gate said no or every joined connection already had `queue_limit`
  // frames waiting: the relay is saturated, the offered rate becomes what it can take.
  [[nodiscard]] std::uint64_t skipped() const { return skipped_; }
  [[nodiscard]] double average_payload_bytes() const { return payloads_.average_payload_bytes(); }

  static constexpr std::size_t queue_limit = 8;

 private:
  void do_accept();
  void do_tick();
  void on_tick();
  void publish_one();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer timer_;
  std::uint16_t port_ = 0;
  std::list<std::weak_ptr<UpstreamSession>> sessions_;
  PayloadSource payloads_;
  std::function<bool()> gate_;
  bool sending_ = false;
  double interval_us_ = 0;
  double next_due_us_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t skipped_ = 0;
};

}  // namespace flowmind::bench
