// The relay's HTTP server: accept loop, per-address limits, TLS, one session per connection (API,
// static files, WebSocket upgrades), the shards' fan-out rounds and ping timers.
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <unordered_map>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "access_control.hpp"
#include "flowmind/plugin.hpp"
#include "relay_asio.hpp"
#include "send_batch.hpp"
#include "static_files.hpp"
#include "ws_handshake.hpp"

namespace flowmind::browser_relay {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

// Connections that have not become WebSocket clients, beyond max_clients.
constexpr std::size_t extra_http_connections = 256;

// Open connections per remote address and in all; a slot is released when its connection goes.
class IpTable : public std::enable_shared_from_this<IpTable> {
 public:
  IpTable(std::size_t per_ip, std::size_t total) : per_ip_(per_ip), total_(total) {}

  std::shared_ptr<void> acquire(const std::string& ip) {
    std::lock_guard lock(mutex_);
    auto& count = counts_[ip];
    if (count >= per_ip_ || open_ >= total_) {
      if (count == 0) counts_.erase(ip);
      return nullptr;
    }
    ++count;
    ++open_;
    auto self = shared_from_this();
    return std::shared_ptr<void>(this, [self, ip](void*) { self->release(ip); });
  }

 private:
  void release(const std::string& ip) {
    std::lock_guard lock(mutex_);
    --open_;
    if (const auto found = counts_.find(ip); found != counts_.end() && --found->second == 0) counts_.erase(found);
  }

  const std::size_t per_ip_;
  const std::size_t total_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::size_t> counts_;
  std::size_t open_ = 0;
};

class ServerImpl;

// One HTTP connection: requests (API, static files) until it asks for a WebSocket, which is then
// checked (Origin, token, path, handshake, limits) and handed to a client.
template <typename Stream>
class HttpSession : public Connection, public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  HttpSession(std::shared_ptr<ServerImpl> server, Shard& shard, std::unique_ptr<Stream> stream,
              std::shared_ptr<void> ip_slot, std::string peer);

  void start();
  void close_now(std::uint16_t /*code*/) override { close(); }

 private:
  tcp::socket& socket();
  void arm_timer();
  void do_handshake();
  void do_read();
  void on_read(beast::error_code error);
  void handle(http::request<http::string_body>& request);
  void upgrade(http::request<http::string_body>& request, const std::string& path);
  void send(http::status status, std::string content_type, std::string body, bool keep_alive, bool head = false,
            const std::vector<std::pair<std::string, std::string>>& headers = {});
  void refuse(http::status status, const std::string& message,
              const std::vector<std::pair<std::string, std::string>>& headers = {});
  void close();

  std::shared_ptr<ServerImpl> server_;
  Shard& shard_;
  std::unique_ptr<Stream> stream_;
  std::shared_ptr<void> ip_slot_;
  std::string peer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  asio::steady_timer timer_;
  bool closed_ = false;
  bool upgraded_ = false;
};

class ServerImpl final : public RelayServer, public std::enable_shared_from_this<ServerImpl> {
 public:
  ServerImpl(asio::io_context& io, ServerOptions options)
      : io_(io),
        options_(std::move(options)),
        acceptor_(asio::make_strand(io)),
        retry_timer_(acceptor_.get_executor()),
        ips_(
            std::make_shared<IpTable>(options_.max_connections_per_ip, options_.max_clients + extra_http_connections)) {
    for (std::size_t i = 0; i < shard_count_for_host(); ++i) shards_.push_back(std::make_unique<Shard>(io, i));
    if (options_.tls()) tls_ = make_tls_context();
    set_up_send_batches();
  }

