// Admin HTTP API: an accept loop and one session per connection (Beast's do_x / on_x style).
#include "admin/admin_server.hpp"

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "flowmind/sdk_version.hpp"
#include "log/logging.hpp"

namespace flowmind {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto idle_timeout = std::chrono::seconds(30);

struct Reply {
  http::status status = http::status::ok;
  std::string content_type = "application/json";
  std::string body;
};

Reply json_reply(http::status status, const nlohmann::json& body) {
  return {status, "application/json", body.dump() + "\n"};
}

Reply error_reply(http::status status, const std::string& message) {
  return json_reply(status, {{"error", message}, {"status", static_cast<int>(status)}});
}

// Compares without an early exit, so the time taken says nothing about the token.
bool same_secret(std::string_view given, std::string_view expected) {
  unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i) {
    difference |= static_cast<unsigned char>(given[i] ^ expected[i % std::max<std::size_t>(1, expected.size())]);
  }
  return difference == 0;
}

// The value of `key` in a query string ("stage=2&limit=5"), nullopt when absent.
std::optional<std::string> query_value(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == key) return std::string(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::optional<std::size_t> parse_count(const std::optional<std::string>& text) {
  if (!text) return std::size_t{0};
  if (text->empty() || text->size() > 12 || text->find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(std::stoull(*text));
}

// A tap client that has not taken a write for this long is stalled: it is closed, so it cannot
// hold an admin connection slot forever.
constexpr auto tap_write_timeout = std::chrono::seconds(30);
// How often a quiet tap writes an empty line: how a gone client is noticed.
constexpr auto tap_heartbeat_interval = std::chrono::seconds(2);

}  // namespace

class AdminServer::Impl : public std::enable_shared_from_this<AdminServer::Impl> {
 public:
  Impl(asio::io_context& io, AdminOptions options, AdminBackend backend)
      : io_(io), options_(std::move(options)), backend_(std::move(backend)), acceptor_(asio::make_strand(io)) {}

  void listen();
  void stop();
  [[nodiscard]] std::uint16_t port() const { return port_; }
  Reply route(const http::request<http::string_body>& request) const;
  // nullopt when the request may go on; otherwise the refusal (missing or wrong admin token).
  std::optional<Reply> refuse_unauthorized(const http::request<http::string_body>& request) const;
  // nullopt unless the request comes from a web page (see the definition).
  std::optional<Reply> refuse_browser(const http::request<http::string_body>& request) const;
  [[nodiscard]] const AdminBackend& backend() const { return backend_; }
  static std::optional<std::string> reconnect_target(const std::string& path);
  Reply reconnect_reply(const std::string& name) const;

  // Sessions register so stop() can close them; the count bounds concurrent connections.
  // Weak references: the server must not keep a finished session alive.
  bool register_session(const void* session, std::weak_ptr<tcp::socket> socket);
  void unregister_session(const void* session);

  const AdminOptions& options() const { return options_; }

 private:
  void do_accept();
  void on_accept(beast::error_code error, tcp::socket socket);

  asio::io_context& io_;
  AdminOptions options_;
  AdminBackend backend_;
  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopped_{false};
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::mutex sessions_mutex_;
  std::map<const void*, std::weak_ptr<tcp::socket>> sessions_;
};

namespace {

// One HTTP connection: read a request, answer it, repeat while keep-alive.
class AdminSession : public std::enable_shared_from_this<AdminSession> {
 public:
  AdminSession(tcp::socket socket, std::shared_ptr<AdminServer::Impl> server)
      : stream_(std::move(socket)), server_(std::move(server)) {}

  ~AdminSession() {
    if (tap_.detach) tap_.detach();
    server_->unregister_session(this);
  }

  void start() {
    // Aliases the session's lifetime: valid exactly while the session lives.
    const std::shared_ptr<tcp::socket> socket(shared_from_this(), &stream_.socket());
    if (!server_->register_session(this, socket)) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream_.socket().close(ignored);
      return;
    }
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read(); });
  }

 private:
  void do_read() {
    parser_.emplace();
    parser_->body_limit(server_->options().max_request_bytes);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(idle_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code error, std::size_t) { self->on_read(error); });
  }

  void on_read(beast::error_code error) {
    if (error == http::error::end_of_stream || error == beast::error::timeout || error == asio::error::eof ||
        error == asio::error::operation_aborted) {
      return close();
    }
    if (error == http::error::body_limit || error == http::error::header_limit) {
      return send(error_reply(http::status::payload_too_large, "request too large"), false, 11);
    }
    if (error) {
      return send(error_reply(http::status::bad_request, "malformed request"), false, 11);
    }
    const auto& request = parser_->get();
    if (auto refusal = server_->refuse_browser(request)) return send(*refusal, false, request.version());
    if (is_tap(request)) return start_tap(request);
    send(server_->route(request), request.keep_alive(), request.version());
  }

  static bool is_tap(const http::request<http::string_body>& request) {
    std::string_view target = request.target();
    target = target.substr(0, target.find('?'));
    const std::string_view suffix = "/tap";
    return (request.method() == http::verb::get) && target.rfind("/pipelines/", 0) == 0 &&
           target.size() > suffix.size() && target.substr(target.size() - suffix.size()) == suffix;
  }

  // GET /pipelines/{name}/tap?stage=N&limit=K: a chunked response, one event's wire JSON per line.
  void start_tap(const http::request<http::string_body>& request) {
    const std::string_view target = request.target();
    const auto question = target.find('?');
    const std::string path(target.substr(0, question));
    const auto query = question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
    const std::string prefix = "/pipelines/";
    const auto name = path.substr(prefix.size(), path.size() - prefix.size() - 4);
    const auto version = request.version();
    if (name.empty() || name.find('/') != std::string::npos) {
      return send(error_reply(http::status::not_found, "no such endpoint: " + path), false, version);
    }
    const auto stage = parse_count(query_value(query, "stage"));
    const auto limit = parse_count(query_value(query, "limit"));
    if (!stage || !limit) {
      return send(error_reply(http::status::bad_request, "stage and limit are whole numbers"), false, version);
    }
    if (!server_->backend().tap) return send(error_reply(http::status::not_found, "no taps here"), false, version);
    std::string refusal;
    std::weak_ptr<AdminSession> weak = shared_from_this();
    auto executor = stream_.get_executor();
    tap_ = server_->backend().tap(
        name, *stage, server_->options().tap_queue,
        [weak, executor] {
          asio::post(executor, [weak] {
            if (auto self = weak.lock()) self->tap_pump();
          });
        },
        refusal);
    if (!tap_.tap) return send(error_reply(http::status::not_found, refusal), false, version);
    tap_limit_ = *limit;
    stream_.expires_never();
    tap_header_ = std::make_unique<http::response<http::empty_body>>(http::status::ok, version);
    tap_header_->set(http::field::server, "flowmind");
    tap_header_->set(http::field::content_type, "application/x-ndjson");
    tap_header_->set(http::field::cache_control, "no-store");
    tap_header_->keep_alive(false);
    tap_header_->chunked(true);
    tap_serializer_ = std::make_unique<http::response_serializer<http::empty_body>>(*tap_header_);
    tap_writing_ = true;
    http::async_write_header(stream_, *tap_serializer_,
                             [self = shared_from_this()](beast::error_code error, std::size_t) {
                               self->tap_writing_ = false;
                               if (error) return self->close();
                               self->tap_heartbeat();
                               self->tap_pump();
                             });
  }

  void tap_pump() {
    if (tap_writing_ || !tap_.tap || tap_done_) return;
    auto lines = tap_.tap->take();
    auto chunk = std::make_shared<std::string>();
    bool last = tap_.tap->ended() && lines.empty();
    for (auto& line : lines) {
      if (tap_limit_ > 0 && tap_sent_ >= tap_limit_) break;
      *chunk += line;
      *chunk += '\n';
      ++tap_sent_;
    }
    if (tap_limit_ > 0 && tap_sent_ >= tap_limit_) last = true;
    if (chunk->empty() && !last) return;
    tap_write(std::move(chunk), last);
  }

  void tap_write(std::shared_ptr<std::string> chunk, bool last) {
    tap_writing_ = true;
    stream_.expires_after(tap_write_timeout);
    if (last) tap_done_ = true;
    auto on_written = [self = shared_from_this(), chunk, last](beast::error_code error, std::size_t) {
      self->tap_writing_ = false;
      if (error) return self->end_tap();
      if (last) {
        asio::async_write(self->stream_, http::make_chunk_last(),
                          [self](beast::error_code, std::size_t) { self->end_tap(); });
        return;
      }
      self->tap_pump();
    };
    if (chunk->empty()) {
      on_written({}, 0);
      return;
    }
    asio::async_write(stream_, http::make_chunk(asio::buffer(*chunk)), std::move(on_written));
  }

  void tap_heartbeat() {
    if (!tap_timer_) tap_timer_ = std::make_unique<asio::steady_timer>(stream_.get_executor());
    tap_timer_->expires_after(tap_heartbeat_interval);
    tap_timer_->async_wait([self = shared_from_this()](beast::error_code error) {
      if (error || self->tap_done_) return;
      if (!self->tap_writing_) {
        if (self->tap_.tap->ended()) {
          self->tap_pump();
        } else {
          self->tap_write(std::make_shared<std::string>("\n"), false);
        }
      }
      self->tap_heartbeat();
    });
  }

  void end_tap() {
    tap_done_ = true;
    if (tap_timer_) tap_timer_->cancel();
    if (tap_.detach) tap_.detach();
    tap_.detach = nullptr;
    close();
  }

  void send(const Reply& reply, bool keep_alive, unsigned version) {
    auto response = std::make_shared<http::response<http::string_body>>(reply.status, version);
    response->set(http::field::server, "flowmind");
    response->set(http::field::content_type, reply.content_type);
    response->set(http::field::cache_control, "no-store");
    response->keep_alive(keep_alive);
    response->body() = reply.body;
    response->prepare_payload();
    stream_.expires_after(idle_timeout);
    http::async_write(stream_, *response, [self = shared_from_this(), response](beast::error_code error, std::size_t) {
      self->on_write(error, response->keep_alive());
    });
  }

  void on_write(beast::error_code error, bool keep_alive) {
    if (error || !keep_alive) return close();
    do_read();
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
    server_->unregister_session(this);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_{8192};
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<AdminServer::Impl> server_;
  // Tap mode (the connection then only streams).
  AdminTap tap_;
  std::size_t tap_limit_ = 0;
  std::size_t tap_sent_ = 0;
  bool tap_writing_ = false;
  bool tap_done_ = false;
  std::unique_ptr<http::response<http::empty_body>> tap_header_;
  std::unique_ptr<http::response_serializer<http::empty_body>> tap_serializer_;
  std::unique_ptr<asio::steady_timer> tap_timer_;
};

}  // namespace

