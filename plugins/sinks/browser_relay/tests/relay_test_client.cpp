// WebSocket clients for the relay's tests: a Beast client (ws:// and wss://) that answers pings like a
// browser, and a raw-socket client that can stall or ignore pings.
#include "relay_test_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <deque>
#include <functional>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

namespace flowmind::browser_relay::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

struct RelayTestClient::Impl {
  using PlainWs = websocket::stream<beast::tcp_stream>;
  using TlsWs = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;

  int port = 0;
  std::string target;
  Options options;
  net::io_context ioc;
  ssl::context tls_context{ssl::context::tls_client};
  std::unique_ptr<PlainWs> plain;
  std::unique_ptr<TlsWs> tls;
  beast::flat_buffer buffer;
  std::deque<std::string> messages;
  bool reading = false;
  bool gone = false;
  int http_status = 0;
  int close_code = 0;
  std::string error_text;

  template <class F>
  void with_ws(F&& f) {
    if (tls) {
      f(*tls);
    } else if (plain) {
      f(*plain);
    }
  }

  bool run_until(const std::function<bool()>& done, Clock::time_point deadline) {
    while (!done()) {
      const auto now = Clock::now();
      if (now >= deadline) return false;
      if (ioc.stopped()) ioc.restart();
      ioc.run_one_for(deadline - now);
    }
    return true;
  }

  void start_read() {
    if (reading || gone) return;
    reading = true;
    with_ws([&](auto& ws) {
      ws.async_read(buffer, [this, &ws](beast::error_code ec, std::size_t) {
        reading = false;
        if (ec) {
          close_code = ws.reason().code;
          gone = true;
          return;
        }
        if (ws.got_text()) messages.push_back(beast::buffers_to_string(buffer.data()));
        buffer.consume(buffer.size());
        start_read();
      });
    });
  }

  void close_sockets() {
    beast::error_code ignored;
    if (plain) beast::get_lowest_layer(*plain).socket().close(ignored);
    if (tls) beast::get_lowest_layer(*tls).socket().close(ignored);
  }
};

RelayTestClient::RelayTestClient(int port, std::string target, Options options) : impl_(std::make_unique<Impl>()) {
  impl_->port = port;
  impl_->target = std::move(target);
  impl_->options = std::move(options);
}

RelayTestClient::~RelayTestClient() {
  impl_->close_sockets();
  impl_->ioc.restart();
  while (impl_->ioc.poll() > 0) {
  }
}

bool RelayTestClient::connect(std::chrono::milliseconds timeout) {
  auto& impl = *impl_;
  const auto deadline = Clock::now() + timeout;
  const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(impl.port));
  bool done = false;
  beast::error_code result;
  websocket::response_type response;
  const std::string host = "127.0.0.1:" + std::to_string(impl.port);
  auto configure = [&](auto& ws) {
    ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    const auto headers = impl.options.headers;
    ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& request) {
      for (const auto& [name, value] : headers) request.set(name, value);
    }));
    ws.read_message_max(64 * 1024 * 1024);
  };
  if (impl.options.tls) {
    if (!impl.options.ca_file.empty()) impl.tls_context.load_verify_file(impl.options.ca_file.string());
    impl.tls_context.set_verify_mode(ssl::verify_peer);
    impl.tls = std::make_unique<Impl::TlsWs>(impl.ioc, impl.tls_context);
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(impl.tls->next_layer().native_handle()), "127.0.0.1");
    configure(*impl.tls);
    beast::get_lowest_layer(*impl.tls).expires_after(timeout);
    beast::get_lowest_layer(*impl.tls).async_connect(endpoint, [&](beast::error_code connect_ec) {
      if (connect_ec) {
        result = connect_ec;
        done = true;
        return;
      }
      impl.tls->next_layer().async_handshake(ssl::stream_base::client, [&](beast::error_code handshake_ec) {
        if (handshake_ec) {
          result = handshake_ec;
          done = true;
          return;
        }
        beast::get_lowest_layer(*impl.tls).expires_never();
        impl.tls->async_handshake(response, host, impl.target, [&](beast::error_code upgrade_ec) {
          result = upgrade_ec;
          done = true;
        });
      });
    });
  } else {
    impl.plain = std::make_unique<Impl::PlainWs>(impl.ioc);
    configure(*impl.plain);
    beast::get_lowest_layer(*impl.plain).expires_after(timeout);
    beast::get_lowest_layer(*impl.plain).async_connect(endpoint, [&](beast::error_code connect_ec) {
      if (connect_ec) {
        result = connect_ec;
        done = true;
        return;
      }
      beast::get_lowest_layer(*impl.plain).expires_never();
      impl.plain->async_handshake(response, host, impl.target, [&](beast::error_code upgrade_ec) {
        result = upgrade_ec;
        done = true;
      });
    });
  }
  if (!impl.run_until([&] { return done; }, deadline)) {
    impl.close_sockets();
    impl.run_until([&] { return done; }, Clock::now() + std::chrono::seconds(10));
    impl.error_text = "timed out";
    impl.gone = true;
    return false;
  }
  if (!result || result == websocket::error::upgrade_declined) impl.http_status = response.result_int();
  if (result) {
    impl.error_text = result.message();
    impl.gone = true;
    return false;
  }
  impl.start_read();
  return true;
}