  void listen() {
    boost::system::error_code error;
    const auto address = asio::ip::make_address(options_.host, error);
    if (error) throw PluginError("browser_relay: '" + options_.host + "' is not an IP address");
    const tcp::endpoint endpoint(address, options_.port);
    const auto fail = [&](const std::string& step) {
      throw PluginError("browser_relay: cannot " + step + " " + options_.listen() + ": " + error.message() +
                        " (another program, or another FlowMind, may use the port: choose another listen)");
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
    access_.emplace(options_, port_);
    {
      std::lock_guard lock(mutex_);
      do_accept_locked();
    }
    for (auto& shard : shards_) schedule_ping(*shard);
  }

  // RelayServer
  [[nodiscard]] const ServerOptions& options() const override { return options_; }
  [[nodiscard]] std::uint16_t port() const override { return port_; }
  [[nodiscard]] std::size_t shard_count() const override { return shards_.size(); }
  [[nodiscard]] ServerCounters& counters() override { return counters_; }
  [[nodiscard]] std::string send_path() const override {
    for (const auto& shard : shards_) {
      if (!shard->send_batch) continue;
      if (auto why = shard->send_batch->failure(); !why.empty()) {
        return "one sendmsg per client (io_uring failed on a shard: " + why + ")";
      }
    }
    return send_path_;
  }

  void attach(const std::shared_ptr<SinkBinding>& binding) override {
    std::vector<std::shared_ptr<Route>> dropped;
    {
      std::lock_guard lock(mutex_);
      attach_locked(binding, dropped);
    }
    // Routes the new instance no longer has: their clients go, as when a sink stops.
    for (const auto& route : dropped) {
      route->close();
      for (const auto& endpoint : route->endpoints()) close_endpoint(endpoint);
    }
  }

  std::shared_ptr<SinkBinding> predecessor_for(const std::string& pipeline,
                                               const std::vector<std::string>& paths) const override {
    std::lock_guard lock(mutex_);
    for (const auto& binding : bindings_) {
      if (binding->pipeline() != pipeline) continue;
      for (const auto& path : paths) {
        if (binding->route_for(path)) return binding;
      }
    }
    return nullptr;
  }

  void attach_locked(const std::shared_ptr<SinkBinding>& binding, std::vector<std::shared_ptr<Route>>& dropped) {
    if (stopped_) throw PluginError("browser_relay: the server on " + options_.listen() + " is shutting down");
    const auto predecessor = binding->predecessor();
    const auto position = std::find(bindings_.begin(), bindings_.end(), predecessor);
    const bool handover = predecessor && position != bindings_.end();
    for (const auto& route : binding->routes()) {
      const auto owner = owner_of_locked(route->options().path);
      if (owner && !(handover && owner == predecessor)) {
        throw PluginError("browser_relay: path " + route->options().path + " on " + options_.listen() +
                          " is already served by pipeline '" + owner->pipeline() + "'; give each sink its own paths");
      }
    }
    if (handover) {
      // A reload replaces the pipeline: the new instance serves the same clients from now on.
      *position = binding;
      predecessor->supersede();
      binding->take_over();
      for (const auto& route : predecessor->routes()) {
        const auto successor = binding->route_for(route->options().path);
        if (!successor || !successor->adopted()) dropped.push_back(route);
      }
      binding->core().log(LogLevel::info,
                          "took over the clients of the previous instance of pipeline '" + binding->pipeline() + "'");
      return;
    }
    binding->take_over();
    bindings_.push_back(binding);
    if (bindings_.size() == 1) {
      binding->core().log(LogLevel::info, std::string("serving ") + (options_.tls() ? "https" : "http") + "://" +
                                              options_.listen().substr(0, options_.listen().rfind(':')) + ":" +
                                              std::to_string(port_) + "/ (fan-out: " + send_path() + ")");
    }
  }

  std::size_t detach(const std::shared_ptr<SinkBinding>& binding) override {
    std::size_t left = 0;
    {
      std::lock_guard lock(mutex_);
      bindings_.erase(std::remove(bindings_.begin(), bindings_.end(), binding), bindings_.end());
      left = bindings_.size();
    }
    if (binding->superseded()) return left;
    binding->close();
    for (const auto& route : binding->routes()) {
      for (const auto& endpoint : route->endpoints()) close_endpoint(endpoint);
    }
    return left;
  }

  void shutdown() override {
    {
      std::lock_guard lock(mutex_);
      if (stopped_) return;
      stopped_ = true;
      boost::system::error_code ignored;
      acceptor_.close(ignored);
    }
    for (auto& shard : shards_) {
      asio::post(shard->strand, [self = shared_from_this(), shard = shard.get()] {
        shard->ping_timer.cancel();
        std::vector<std::shared_ptr<Connection>> open;
        for (const auto& [raw, weak] : shard->connections) {
          if (auto connection = weak.lock()) open.push_back(std::move(connection));
        }
        for (const auto& connection : open) connection->close_now(close_going_away);
        shard->connections.clear();
      });
    }
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] { self->retry_timer_.cancel(); });
  }

  void publish(const std::shared_ptr<Endpoint>& endpoint) override {
    for (std::size_t i = 0; i < shards_.size(); ++i) {
      auto& slot = endpoint->slot(i);
      if (slot.count.load() == 0) continue;
      slot.again.store(true);
      if (slot.scheduled.exchange(true)) continue;
      schedule_round(endpoint, shards_[i]->strand, i, shards_[i]->send_batch);
    }
  }

  void log(LogLevel level, const std::string& message) override {
    std::shared_ptr<SinkBinding> first;
    {
      std::lock_guard lock(mutex_);
      if (!bindings_.empty()) first = bindings_.front();
    }
    if (first) first->core().log(level, message);
  }

  // For sessions.
  [[nodiscard]] const AccessPolicy& access() const { return *access_; }
  [[nodiscard]] std::vector<std::shared_ptr<SinkBinding>> bindings() const {
    std::lock_guard lock(mutex_);
    return bindings_;
  }
  // The endpoint of a WebSocket path (null: none; `reason` says why).
  std::shared_ptr<Endpoint> endpoint_for(const std::string& path, std::string& reason) {
    std::vector<std::shared_ptr<Route>> routes;
    {
      std::lock_guard lock(mutex_);
      for (const auto& binding : bindings_) {
        for (const auto& route : binding->routes()) routes.push_back(route);
      }
    }
    reason = "no WebSocket endpoint at " + path;
    for (const auto& route : routes) {
      if (!route->templated() && route->options().path == path) return route->endpoint_for_path(path);
    }
    for (const auto& route : routes) {
      if (!route->templated() || !route->path().ticker_of(path)) continue;
      if (auto endpoint = route->endpoint_for_path(path)) return endpoint;
      reason = "too many tickers on " + route->options().path;
      return nullptr;
    }
    return nullptr;
  }

 private:
  std::shared_ptr<ssl::context> make_tls_context() const {
    auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    boost::system::error_code error;
    context->use_certificate_chain_file(options_.tls_cert, error);
    if (error) throw PluginError("browser_relay: cannot use tls_cert " + options_.tls_cert + ": " + error.message());
    context->use_private_key_file(options_.tls_key, ssl::context::pem, error);
    if (error) throw PluginError("browser_relay: cannot use tls_key " + options_.tls_key + ": " + error.message());
    return context;
  }

  // One io_uring per shard for plain WebSocket clients, or none at all (then one sendmsg per client).
  void set_up_send_batches() {
    if (options_.tls()) {
      send_path_ = "one TLS write per client";
      return;
    }
    if (!options_.io_uring) {
      send_path_ = "one sendmsg per client (io_uring: false)";
      return;
    }
    std::string why_not;
    for (auto& shard : shards_) {
      shard->send_batch = SendBatch::create(walk_step_clients, write_buffers_max, why_not);
      if (!shard->send_batch) {
        for (auto& other : shards_) other->send_batch.reset();
        send_path_ = "one sendmsg per client (io_uring unavailable: " + why_not + ")";
        return;
      }
    }
    send_path_ = "io_uring, one system call per " + std::to_string(walk_step_clients) + " clients";
  }

  std::shared_ptr<SinkBinding> owner_of_locked(const std::string& path) const {
    for (const auto& binding : bindings_) {
      for (const auto& route : binding->routes()) {
        if (route->options().path == path) return binding;
      }
    }
    return nullptr;
  }

  void close_endpoint(const std::shared_ptr<Endpoint>& endpoint) {
    for (std::size_t i = 0; i < shards_.size(); ++i) {
      asio::post(shards_[i]->strand, [endpoint, i] {
        for (const auto& client : endpoint->slot(i).take_all()) client->close_now(close_going_away);
      });
    }
  }

  // Starts a walk over the endpoint's clients on a shard (at once, or after the batch delay). The
  // handlers hold the endpoint and a copy of the strand, not the server or its shards.
  static void schedule_round(const std::shared_ptr<Endpoint>& endpoint, const Strand& strand, std::size_t shard,
                             const std::shared_ptr<SendBatch>& batch) {
    if (endpoint->batch_delay().count() == 0) {
      asio::post(strand, [endpoint, strand, shard, batch] { run_round(endpoint, strand, shard, batch); });
    } else {
      auto timer = std::make_shared<asio::steady_timer>(strand, endpoint->batch_delay());
      timer->async_wait([timer, endpoint, strand, shard, batch](boost::system::error_code) {
        run_round(endpoint, strand, shard, batch);
      });
    }
  }

  // One step of a walk; the rest is posted behind whatever else is ready (see ShardSlot). The
  // clients' writes of a step are sent together when the shard has a SendBatch.
  static void run_round(const std::shared_ptr<Endpoint>& endpoint, const Strand& strand, std::size_t shard,
                        const std::shared_ptr<SendBatch>& batch) {
    auto& slot = endpoint->slot(shard);
    if (!slot.walking()) slot.again.store(false);  // this walk visits every client after this point
    if (batch) batch->begin();
    bool walked = false;
    try {
      walked = slot.walk_step(walk_step_clients, [](Subscriber& client) { client.on_round(); });
    } catch (...) {
      // What the step queued goes out (or fails) now: a batch left open would be joined by writes
      // outside any walk and submitted later with buffers that may be gone.
      if (batch) (void)batch->flush();
      throw;
    }
    if (batch && !batch->flush()) {
      endpoint->core().log(LogLevel::warn, "browser_relay: io_uring failed (" + batch->failure() +
                                               "): fan-out goes on with one sendmsg per client");
    }
    if (!walked) {
      asio::post(strand, [endpoint, strand, shard, batch] { run_round(endpoint, strand, shard, batch); });
      return;
    }
    // Frames that arrived during the walk may have missed the clients visited before them.
    slot.scheduled.store(false);
    if (slot.again.load() && !slot.scheduled.exchange(true)) schedule_round(endpoint, strand, shard, batch);
  }

  void schedule_ping(Shard& shard) {
    shard.ping_timer.expires_after(options_.ping_interval);
    shard.ping_timer.async_wait([self = shared_from_this(), &shard](boost::system::error_code error) {
      if (error || self->stopped_.load()) return;
      std::vector<std::shared_ptr<Connection>> open;
      for (const auto& [raw, weak] : shard.connections) {
        if (auto connection = weak.lock()) open.push_back(std::move(connection));
      }
      for (const auto& connection : open) connection->on_ping_tick();
      self->schedule_ping(shard);
    });
  }

  void do_accept_locked() {
    if (stopped_) return;
    auto& shard = *shards_[next_shard_++ % shards_.size()];
    acceptor_.async_accept(shard.strand,
                           [self = shared_from_this(), &shard](boost::system::error_code error, tcp::socket socket) {
                             self->on_accept(error, std::move(socket), shard);
                           });
  }

  void on_accept(boost::system::error_code error, tcp::socket socket, Shard& shard) {
    if (stopped_.load()) return;
    if (error) {
      if (error == asio::error::operation_aborted) return;
      warn_limited("accept failed: " + error.message());
      // Out of descriptors or memory: wait a moment instead of spinning.
      retry_timer_.expires_after(std::chrono::milliseconds(100));
      retry_timer_.async_wait([self = shared_from_this()](boost::system::error_code wait_error) {
        if (wait_error) return;
        std::lock_guard lock(self->mutex_);
        self->do_accept_locked();
      });
      return;
    }
    boost::system::error_code ignored;
    const auto remote = socket.remote_endpoint(ignored);
    const auto peer = remote.address().to_string();
    auto slot = ips_->acquire(peer);
    if (!slot) {
      counters_.refused_limit.fetch_add(1);
      if (!options_.tls()) {
        static constexpr std::string_view busy =
            "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        (void)::send(socket.native_handle(), busy.data(), busy.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      }
      socket.close(ignored);
    } else {
      socket.set_option(tcp::no_delay(true), ignored);
      const auto where = remote.address().is_v6() ? "[" + peer + "]:" + std::to_string(remote.port())
                                                  : peer + ":" + std::to_string(remote.port());
      if (tls_) {
        auto stream = std::make_unique<TlsStream>(std::move(socket), *tls_);
        auto session = std::make_shared<HttpSession<TlsStream>>(shared_from_this(), shard, std::move(stream),
                                                                std::move(slot), where);
        asio::dispatch(shard.strand, [session] { session->start(); });
      } else {
        auto stream = std::make_unique<tcp::socket>(std::move(socket));
        auto session = std::make_shared<HttpSession<tcp::socket>>(shared_from_this(), shard, std::move(stream),
                                                                  std::move(slot), where);
        asio::dispatch(shard.strand, [session] { session->start(); });
      }
    }
    std::lock_guard lock(mutex_);
    do_accept_locked();
  }

  void warn_limited(const std::string& message) {
    const auto now = Clock::now().time_since_epoch().count();
    auto last = last_warning_.load();
    if (now - last < std::chrono::duration_cast<Clock::duration>(std::chrono::seconds(10)).count()) return;
    if (last_warning_.compare_exchange_strong(last, now)) log(LogLevel::warn, message);
  }

  asio::io_context& io_;
  const ServerOptions options_;
  std::vector<std::unique_ptr<Shard>> shards_;
  mutable std::mutex mutex_;  // bindings_, stopped_ transitions, and every acceptor_ operation
  tcp::acceptor acceptor_;
  asio::steady_timer retry_timer_;
  std::shared_ptr<IpTable> ips_;
  std::optional<AccessPolicy> access_;
  std::vector<std::shared_ptr<SinkBinding>> bindings_;
  std::atomic<bool> stopped_{false};
  std::size_t next_shard_ = 0;
  std::uint16_t port_ = 0;
  ServerCounters counters_;
  std::atomic<Clock::rep> last_warning_{0};
  std::shared_ptr<ssl::context> tls_;
  std::string send_path_;  // how fan-out writes go out, for the log
};