void AdminServer::Impl::listen() {
  beast::error_code error;
  const auto address = asio::ip::make_address(options_.host, error);
  if (error) throw AdminListenError("admin API: '" + options_.host + "' is not an IP address");
  const tcp::endpoint endpoint(address, options_.port);
  const std::string where = options_.host + ":" + std::to_string(options_.port);
  const auto fail = [&](const char* step) {
    throw AdminListenError("admin API: cannot " + std::string(step) + " " + where + ": " + error.message() +
                           " (choose another with --admin-listen HOST:PORT, or --admin-listen off)");
  };
  acceptor_.open(endpoint.protocol(), error);
  if (error) fail("open");
  acceptor_.set_option(asio::socket_base::reuse_address(true), error);
  if (error) fail("configure");
  acceptor_.bind(endpoint, error);
  if (error) fail("listen on");
  acceptor_.listen(asio::socket_base::max_listen_connections, error);
  if (error) fail("listen on");
  port_ = acceptor_.local_endpoint().port();
  do_accept();
}

void AdminServer::Impl::do_accept() {
  acceptor_.async_accept(asio::make_strand(io_), beast::bind_front_handler(&Impl::on_accept, shared_from_this()));
}

void AdminServer::Impl::on_accept(beast::error_code error, tcp::socket socket) {
  if (stopped_) return;
  if (!error) {
    std::make_shared<AdminSession>(std::move(socket), shared_from_this())->start();
  } else if (error != asio::error::operation_aborted) {
    engine_log().warn("admin API: accept failed: {}", error.message());
  }
  if (acceptor_.is_open()) do_accept();
}

