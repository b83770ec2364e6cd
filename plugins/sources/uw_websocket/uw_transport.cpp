// One WebSocket connection to UW over Beast: resolve, connect, TLS, upgrade, then a read loop and
// a serialized write queue. The only translation unit of the plugin that includes Beast.
#include "uw_transport.hpp"

#include <deque>
#include <utility>

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "uw_net/tls.hpp"

namespace flowmind::uw_websocket {
namespace {

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;

template <bool Tls>
using NextLayer = std::conditional_t<Tls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;

template <bool Tls>
class WsTransport final : public Transport, public std::enable_shared_from_this<WsTransport<Tls>> {
 public:
  template <typename... Args>
  WsTransport(const Strand& strand, TransportSettings settings, TransportEvents events, Args&&... args)
      : settings_(std::move(settings)),
        events_(std::move(events)),
        resolver_(strand),
        ws_(strand, std::forward<Args>(args)...) {}

  void start() override {
    resolver_.async_resolve(
        settings_.url.host, settings_.url.port,
        [self = this->shared_from_this()](beast::error_code error, tcp::resolver::results_type found) {
          self->on_resolve(error, std::move(found));
        });
  }

  void send_text(std::string text) override { queue(false, std::move(text)); }
  void send_ping() override { queue(true, {}); }

  void close(std::function<void()> done) override {
    closed_ = std::move(done);
    if (aborted_ || !open_) {
      abort();
      return;
    }
    closing_ = true;
    if (!writing_) do_close();
  }

  void abort() override {
    if (!aborted_) {
      aborted_ = true;
      resolver_.cancel();
      beast::get_lowest_layer(ws_).close();
    }
    if (auto done = std::exchange(closed_, nullptr)) done();
  }

 private:
  struct Outgoing {
    bool ping = false;
    std::string text;
  };

  void on_resolve(beast::error_code error, const tcp::resolver::results_type& found) {
    if (aborted_) return;
    if (error) return fail_open(0, "cannot resolve " + settings_.url.host + ": " + error.message());
    beast::get_lowest_layer(ws_).expires_after(settings_.connect_timeout);
    beast::get_lowest_layer(ws_).async_connect(
        found, [self = this->shared_from_this()](beast::error_code connect_error, const tcp::endpoint&) {
          self->on_connect(connect_error);
        });
  }

  void on_connect(beast::error_code error) {
    if (aborted_) return;
    if (error) {
      return fail_open(0, "cannot connect to " + settings_.url.host + ":" + settings_.url.port + ": " +
                              (error == beast::error::timeout ? std::string("timed out") : error.message()));
    }
    if constexpr (Tls) {
      try {
        uw_net::configure_tls_stream(ws_.next_layer().native_handle(), settings_.url.host);
      } catch (const std::exception& tls_error) {
        return fail_open(0, tls_error.what());
      }
      beast::get_lowest_layer(ws_).expires_after(settings_.connect_timeout);
      ws_.next_layer().async_handshake(
          boost::asio::ssl::stream_base::client,
          [self = this->shared_from_this()](beast::error_code tls_error) { self->on_tls_handshake(tls_error); });
    } else {
      upgrade();
    }
  }

  void on_tls_handshake(beast::error_code error) {
    if (aborted_) return;
    if (error) {
      std::string detail = "TLS handshake with " + settings_.url.host + " failed: ";
      if constexpr (Tls) {
        const long verify = SSL_get_verify_result(ws_.next_layer().native_handle());
        if (verify != X509_V_OK) {
          detail += std::string("certificate verification failed (") + X509_verify_cert_error_string(verify) +
                    "); check ca_file";
          return fail_open(0, detail);
        }
      }
      return fail_open(0, detail + (error == beast::error::timeout ? std::string("timed out") : error.message()));
    }
    upgrade();
  }