template <typename Stream>
HttpSession<Stream>::HttpSession(std::shared_ptr<ServerImpl> server, Shard& shard, std::unique_ptr<Stream> stream,
                                 std::shared_ptr<void> ip_slot, std::string peer)
    : server_(std::move(server)),
      shard_(shard),
      stream_(std::move(stream)),
      ip_slot_(std::move(ip_slot)),
      peer_(std::move(peer)),
      buffer_(server_->options().max_request_size + 1024),
      timer_(shard.strand) {}

template <typename Stream>
tcp::socket& HttpSession<Stream>::socket() {
  if constexpr (std::is_same_v<Stream, tcp::socket>) {
    return *stream_;
  } else {
    return stream_->next_layer();
  }
}

template <typename Stream>
void HttpSession<Stream>::start() {
  shard_.connections[this] = this->weak_from_this();
  arm_timer();
  if constexpr (std::is_same_v<Stream, tcp::socket>) {
    do_read();
  } else {
    do_handshake();
  }
}

template <typename Stream>
void HttpSession<Stream>::arm_timer() {
  timer_.expires_after(server_->options().header_timeout);
  timer_.async_wait([self = this->shared_from_this()](boost::system::error_code error) {
    if (!error && !self->upgraded_) self->close();
  });
}

template <typename Stream>
void HttpSession<Stream>::do_handshake() {
  if constexpr (!std::is_same_v<Stream, tcp::socket>) {
    stream_->async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code error) {
      if (self->closed_) return;
      if (error) {
        self->server_->counters().tls_failures.fetch_add(1);
        return self->close();
      }
      self->do_read();
    });
  }
}