bool AdminServer::Impl::register_session(const void* session, std::weak_ptr<tcp::socket> socket) {
  std::lock_guard lock(sessions_mutex_);
  if (stopped_ || sessions_.size() >= options_.max_connections) return false;
  sessions_.emplace(session, std::move(socket));
  return true;
}

void AdminServer::Impl::unregister_session(const void* session) {
  std::lock_guard lock(sessions_mutex_);
  sessions_.erase(session);
}

void AdminServer::Impl::stop() {
  if (stopped_.exchange(true)) return;
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ignored;
    self->acceptor_.close(ignored);
  });
  std::lock_guard lock(sessions_mutex_);
  for (const auto& [session, weak_socket] : sessions_) {
    auto socket = weak_socket.lock();
    if (!socket) continue;
    asio::post(socket->get_executor(), [socket] {
      beast::error_code ignored;
      socket->shutdown(tcp::socket::shutdown_both, ignored);
      socket->close(ignored);
    });
  }
  sessions_.clear();
}

// "/pipelines/{name}/reconnect" -> name.
std::optional<std::string> AdminServer::Impl::reconnect_target(const std::string& path) {
  const std::string prefix = "/pipelines/";
  const std::string suffix = "/reconnect";
  if (path.size() <= prefix.size() + suffix.size() || path.rfind(prefix, 0) != 0) return std::nullopt;
  if (path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0) return std::nullopt;
  auto name = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
  if (name.find('/') != std::string::npos) return std::nullopt;
  return name;
}

