// A small synchronous WebSocket client for the simulator's tests: async Beast driven by a private io_context.
#include "ws_test_client.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

namespace flowmind::uwsim::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

struct WsTestClient::Impl {
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
  int pong_count = 0;
  bool reading = false;
  bool gone = false;
  int http_status = 0;
  std::string error_text;

  template <class F>
  void with_ws(F&& f) {
    if (tls) {
      f(*tls);
    } else if (plain) {
      f(*plain);
    }
  }

  // Runs the private loop until `done` holds or the deadline passes.
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
          gone = true;
          return;
        }
        if (ws.got_text()) messages.push_back(beast::buffers_to_string(buffer.data()));
        buffer.consume(buffer.size());
        start_read();
      });
    });
  }
};

WsTestClient::WsTestClient(int port, std::string target, Options options) : impl_(std::make_unique<Impl>()) {
  impl_->port = port;
  impl_->target = std::move(target);
  impl_->options = std::move(options);
}

WsTestClient::~WsTestClient() {
  // Close the TCP connection and let every pending handler finish before the streams go away.
  beast::error_code ignored;
  if (impl_->plain) beast::get_lowest_layer(*impl_->plain).socket().close(ignored);
  if (impl_->tls) beast::get_lowest_layer(*impl_->tls).socket().close(ignored);
  // Aborted operations complete on the next poll; timers still pending are simply destroyed.
  impl_->ioc.restart();
  while (impl_->ioc.poll() > 0) {
  }
}

bool WsTestClient::connect(std::chrono::milliseconds timeout) {
  auto& impl = *impl_;
  const auto deadline = Clock::now() + timeout;
  const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(impl.port));
  bool done = false;
  beast::error_code result;
  websocket::response_type response;
  const std::string host = "127.0.0.1:" + std::to_string(impl.port);
  auto configure = [&](auto& ws) {
    ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    const auto bearer = impl.options.bearer;
    ws.set_option(websocket::stream_base::decorator([bearer](websocket::request_type& request) {
      if (!bearer.empty()) request.set(http::field::authorization, "Bearer " + bearer);
    }));
    ws.read_message_max(64 * 1024 * 1024);
    ws.control_callback([&impl](websocket::frame_type kind, beast::string_view) {
      if (kind == websocket::frame_type::pong) ++impl.pong_count;
    });
  };
  if (impl.options.tls) {
    if (!impl.options.ca_file.empty()) impl.tls_context.load_verify_file(impl.options.ca_file.string());
    impl.tls_context.set_verify_mode(ssl::verify_peer);
    impl.tls = std::make_unique<Impl::TlsWs>(impl.ioc, impl.tls_context);
    auto* native = impl.tls->next_layer().native_handle();
    X509_VERIFY_PARAM* param = SSL_get0_param(native);
    beast::error_code ec;
    net::ip::make_address(impl.options.verify_name, ec);
    if (!ec) {
      X509_VERIFY_PARAM_set1_ip_asc(param, impl.options.verify_name.c_str());
    } else {
      // SSL_set_tlsext_host_name is a macro with an old-style cast.
      SSL_ctrl(native, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               const_cast<char*>(impl.options.verify_name.c_str()));
      X509_VERIFY_PARAM_set1_host(param, impl.options.verify_name.c_str(), 0);
    }
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
    // The handlers above refer to this frame: abort them and let them finish before returning.
    beast::error_code ignored;
    if (impl.plain) beast::get_lowest_layer(*impl.plain).socket().close(ignored);
    if (impl.tls) beast::get_lowest_layer(*impl.tls).socket().close(ignored);
    impl.run_until([&] { return done; }, Clock::now() + std::chrono::seconds(10));
    impl.error_text = "timed out";
    impl.gone = true;
    return false;
  }
  // A response was only read when the upgrade succeeded or was declined with an HTTP status.
  if (!result || result == websocket::error::upgrade_declined) impl.http_status = response.result_int();
  if (result) {
    impl.error_text = result.message();
    impl.gone = true;
    return false;
  }
  impl.start_read();
  return true;
}

int WsTestClient::status() const { return impl_->http_status; }
const std::string& WsTestClient::error() const { return impl_->error_text; }

// Writes go through the same loop as reads (async), so a pending read and a write never collide.
void WsTestClient::send_text(const std::string& text) {
  auto& impl = *impl_;
  // Shared, so a write that outlives the wait does not touch a dead frame.
  auto done = std::make_shared<bool>(false);
  auto frame = std::make_shared<std::string>(text);
  impl.with_ws([&](auto& ws) {
    ws.text(true);
    ws.async_write(net::buffer(*frame), [done, frame](beast::error_code, std::size_t) { *done = true; });
  });
  impl.run_until([&] { return *done; }, Clock::now() + std::chrono::seconds(10));
}