template <typename Stream>
void HttpSession<Stream>::do_read() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(server_->options().max_request_size));
  parser_->body_limit(server_->options().max_request_size);
  arm_timer();
  http::async_read(*stream_, buffer_, *parser_,
                   [self = this->shared_from_this()](beast::error_code error, std::size_t) { self->on_read(error); });
}

template <typename Stream>
void HttpSession<Stream>::on_read(beast::error_code error) {
  if (closed_) return;
  timer_.cancel();
  if (error == http::error::end_of_stream || error == asio::error::eof || error == asio::error::operation_aborted ||
      error == asio::error::connection_reset) {
    return close();
  }
  if (error == http::error::body_limit || error == http::error::header_limit || error == http::error::buffer_overflow) {
    server_->counters().bad_requests.fetch_add(1);
    return refuse(http::status::payload_too_large, "request too large");
  }
  if (error) {
    server_->counters().bad_requests.fetch_add(1);
    return refuse(http::status::bad_request, "malformed request");
  }
  server_->counters().http_requests.fetch_add(1);
  auto request = parser_->release();
  handle(request);
}

template <typename Stream>
void HttpSession<Stream>::handle(http::request<http::string_body>& request) {
  const auto target = std::string_view(request.target().data(), request.target().size());
  const auto path = decoded_path(target);
  if (!path || path->empty() || path->front() != '/') {
    server_->counters().bad_requests.fetch_add(1);
    return refuse(http::status::bad_request, "malformed request target");
  }
  const auto field = [&](http::field name) {
    const auto value = request[name];
    return std::string_view(value.data(), value.size());
  };
  UpgradeRequest upgrade_view{std::string_view(request.method_string().data(), request.method_string().size()),
                              request.version(),
                              field(http::field::upgrade),
                              field(http::field::connection),
                              field(http::field::sec_websocket_version),
                              field(http::field::sec_websocket_key)};
  if (wants_websocket(upgrade_view)) return upgrade(request, *path);

  std::optional<std::string_view> origin;
  if (request.find(http::field::origin) != request.end()) origin = field(http::field::origin);
  const bool head = request.method() == http::verb::head;
  if (is_api_request(*path)) {
    std::string reason;
    if (server_->endpoint_for(*path, reason)) {
      return send(http::status::upgrade_required, "application/json",
                  R"({"status":"error","message":"this is a WebSocket endpoint"})"
                  "\n",
                  request.keep_alive(), head, {{"Upgrade", "websocket"}});
    }
    const ApiRequest api{upgrade_view.method, *path, target, field(http::field::authorization), origin};
    const auto reply = handle_api(api, server_->bindings(), server_->counters(), server_->access());
    return send(static_cast<http::status>(reply.status), "application/json", reply.body, request.keep_alive(), head,
                reply.headers);
  }
  if (request.method() != http::verb::get && !head) {
    return send(http::status::method_not_allowed, "text/plain; charset=utf-8", "use GET\n", request.keep_alive(), false,
                {{"Allow", "GET, HEAD"}});
  }
  auto file = serve_static(server_->options().static_dir, *path);
  send(static_cast<http::status>(file.status), std::move(file.content_type), std::move(file.body), request.keep_alive(),
       head);
}

