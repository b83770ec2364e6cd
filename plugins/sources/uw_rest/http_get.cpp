// http_get(): resolve, connect, TLS handshake, write, read, as one chain of Beast async steps
// driven by run_for() slices so that a deadline or a stop request can close the socket.
#include "http_get.hpp"

#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "uw_net/tls.hpp"

namespace flowmind::uw_rest {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto slice = std::chrono::milliseconds(50);

std::string describe(const boost::system::error_code& error) {
  std::string text = error.message();
  // OpenSSL's reason strings are terse; the category says where they came from.
  if (error.category() == asio::error::get_ssl_category()) text += " (TLS)";
  return text;
}

// One exchange over Stream (beast::tcp_stream, or beast::ssl_stream of one). Handlers run on
// the caller's thread inside io.run_for(), so no state needs a lock.
template <typename Stream>
class Exchange {
 public:
  Exchange(asio::io_context& io, const HttpRequestSpec& spec, Stream stream)
      : spec_(spec), resolver_(io), stream_(std::move(stream)) {
    request_.method(http::verb::get);
    request_.target(spec.url.target);
    request_.version(11);
    const bool default_port = spec.url.port == (spec.url.tls() ? "443" : "80");
    const bool ipv6 = spec.url.host.find(':') != std::string::npos;
    const std::string host = ipv6 ? "[" + spec.url.host + "]" : spec.url.host;
    request_.set(http::field::host, default_port ? host : host + ":" + spec.url.port);
    request_.set(http::field::user_agent, "flowmind-uw_rest");
    request_.set(http::field::connection, "close");
    for (const auto& [name, value] : spec.headers) request_.set(name, value);
    parser_.body_limit(spec.body_limit);
  }

  void start() { do_resolve(); }
  [[nodiscard]] bool done() const { return done_; }
  HttpOutcome& outcome() { return outcome_; }

  // Closes everything in flight; the pending handlers then complete with operation_aborted.
  void abort(std::string why, bool cancelled) {
    if (done_) return;
    finish_error(std::move(why));
    outcome_.cancelled = cancelled;
    resolver_.cancel();
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);
  }

 private:
  void do_resolve() {
    resolver_.async_resolve(spec_.url.host, spec_.url.port,
                            [this](const beast::error_code& error, const tcp::resolver::results_type& results) {
                              on_resolve(error, results);
                            });
  }

  void on_resolve(const beast::error_code& error, const tcp::resolver::results_type& results) {
    if (done_) return;
    if (error) return finish_error("cannot resolve " + spec_.url.host + ": " + describe(error));
    beast::get_lowest_layer(stream_).async_connect(
        results, [this](const beast::error_code& connect_error, const tcp::endpoint&) { on_connect(connect_error); });
  }

  void on_connect(const beast::error_code& error) {
    if (done_) return;
    if (error) {
      return finish_error("cannot connect to " + spec_.url.host + ":" + spec_.url.port + ": " + describe(error));
    }
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      do_write();
    } else {
      stream_.async_handshake(asio::ssl::stream_base::client,
                              [this](const beast::error_code& handshake_error) { on_handshake(handshake_error); });
    }
  }

  void on_handshake(const beast::error_code& error) {
    if (done_) return;
    if (error) return finish_error("TLS handshake with " + spec_.url.host + " failed: " + describe(error));
    do_write();
  }

  void do_write() {
    http::async_write(stream_, request_,
                      [this](const beast::error_code& error, std::size_t /*bytes*/) { on_write(error); });
  }

  void on_write(const beast::error_code& error) {
    if (done_) return;
    if (error) return finish_error("cannot send the request to " + spec_.url.host + ": " + describe(error));
    http::async_read(stream_, buffer_, parser_,
                     [this](const beast::error_code& read_error, std::size_t /*bytes*/) { on_read(read_error); });
  }

  void on_read(const beast::error_code& error) {
    if (done_) return;
    if (error == http::error::body_limit) {
      return finish_error("the response from " + spec_.url.host + " is larger than " +
                          std::to_string(spec_.body_limit) + " bytes");
    }
    if (error) return finish_error("cannot read the response from " + spec_.url.host + ": " + describe(error));
    auto message = parser_.release();
    HttpResponse response;
    response.status = static_cast<int>(message.result_int());
    response.retry_after = std::string(message[http::field::retry_after]);
    response.content_type = std::string(message[http::field::content_type]);
    response.body = std::move(message.body());
    outcome_.response = std::move(response);
    done_ = true;
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);
  }

  void finish_error(std::string why) {
    outcome_.error = std::move(why);
    done_ = true;
  }

  const HttpRequestSpec& spec_;
  tcp::resolver resolver_;
  Stream stream_;
  http::request<http::empty_body> request_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> parser_;
  HttpOutcome outcome_;
  bool done_ = false;
};

template <typename Stream>
HttpOutcome drive(asio::io_context& io, Exchange<Stream>& exchange, const HttpRequestSpec& spec,
                  const std::function<bool()>& cancelled) {
  const auto deadline = std::chrono::steady_clock::now() + spec.timeout;
  exchange.start();
  while (!exchange.done()) {
    io.run_for(slice);
    if (exchange.done()) break;
    const bool stop = cancelled && cancelled();
    if (stop || std::chrono::steady_clock::now() >= deadline) {
      exchange.abort(stop ? "cancelled" : "no complete response from " + spec.url.host + " within the timeout", stop);
      break;
    }
    if (io.stopped()) io.restart();  // run_for returned for lack of work: nothing is pending
  }
  // Let the aborted handlers run (they see done() and return) before the exchange goes away.
  io.restart();
  io.run();
  return std::move(exchange.outcome());
}

}  // namespace

HttpOutcome http_get(const HttpRequestSpec& spec, asio::ssl::context* tls, const std::function<bool()>& cancelled) {
  asio::io_context io;
  try {
    if (spec.url.tls()) {
      if (tls == nullptr) return {std::nullopt, "https needs a TLS context", false};
      beast::ssl_stream<beast::tcp_stream> stream(io, *tls);
      uw_net::configure_tls_stream(stream.native_handle(), spec.url.host);
      Exchange<beast::ssl_stream<beast::tcp_stream>> exchange(io, spec, std::move(stream));
      return drive(io, exchange, spec, cancelled);
    }
    Exchange<beast::tcp_stream> exchange(io, spec, beast::tcp_stream(io));
    return drive(io, exchange, spec, cancelled);
  } catch (const std::exception& error) {
    return {std::nullopt, error.what(), false};
  }
}

}  // namespace flowmind::uw_rest