int RelayTestClient::status() const { return impl_->http_status; }
const std::string& RelayTestClient::error() const { return impl_->error_text; }
int RelayTestClient::close_code() const { return impl_->close_code; }

std::optional<std::string> RelayTestClient::read(std::chrono::milliseconds timeout) {
  auto& impl = *impl_;
  impl.start_read();
  impl.run_until([&] { return !impl.messages.empty() || impl.gone; }, Clock::now() + timeout);
  if (impl.messages.empty()) return std::nullopt;
  auto message = std::move(impl.messages.front());
  impl.messages.pop_front();
  return message;
}

std::optional<nlohmann::json> RelayTestClient::read_json(std::chrono::milliseconds timeout) {
  auto text = read(timeout);
  if (!text) return std::nullopt;
  return nlohmann::json::parse(*text, nullptr, false);
}

std::vector<nlohmann::json> RelayTestClient::read_many(std::size_t count, std::chrono::milliseconds timeout) {
  std::vector<nlohmann::json> out;
  const auto deadline = Clock::now() + timeout;
  while (out.size() < count) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    auto message = read_json(left);
    if (!message) break;
    out.push_back(std::move(*message));
  }
  return out;
}

void RelayTestClient::send_text(const std::string& text) {
  auto& impl = *impl_;
  auto done = std::make_shared<bool>(false);
  auto frame = std::make_shared<std::string>(text);
  impl.with_ws([&](auto& ws) {
    ws.text(true);
    ws.async_write(net::buffer(*frame), [done, frame](beast::error_code, std::size_t) { *done = true; });
  });
  impl.run_until([&] { return *done; }, Clock::now() + std::chrono::seconds(10));
}

std::vector<std::string> RelayTestClient::drain(std::chrono::milliseconds duration) {
  auto& impl = *impl_;
  impl.start_read();
  impl.run_until([] { return false; }, Clock::now() + duration);
  std::vector<std::string> out(impl.messages.begin(), impl.messages.end());
  impl.messages.clear();
  return out;
}

bool RelayTestClient::wait_closed(std::chrono::milliseconds timeout) {
  auto& impl = *impl_;
  impl.start_read();
  return impl.run_until(
      [&] {
        impl.messages.clear();
        return impl.gone;
      },
      Clock::now() + timeout);
}

void RelayTestClient::close() {
  auto& impl = *impl_;
  if (impl.gone) return;
  auto done = std::make_shared<bool>(false);
  impl.with_ws(
      [&](auto& ws) { ws.async_close(websocket::close_code::normal, [done](beast::error_code) { *done = true; }); });
  impl.run_until([&] { return *done && !impl.reading; }, Clock::now() + std::chrono::seconds(5));
  impl.close_sockets();
  impl.gone = true;
}