template <typename Stream>
void HttpSession<Stream>::upgrade(http::request<http::string_body>& request, const std::string& path) {
  auto& counters = server_->counters();
  const auto field = [&](http::field name) {
    const auto value = request[name];
    return std::string_view(value.data(), value.size());
  };
  const auto target = std::string_view(request.target().data(), request.target().size());
  std::optional<std::string_view> origin;
  if (request.find(http::field::origin) != request.end()) origin = field(http::field::origin);
  if (!server_->access().origin_allowed(origin)) {
    counters.refused_origin.fetch_add(1);
    server_->log(LogLevel::debug, "refused a WebSocket from " + peer_ + ": origin " +
                                      std::string(*origin).substr(0, 200) + " is not allowed");
    return refuse(http::status::forbidden, "origin not allowed");
  }
  if (!server_->access().client_token_ok(field(http::field::authorization), target)) {
    counters.refused_token.fetch_add(1);
    return refuse(http::status::unauthorized, "token required", {{"WWW-Authenticate", "Bearer"}});
  }
  std::string reason;
  auto endpoint = server_->endpoint_for(path, reason);
  if (!endpoint) {
    counters.refused_path.fetch_add(1);
    return refuse(http::status::not_found, reason);
  }
  bool version_mismatch = false;
  const UpgradeRequest view{std::string_view(request.method_string().data(), request.method_string().size()),
                            request.version(),
                            field(http::field::upgrade),
                            field(http::field::connection),
                            field(http::field::sec_websocket_version),
                            field(http::field::sec_websocket_key)};
  if (const auto problem = check_upgrade(view, version_mismatch)) {
    counters.bad_requests.fetch_add(1);
    if (version_mismatch) {
      return refuse(http::status::upgrade_required, *problem, {{"Sec-WebSocket-Version", "13"}});
    }
    return refuse(http::status::bad_request, *problem);
  }
  if (counters.clients.fetch_add(1) >= server_->options().max_clients) {
    counters.clients.fetch_sub(1);
    counters.refused_limit.fetch_add(1);
    return refuse(http::status::service_unavailable, "too many clients");
  }
  upgraded_ = true;
  closed_ = true;
  timer_.cancel();
  shard_.connections.erase(this);
  ClientSetup setup;
  setup.server = server_;
  setup.shard = &shard_;
  setup.endpoint = std::move(endpoint);
  setup.ip_slot = std::move(ip_slot_);
  setup.response = switching_protocols(view.key);
  const auto data = buffer_.data();
  setup.leftover.assign(static_cast<const char*>(data.data()), data.size());
  setup.peer = peer_;
  if constexpr (std::is_same_v<Stream, tcp::socket>) {
    start_plain_client(std::move(*stream_), std::move(setup));
  } else {
    start_tls_client(std::move(stream_), std::move(setup));
  }
}

