// Admin HTTP API: an accept loop and one session per connection (Beast's do_x / on_x style).
#include "admin/admin_server.hpp"

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>

#include <boost/asio/ip/tcp.hpp>
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

}  // namespace

class AdminServer::Impl : public std::enable_shared_from_this<AdminServer::Impl> {
 public:
  Impl(asio::io_context& io, AdminOptions options, AdminBackend backend)
      : io_(io), options_(std::move(options)), backend_(std::move(backend)), acceptor_(asio::make_strand(io)) {}

  void listen();
  void stop();
  [[nodiscard]] std::uint16_t port() const { return port_; }
  Reply route(const http::request<http::string_body>& request) const;
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

  ~AdminSession() { server_->unregister_session(this); }

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
    send(server_->route(request), request.keep_alive(), request.version());
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
