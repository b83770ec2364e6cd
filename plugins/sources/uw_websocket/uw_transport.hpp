// One WebSocket connection to UW (ws:// or wss://) behind a small interface, so that the Beast and
// OpenSSL templates are compiled in one translation unit only.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>

#include "uw_net/url.hpp"

namespace flowmind::uw_websocket {

using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;

// Callbacks, all invoked on the strand, never after abort().
struct TransportEvents {
  // The upgrade finished. On failure `http_status` is the server's answer (401, 429, ...) or 0
  // when there was none (DNS, TCP, TLS, timeout); `detail` says what happened.
  std::function<void(bool ok, unsigned http_status, const std::string& detail)> opened;
  std::function<void(std::string frame, bool text)> message;
  // A pong (or a ping from the server): the connection is alive.
  std::function<void()> alive;
  // The open connection ended; `too_big` when a frame exceeded the receive limit.
  std::function<void(const std::string& detail, bool too_big)> closed;
};

struct TransportSettings {
  uw_net::Url url;
  std::string target;  // path and query, with the token
  std::size_t receive_limit = 4U << 20U;
  std::chrono::milliseconds connect_timeout{10000};
  boost::asio::ssl::context* tls = nullptr;  // required for wss://
};

class Transport {
 public:
  virtual ~Transport() = default;
  // All of these must be called on the strand.
  virtual void start() = 0;
  virtual void send_text(std::string text) = 0;
  virtual void send_ping() = 0;
  // Sends the close frame after what is queued, then ends the connection (no more events) and
  // calls `done` on the strand (at once when not open).
  virtual void close(std::function<void()> done) = 0;
  // Drops the connection at once; no more events.
  virtual void abort() = 0;
};

std::shared_ptr<Transport> make_transport(const Strand& strand, TransportSettings settings, TransportEvents events);

}  // namespace flowmind::uw_websocket