template <typename Stream>
void HttpSession<Stream>::send(http::status status, std::string content_type, std::string body, bool keep_alive,
                               bool head, const std::vector<std::pair<std::string, std::string>>& headers) {
  auto response = std::make_shared<http::response<http::string_body>>(status, 11);
  response->set(http::field::server, "flowmind");
  response->set(http::field::content_type, content_type);
  response->set(http::field::cache_control, content_type.rfind("application/json", 0) == 0 ? "no-store" : "no-cache");
  response->set("X-Content-Type-Options", "nosniff");
  response->set("Referrer-Policy", "no-referrer");
  for (const auto& [name, value] : headers) response->set(name, value);
  response->keep_alive(keep_alive);
  const auto size = body.size();
  if (!head) response->body() = std::move(body);
  response->prepare_payload();
  if (head) response->content_length(size);
  arm_timer();
  http::async_write(*stream_, *response,
                    [self = this->shared_from_this(), response, keep_alive](beast::error_code error, std::size_t) {
                      if (self->closed_) return;
                      self->timer_.cancel();
                      if (error || !keep_alive) return self->close();
                      self->do_read();
                    });
}

template <typename Stream>
void HttpSession<Stream>::refuse(http::status status, const std::string& message,
                                 const std::vector<std::pair<std::string, std::string>>& headers) {
  send(status, "application/json", nlohmann::json({{"status", "error"}, {"message", message}}).dump() + "\n", false,
       false, headers);
}

template <typename Stream>
void HttpSession<Stream>::close() {
  if (upgraded_ || closed_) return;  // after an upgrade the stream belongs to a client
  closed_ = true;
  timer_.cancel();
  boost::system::error_code ignored;
  socket().shutdown(tcp::socket::shutdown_both, ignored);
  socket().close(ignored);
  shard_.connections.erase(this);
  ip_slot_.reset();
}

}  // namespace

std::shared_ptr<RelayServer> make_relay_server(asio::io_context& io, const ServerOptions& options) {
  auto server = std::make_shared<ServerImpl>(io, options);
  server->listen();
  return server;
}

}  // namespace flowmind::browser_relay
