// Beast WebSocket server side of the UW protocol, reduced to what a relay needs: join/leave, ack, data.
#include "uw_upstream_server.hpp"

#include <boost/asio/socket_base.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <deque>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace flowmind::bench {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

namespace {

constexpr std::string_view data_channel = "flow-alerts";
// Keeps the harness's side of the upstream small; the relay's receive buffer is bounded by the gate.
constexpr int upstream_send_buffer = 64 * 1024;
// Catching up more than this after a stall would be a burst, not the rate asked for.
constexpr double max_catch_up_events = 100;

}  // namespace

class UpstreamSession : public std::enable_shared_from_this<UpstreamSession> {
 public:
  explicit UpstreamSession(tcp::socket socket) : ws_(std::move(socket)) {}

  void start() {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(64 * 1024);
    ws_.async_accept([self = shared_from_this()](beast::error_code ec) { self->on_accept(ec); });
  }

  [[nodiscard]] bool joined() const { return !closed_ && channels_.contains(std::string(data_channel)); }

  // False when this connection already has queue_limit frames waiting.
  bool offer(const std::shared_ptr<const std::string>& frame) {
    if (!joined() || queue_.size() >= UwUpstreamServer::queue_limit) return false;
    enqueue(frame);
    return true;
  }

 private:
  void on_accept(beast::error_code ec) {
    if (ec) return fail("upgrade", ec);
    ws_.text(true);
    do_read();
  }

  void do_read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec) return fail("read", ec);
    if (ws_.got_text()) handle_text(beast::buffers_to_string(buffer_.data()));
    buffer_.consume(buffer_.size());
    do_read();
  }

  void handle_text(const std::string& text) {
    const auto message = nlohmann::json::parse(text, nullptr, false);
    if (!message.is_object() || !message.contains("channel") || !message["channel"].is_string() ||
        !message.contains("msg_type") || !message["msg_type"].is_string()) {
      return;
    }
    const auto channel = message["channel"].get<std::string>();
    const auto type = message["msg_type"].get<std::string>();
    if (type == "join") {
      channels_.insert(channel);
      const auto ack = nlohmann::json::array({channel, {{"response", nlohmann::json::object()}, {"status", "ok"}}});
      enqueue(std::make_shared<const std::string>(ack.dump()));
      std::cerr << "upstream: relay joined " << channel << '\n';
    } else if (type == "leave") {
      channels_.erase(channel);
    }
  }

  void enqueue(std::shared_ptr<const std::string> frame) {
    queue_.push_back(std::move(frame));
    if (queue_.size() == 1) do_write();
  }

  void do_write() {
    ws_.async_write(net::buffer(*queue_.front()),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
  }

  void on_write(beast::error_code ec) {
    if (ec) return fail("write", ec);
    queue_.pop_front();
    if (!queue_.empty()) do_write();
  }

  void fail(const char* what, beast::error_code ec) {
    if (!closed_ && ec != net::error::operation_aborted)
      std::cerr << "upstream: " << what << ": " << ec.message() << '\n';
    closed_ = true;
  }

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::set<std::string> channels_;
  bool closed_ = false;
};

UwUpstreamServer::UwUpstreamServer(net::io_context& io, std::uint16_t port)
    : io_(io), acceptor_(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), port)), timer_(io) {
  port_ = acceptor_.local_endpoint().port();
  do_accept();
}

std::size_t UwUpstreamServer::joined() const {
  std::size_t count = 0;
  for (const auto& weak : sessions_) {
    if (const auto session = weak.lock(); session && session->joined()) ++count;
  }
  return count;
}

void UwUpstreamServer::do_accept() {
  acceptor_.async_accept(io_, [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec != net::error::operation_aborted) std::cerr << "upstream: accept: " << ec.message() << '\n';
      return;
    }
    socket.set_option(net::socket_base::send_buffer_size(upstream_send_buffer));
    socket.set_option(tcp::no_delay(true));
    auto session = std::make_shared<UpstreamSession>(std::move(socket));
    session->start();
    sessions_.remove_if([](const auto& weak) { return weak.expired(); });
    sessions_.push_back(session);
    do_accept();
  });
}

void UwUpstreamServer::start_sending(double rate) {
  sending_ = true;
  interval_us_ = 1e6 / rate;
  next_due_us_ = static_cast<double>(now_us());
  timer_.cancel();
  do_tick();
}

void UwUpstreamServer::stop_sending() {
  sending_ = false;
  timer_.cancel();
}

void UwUpstreamServer::do_tick() {
  const auto due =
      std::chrono::steady_clock::time_point(std::chrono::microseconds(static_cast<std::int64_t>(next_due_us_)));
  timer_.expires_at(due);
  timer_.async_wait([this](beast::error_code ec) {
    if (!ec && sending_) on_tick();
  });
}

void UwUpstreamServer::on_tick() {
  const auto now = static_cast<double>(now_us());
  if (now - next_due_us_ > max_catch_up_events * interval_us_) {
    const auto behind = static_cast<std::uint64_t>((now - next_due_us_) / interval_us_);
    skipped_ += behind;
    next_due_us_ += static_cast<double>(behind) * interval_us_;
  }
  while (next_due_us_ <= now) {
    publish_one();
    next_due_us_ += interval_us_;
  }
  do_tick();
}

void UwUpstreamServer::publish_one() {
  if (gate_ && !gate_()) {
    ++skipped_;
    return;
  }
  const auto frame = std::make_shared<const std::string>(payloads_.frame({next_seq_, now_us()}));
  bool taken = false;
  for (const auto& weak : sessions_) {
    if (const auto session = weak.lock()) taken = session->offer(frame) || taken;
  }
  if (taken) {
    ++next_seq_;
  } else {
    ++skipped_;
  }
}

}  // namespace flowmind::bench