  void upgrade() {
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout = settings_.connect_timeout;
    timeout.idle_timeout = websocket::stream_base::none();
    timeout.keep_alive_pings = false;
    ws_.set_option(timeout);
    ws_.set_option(websocket::stream_base::decorator([](websocket::request_type& request) {
      request.set(beast::http::field::user_agent, "flowmind-uw_websocket");
    }));
    ws_.read_message_max(settings_.receive_limit);
    ws_.auto_fragment(false);
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view /*payload*/) {
      if (!aborted_ && kind != websocket::frame_type::close) events_.alive();
    });
    const bool default_port = settings_.url.port == (Tls ? "443" : "80");
    std::string host =
        settings_.url.host.find(':') != std::string::npos ? "[" + settings_.url.host + "]" : settings_.url.host;
    if (!default_port) host += ":" + settings_.url.port;
    ws_.async_handshake(response_, host, settings_.target,
                        [self = this->shared_from_this()](beast::error_code error) { self->on_upgrade(error); });
  }

  void on_upgrade(beast::error_code error) {
    if (aborted_) return;
    if (error) {
      if (error == websocket::error::upgrade_declined) {
        const auto status = response_.result_int();
        return fail_open(status, "the WebSocket upgrade was answered with HTTP " + std::to_string(status) + " " +
                                     std::string(response_.reason()));
      }
      return fail_open(0, "WebSocket upgrade failed: " +
                              (error == beast::error::timeout ? std::string("timed out") : error.message()));
    }
    open_ = true;
    events_.opened(true, 101, "connected");
    do_read();
    if (!writing_ && !outgoing_.empty()) do_write();
  }

  void fail_open(unsigned status, const std::string& detail) {
    if (aborted_) return;
    abort();
    events_.opened(false, status, detail);
  }

  void do_read() {
    ws_.async_read(buffer_, [self = this->shared_from_this()](beast::error_code error, std::size_t /*bytes*/) {
      self->on_read(error);
    });
  }

  void on_read(beast::error_code error) {
    if (aborted_) return;
    if (error) {
      const bool too_big = error == websocket::error::message_too_big;
      std::string detail;
      if (too_big) {
        detail = "a frame exceeded receive_limit (" + std::to_string(settings_.receive_limit) + " bytes)";
      } else if (error == websocket::error::closed) {
        detail = "closed by the server (code " + std::to_string(ws_.reason().code) + ")";
      } else {
        detail = error.message();
      }
      abort();
      events_.closed(detail, too_big);
      return;
    }
    std::string frame = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    const bool text = ws_.got_text();
    events_.message(std::move(frame), text);
    if (!aborted_) do_read();
  }

  void queue(bool ping, std::string text) {
    if (aborted_ || closing_) return;
    outgoing_.push_back({ping, std::move(text)});
    if (open_ && !writing_) do_write();
  }

  void do_write() {
    writing_ = true;
    auto& next = outgoing_.front();
    auto done = [self = this->shared_from_this()](beast::error_code error, std::size_t = 0) { self->on_write(error); };
    if (next.ping) {
      ws_.async_ping({}, [done](beast::error_code error) mutable { done(error); });
    } else {
      ws_.text(true);
      ws_.async_write(boost::asio::buffer(next.text), done);
    }
  }

  void on_write(beast::error_code error) {
    writing_ = false;
    if (aborted_) return;
    outgoing_.pop_front();
    if (error) return;  // the read loop reports the broken connection
    if (!outgoing_.empty()) return do_write();
    if (closing_) do_close();
  }

  void do_close() {
    ws_.async_close(websocket::close_code::normal,
                    [self = this->shared_from_this()](beast::error_code /*error*/) { self->abort(); });
  }

  TransportSettings settings_;
  TransportEvents events_;
  tcp::resolver resolver_;
  websocket::stream<NextLayer<Tls>> ws_;
  websocket::response_type response_;
  beast::flat_buffer buffer_;
  std::deque<Outgoing> outgoing_;
  std::function<void()> closed_;
  bool open_ = false;
  bool writing_ = false;
  bool closing_ = false;
  bool aborted_ = false;
};

}  // namespace

std::shared_ptr<Transport> make_transport(const Strand& strand, TransportSettings settings, TransportEvents events) {
  if (settings.url.tls()) {
    auto& context = *settings.tls;
    return std::make_shared<WsTransport<true>>(strand, std::move(settings), std::move(events), context);
  }
  return std::make_shared<WsTransport<false>>(strand, std::move(settings), std::move(events));
}

}  // namespace flowmind::uw_websocket