void WsTestClient::send_binary(const std::string& bytes) {
  auto& impl = *impl_;
  auto done = std::make_shared<bool>(false);
  auto frame = std::make_shared<std::string>(bytes);
  impl.with_ws([&](auto& ws) {
    ws.binary(true);
    ws.async_write(net::buffer(*frame), [done, frame](beast::error_code, std::size_t) { *done = true; });
  });
  impl.run_until([&] { return *done; }, Clock::now() + std::chrono::seconds(10));
}

void WsTestClient::join(const std::string& channel) {
  send_text(nlohmann::json{{"channel", channel}, {"msg_type", "join"}}.dump());
}

void WsTestClient::leave(const std::string& channel) {
  send_text(nlohmann::json{{"channel", channel}, {"msg_type", "leave"}}.dump());
}

void WsTestClient::ping() {
  auto& impl = *impl_;
  auto done = std::make_shared<bool>(false);
  impl.with_ws([&](auto& ws) { ws.async_ping({}, [done](beast::error_code) { *done = true; }); });
  impl.run_until([&] { return *done; }, Clock::now() + std::chrono::seconds(10));
}

std::optional<std::string> WsTestClient::read(std::chrono::milliseconds timeout) {
  auto& impl = *impl_;
  impl.start_read();
  impl.run_until([&] { return !impl.messages.empty() || impl.gone; }, Clock::now() + timeout);
  if (impl.messages.empty()) return std::nullopt;
  auto message = std::move(impl.messages.front());
  impl.messages.pop_front();
  return message;
}

std::optional<nlohmann::json> WsTestClient::read_json(std::chrono::milliseconds timeout) {
  auto text = read(timeout);
  if (!text) return std::nullopt;
  return nlohmann::json::parse(*text, nullptr, false);
}

std::optional<nlohmann::json> WsTestClient::read_until(const std::function<bool(const nlohmann::json&)>& match,
                                                       std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto message = read_json(left);
    if (!message) return std::nullopt;
    if (match(*message)) return message;
  }
}

std::optional<nlohmann::json> WsTestClient::wait_ack(const std::string& channel, std::chrono::milliseconds timeout) {
  return read_until(
      [&](const nlohmann::json& message) {
        return message.is_array() && message.size() == 2 && message[0] == channel && message[1].is_object() &&
               message[1].contains("status") && message[1].contains("response");
      },
      timeout);
}

void WsTestClient::pump(std::chrono::milliseconds duration) {
  impl_->start_read();
  impl_->run_until([] { return false; }, Clock::now() + duration);
}

int WsTestClient::pongs() const { return impl_->pong_count; }

bool WsTestClient::wait_pongs(int count, std::chrono::milliseconds timeout) {
  impl_->start_read();
  return impl_->run_until([&] { return impl_->pong_count >= count; }, Clock::now() + timeout);
}

bool WsTestClient::wait_closed(std::chrono::milliseconds timeout) {
  impl_->start_read();
  // Pending messages do not count: the connection itself must be gone.
  return impl_->run_until([&] { return impl_->gone; }, Clock::now() + timeout);
}

bool WsTestClient::closed() const { return impl_->gone; }
std::size_t WsTestClient::buffered() const { return impl_->messages.size(); }

FetchResult http_fetch(int port, const std::string& target, const std::string& bearer, bool tls,
                       const std::filesystem::path& ca_file) {
  FetchResult result;
  net::io_context ioc;
  ssl::context context(ssl::context::tls_client);
  const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port));
  http::request<http::empty_body> request(http::verb::get, target, 11);
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  request.set(http::field::accept, "application/json");
  if (!bearer.empty()) request.set(http::field::authorization, "Bearer " + bearer);
  http::response<http::string_body> response;
  beast::flat_buffer buffer;
  beast::error_code outcome;
  auto exchange = [&](auto& stream) {
    http::write(stream, request, outcome);
    if (!outcome) http::read(stream, buffer, response, outcome);
  };
  try {
    if (tls) {
      if (!ca_file.empty()) context.load_verify_file(ca_file.string());
      context.set_verify_mode(ssl::verify_peer);
      beast::ssl_stream<beast::tcp_stream> stream(ioc, context);
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(stream.native_handle()), "127.0.0.1");
      beast::get_lowest_layer(stream).connect(endpoint);
      stream.handshake(ssl::stream_base::client, outcome);
      if (!outcome) exchange(stream);
    } else {
      beast::tcp_stream stream(ioc);
      stream.connect(endpoint);
      exchange(stream);
    }
  } catch (const std::exception& error) {
    result.error = error.what();
    return result;
  }
  if (outcome) {
    result.error = outcome.message();
    return result;
  }
  result.status = response.result_int();
  result.body = response.body();
  for (const auto& field : response) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    result.headers[name] = std::string(field.value());
  }
  return result;
}

}  // namespace flowmind::uwsim::testing
