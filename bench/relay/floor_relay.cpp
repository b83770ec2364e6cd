// Lower bound for the relay fan-out benchmark: the same fan-out with no queues and no WebSocket library on
// the hot path (each envelope framed once, then one send() per client), so its CPU per delivered message
// is close to what the kernel alone spends on a loopback send. Not a relay to use: a slow client is cut off.
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

std::string env(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : fallback;
}

std::string iso_now() {
  const auto now = std::chrono::system_clock::now();
  const auto seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm parts{};
  ::gmtime_r(&seconds, &parts);
  char text[64];  // room for any int the compiler cannot rule out
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1,
                parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, static_cast<int>(millis));
  return text;
}

// One text frame, server side (unmasked), around the envelope.
std::string frame_of(std::string_view channel, std::string_view payload) {
  std::string envelope = "{\"channel\":\"";
  envelope += channel;
  envelope += "\",\"timestamp\":\"" + iso_now() + "\",\"data\":";
  envelope += payload;
  envelope += '}';
  std::string frame;
  frame += static_cast<char>(0x81);
  if (envelope.size() < 126) {
    frame += static_cast<char>(envelope.size());
  } else if (envelope.size() < 65536) {
    frame += static_cast<char>(126);
    frame += static_cast<char>(envelope.size() >> 8);
    frame += static_cast<char>(envelope.size() & 0xFF);
  } else {
    frame += static_cast<char>(127);
    for (int shift = 56; shift >= 0; shift -= 8) frame += static_cast<char>((envelope.size() >> shift) & 0xFF);
  }
  return frame + envelope;
}

class FloorRelay {
 public:
  FloorRelay(net::io_context& io, const std::string& upstream_url, std::uint16_t port, std::string path,
             std::size_t batch)
      : batch_(std::max<std::size_t>(batch, 1)),
        io_(io),
        acceptor_(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), port)),
        upstream_(io),
        path_(std::move(path)),
        upstream_url_(upstream_url) {
    acceptor_.listen(1024);
    do_accept();
    do_connect_upstream();
  }

  std::uint64_t delivered() const { return delivered_; }
  std::uint64_t cut_off() const { return cut_off_; }

 private:
  struct Pending {
    explicit Pending(tcp::socket socket) : ws(std::move(socket)) {}
    websocket::stream<tcp::socket> ws;
    beast::flat_buffer buffer;
    beast::http::request<beast::http::empty_body> request;
  };

  void do_accept() {
    acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;
      auto pending = std::make_shared<Pending>(std::move(socket));
      beast::http::async_read(pending->ws.next_layer(), pending->buffer, pending->request,
                              [this, pending](beast::error_code read_ec, std::size_t) {
                                if (read_ec || pending->request.target() != path_) return;
                                pending->ws.async_accept(pending->request,
                                                         [this, pending](beast::error_code accept_ec) {
                                                           if (accept_ec) return;
                                                           tcp::socket client = std::move(pending->ws.next_layer());
                                                           client.non_blocking(true);
                                                           clients_.push_back(std::move(client));
                                                         });
                              });
      do_accept();
    });
  }

  void do_connect_upstream() {
    // ws://127.0.0.1:PORT/PATH
    const auto rest = upstream_url_.substr(std::string_view("ws://").size());
    const auto slash = rest.find('/');
    const auto authority = rest.substr(0, slash);
    const auto colon = authority.rfind(':');
    const tcp::endpoint endpoint(net::ip::make_address(authority.substr(0, colon)),
                                 static_cast<std::uint16_t>(std::stoi(authority.substr(colon + 1))));
    const auto target = (slash == std::string::npos ? "/" : rest.substr(slash)) + "?token=bench-dummy-token";
    upstream_.next_layer().connect(endpoint);
    upstream_.handshake(authority, target);
    upstream_.text(true);
    upstream_.write(net::buffer(std::string(R"({"channel":"flow-alerts","msg_type":"join"})")));
    std::cerr << "floor_relay: upstream open, joined flow-alerts\n";
    do_read_upstream();
  }

  void do_read_upstream() {
    upstream_.async_read(upstream_buffer_, [this](beast::error_code ec, std::size_t) {
      if (ec) {
        std::cerr << "floor_relay: upstream: " << ec.message() << '\n';
        return io_.stop();
      }
      const auto data = upstream_buffer_.cdata();
      on_upstream(std::string_view(static_cast<const char*>(data.data()), data.size()));
      upstream_buffer_.consume(upstream_buffer_.size());
      do_read_upstream();
    });
  }

  // ["channel",{payload}]: split with string search, the payload is never parsed.
  void on_upstream(std::string_view text) {
    if (text.size() < 4 || text.front() != '[' || text[1] != '"') return;
    const auto channel_end = text.find('"', 2);
    const auto comma = text.find(',', channel_end);
    if (channel_end == std::string_view::npos || comma == std::string_view::npos || text.back() != ']') return;
    const auto channel = text.substr(2, channel_end - 2);
    const auto payload = text.substr(comma + 1, text.size() - comma - 2);
    if (payload.starts_with("{\"response\"")) return;  // join ack
    pending_ += frame_of(channel, payload);
    if (++pending_count_ < batch_) return;
    const std::string frame = std::move(pending_);
    pending_.clear();
    delivered_ += (pending_count_ - 1) * clients_.size();
    pending_count_ = 0;
    for (std::size_t i = 0; i < clients_.size();) {
      const auto sent = ::send(clients_[i].native_handle(), frame.data(), frame.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (sent == static_cast<ssize_t>(frame.size())) {
        ++delivered_;
        ++i;
        continue;
      }
      // A partial or refused write would corrupt the stream: this relay has no queue, so the client goes.
      ++cut_off_;
      beast::error_code ignored;
      clients_[i].close(ignored);
      clients_[i] = std::move(clients_.back());
      clients_.pop_back();
    }
  }

  // Frames sent together (RELAY_BENCH_FLOOR_BATCH): shows what the harness absorbs when a relay writes
  // several frames at once. Counted only, no timer: for saturation runs, not for latency.
  std::size_t batch_;
  std::string pending_;
  std::size_t pending_count_ = 0;
  net::io_context& io_;
  tcp::acceptor acceptor_;
  websocket::stream<tcp::socket> upstream_;
  beast::flat_buffer upstream_buffer_;
  std::vector<tcp::socket> clients_;
  std::string path_;
  std::string upstream_url_;
  std::uint64_t delivered_ = 0;
  std::uint64_t cut_off_ = 0;
};

}  // namespace

int main() {
  try {
    net::io_context io(1);
    FloorRelay relay(io, env("RELAY_BENCH_UPSTREAM_URL", "ws://127.0.0.1:8765/socket"),
                     static_cast<std::uint16_t>(std::stoi(env("RELAY_BENCH_RELAY_PORT", "8000"))),
                     env("RELAY_BENCH_PATH", "/api/stream/ws/flow"),
                     static_cast<std::size_t>(std::stoul(env("RELAY_BENCH_FLOOR_BATCH", "1"))));
    net::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](beast::error_code, int) { io.stop(); });
    io.run();
    std::cerr << "floor_relay: " << relay.delivered() << " messages sent, " << relay.cut_off()
              << " clients cut off (socket buffer full)\n";
  } catch (const std::exception& error) {
    std::cerr << "floor_relay: " << error.what() << '\n';
    return 1;
  }
  return 0;
}