Reply AdminServer::Impl::reconnect_reply(const std::string& name) const {
  const auto done = backend_.reconnect ? backend_.reconnect(name) : std::nullopt;
  if (!done) return error_reply(http::status::not_found, "no such pipeline: " + name);
  if (!*done) {
    return error_reply(http::status::conflict,
                       "pipeline '" + name + "' is not running or its source has no connection to renew");
  }
  return json_reply(http::status::ok, {{"status", "success"}, {"message", "reconnect requested for " + name}});
}

Reply AdminServer::Impl::route(const http::request<http::string_body>& request) const {
  std::string path(request.target());
  if (const auto query = path.find('?'); query != std::string::npos) path.resize(query);
  if (path.size() > 1 && path.back() == '/') path.pop_back();

  const bool is_get = request.method() == http::verb::get || request.method() == http::verb::head;
  if (!is_get) {
    if (auto refusal = refuse_unauthorized(request)) return *refusal;
  }
  if (backend_.handle) {
    try {
      if (auto handled = backend_.handle(AdminRequest{std::string(request.method_string()), path, request.body()})) {
        return json_reply(static_cast<http::status>(handled->status), handled->body);
      }
    } catch (const std::exception& error) {
      engine_log().error("admin API: {} {} failed: {}", std::string(request.method_string()), path, error.what());
      return error_reply(http::status::internal_server_error, "internal error");
    }
  }
  if (const auto action = reconnect_target(path)) {
    if (request.method() != http::verb::post)
      return error_reply(http::status::method_not_allowed, "use POST for " + path);
    return reconnect_reply(*action);
  }
  const auto known = {"/health", "/ready", "/pipelines", "/metrics"};
  if (std::find(known.begin(), known.end(), path) == known.end()) {
    return error_reply(http::status::not_found, "no such endpoint: " + path);
  }
  if (!is_get) return error_reply(http::status::method_not_allowed, "use GET for " + path);

  try {
    if (path == "/health") {
      const auto uptime = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
      return json_reply(http::status::ok,
                        {{"status", "healthy"},
                         {"version", FLOWMIND_VERSION},
                         {"sdk", std::to_string(sdk_version_major) + "." + std::to_string(sdk_version_minor)},
                         {"uptime_seconds", uptime}});
    }
    if (path == "/ready") {
      const auto waiting = backend_.not_running();
      if (waiting.empty()) return json_reply(http::status::ok, {{"status", "ready"}});
      return json_reply(http::status::service_unavailable, {{"status", "not ready"}, {"not_running", waiting}});
    }
    if (path == "/pipelines") return json_reply(http::status::ok, {{"pipelines", backend_.pipelines()}});
    return {http::status::ok, "text/plain; version=0.0.4; charset=utf-8", backend_.metrics()};
  } catch (const std::exception& error) {
    engine_log().error("admin API: {} failed: {}", path, error.what());
    return error_reply(http::status::internal_server_error, "internal error");
  }
}