RawClient::RawClient(int port, const std::string& target, const std::map<std::string, std::string>& headers,
                     int receive_buffer) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof(receive_buffer));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) return;
  if (target.empty()) return;
  std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  request += "\r\n";
  send_bytes(request);
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  std::string data;
  while (data.find("\r\n\r\n") == std::string::npos && Clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buffer[4096];
    const auto n = ::recv(fd_, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    data.append(buffer, static_cast<std::size_t>(n));
  }
  const auto end = data.find("\r\n\r\n");
  if (end == std::string::npos) return;
  head_ = data.substr(0, end + 4);
  pending_ = data.substr(end + 4);
  if (head_.size() > 12) status_ = std::atoi(head_.substr(9, 3).c_str());
}

RawClient::~RawClient() {
  if (fd_ >= 0) ::close(fd_);
}

void RawClient::send_bytes(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

std::vector<std::pair<int, std::string>> RawClient::read_frames(std::chrono::milliseconds timeout,
                                                                std::size_t max_frames) {
  std::vector<std::pair<int, std::string>> frames;
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    // Parse what is buffered.
    while (pending_.size() >= 2 && frames.size() < max_frames) {
      const auto b0 = static_cast<unsigned char>(pending_[0]);
      const auto b1 = static_cast<unsigned char>(pending_[1]);
      std::uint64_t length = b1 & 0x7fU;
      std::size_t at = 2;
      if (length == 126) {
        if (pending_.size() < 4) break;
        length = (static_cast<unsigned char>(pending_[2]) << 8U) | static_cast<unsigned char>(pending_[3]);
        at = 4;
      } else if (length == 127) {
        if (pending_.size() < 10) break;
        length = 0;
        for (int i = 0; i < 8; ++i) length = (length << 8U) | static_cast<unsigned char>(pending_[2 + i]);
        at = 10;
      }
      if (pending_.size() < at + length) break;
      const int opcode = b0 & 0x0f;
      frames.emplace_back(opcode, pending_.substr(at, length));
      pending_.erase(0, at + length);
      if (opcode == 8) return frames;
    }
    if (frames.size() >= max_frames) return frames;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return frames;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(std::min<long>(left, 100))) <= 0) continue;
    char buffer[65536];
    const auto n = ::recv(fd_, buffer, sizeof(buffer), 0);
    if (n <= 0) {
      eof_ = true;
      return frames;
    }
    pending_.append(buffer, static_cast<std::size_t>(n));
  }
}

RawClient::Served RawClient::answer_pings(std::chrono::milliseconds duration) {
  Served served;
  // Short slices, so that each ping is answered at once.
  for (const auto deadline = Clock::now() + duration; Clock::now() < deadline && !served.closed;) {
    for (const auto& [opcode, payload] : read_frames(std::chrono::milliseconds(5))) {
      if (opcode == 9) {
        ++served.pings;
        send_bytes(masked_frame(10, payload));
      } else if (opcode == 1) {
        served.texts.push_back(payload);
      } else if (opcode == 8) {
        served.closed = true;
      }
    }
    served.closed = served.closed || eof_;
  }
  return served;
}

bool RawClient::wait_eof(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buffer[65536];
    const auto n = ::recv(fd_, buffer, sizeof(buffer), 0);
    if (n <= 0) return true;
  }
  return false;
}

std::string RawClient::masked_frame(int opcode, const std::string& payload, bool fin) {
  std::string frame;
  frame += static_cast<char>((fin ? 0x80 : 0) | opcode);
  const unsigned char mask[4] = {0x12, 0x34, 0x56, 0x78};
  if (payload.size() < 126) {
    frame += static_cast<char>(0x80U | payload.size());
  } else if (payload.size() <= 0xffff) {
    frame += static_cast<char>(0x80U | 126U);
    frame += static_cast<char>(payload.size() >> 8U);
    frame += static_cast<char>(payload.size() & 0xffU);
  } else {
    frame += static_cast<char>(0x80U | 127U);
    for (int i = 7; i >= 0; --i)
      frame += static_cast<char>((payload.size() >> (8U * static_cast<unsigned>(i))) & 0xffU);
  }
  for (const auto byte : mask) frame += static_cast<char>(byte);
  for (std::size_t i = 0; i < payload.size(); ++i)
    frame += static_cast<char>(payload[i] ^ static_cast<char>(mask[i % 4]));
  return frame;
}

}  // namespace flowmind::browser_relay::testing