std::optional<Reply> AdminServer::Impl::refuse_unauthorized(const http::request<http::string_body>& request) const {
  if (options_.token.empty()) {
    if (is_loopback_host(options_.host)) return std::nullopt;
    return error_reply(http::status::forbidden,
                       "changes need an admin token when the admin API listens on " + options_.host +
                           " (start flowmind with --admin-token-file FILE or FLOWMIND_ADMIN_TOKEN)");
  }
  const auto header = request.find(http::field::authorization);
  const std::string_view scheme = "Bearer ";
  if (header == request.end() || header->value().substr(0, scheme.size()) != scheme) {
    return Reply{
        http::status::unauthorized, "application/json",
        nlohmann::json({{"error", "this call needs the admin token: Authorization: Bearer TOKEN"}, {"status", 401}})
                .dump() +
            "\n"};
  }
  if (!same_secret(header->value().substr(scheme.size()), options_.token)) {
    return error_reply(http::status::forbidden, "wrong admin token");
  }
  return std::nullopt;
}

// The admin API serves command-line tools, never web pages. A page the operator opens could
// otherwise POST a pipeline to 127.0.0.1 (browsers send simple cross-site POSTs without asking),
// or read the API through a DNS name rebound to 127.0.0.1. Browsers always name the page's origin
// on cross-site and on non-GET requests, and name the site in Host, so both are refused here.
std::optional<Reply> AdminServer::Impl::refuse_browser(const http::request<http::string_body>& request) const {
  if (request.find(http::field::origin) != request.end()) {
    return error_reply(http::status::forbidden,
                       "the admin API does not answer web pages (request has an Origin header)");
  }
  if (!is_loopback_host(options_.host)) return std::nullopt;
  const auto host_header = request.find(http::field::host);
  if (host_header == request.end()) return std::nullopt;  // HTTP/1.0 tools; browsers always send Host
  std::string host(host_header->value());
  if (!host.empty() && host.front() == '[') {
    host = host.substr(1, host.find(']') - 1);
  } else if (const auto colon = host.rfind(':'); colon != std::string::npos) {
    host.resize(colon);
  }
  if (host == "localhost" || is_loopback_host(host)) return std::nullopt;
  return error_reply(http::status::forbidden, "the admin API answers only requests addressed to this machine (Host: " +
                                                  std::string(host_header->value()) + ")");
}

bool is_loopback_host(const std::string& host) {
  boost::system::error_code error;
  const auto address = asio::ip::make_address(host, error);
  return !error && address.is_loopback();
}

AdminServer::AdminServer(asio::io_context& io, AdminOptions options, AdminBackend backend)
    : impl_(std::make_shared<Impl>(io, std::move(options), std::move(backend))) {
  impl_->listen();
}

AdminServer::~AdminServer() { impl_->stop(); }

std::uint16_t AdminServer::port() const { return impl_->port(); }

void AdminServer::stop() { impl_->stop(); }

AdminOptions parse_listen_address(const std::string& text) {
  AdminOptions options;
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("expected HOST:PORT, got '" + text + "'");
  std::string host = text.substr(0, colon);
  const std::string port = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "127.0.0.1";
  if (host == "localhost") host = "127.0.0.1";
  boost::system::error_code error;
  asio::ip::make_address(host, error);
  if (error) throw std::invalid_argument("'" + host + "' is not an IP address");
  if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 ||
      std::stoul(port) > 65535) {
    throw std::invalid_argument("'" + port + "' is not a port number");
  }
  options.host = host;
  options.port = static_cast<std::uint16_t>(std::stoul(port));
  return options;
}

}  // namespace flowmind
