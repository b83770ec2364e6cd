// The simulator's network side: listener with TLS detection, HTTP routing, WebSocket sessions, generation timers.
#include "server.hpp"

#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "certificates.hpp"
#include "channels.hpp"
#include "client_log.hpp"
#include "faults.hpp"
#include "generator.hpp"
#include "http_util.hpp"
#include "recording.hpp"
#include "rest_api.hpp"

namespace flowmind::uwsim {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using nlohmann::json;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr std::size_t kMaxQueuedBytes = 256u * 1024 * 1024;
constexpr auto kTickInterval = std::chrono::milliseconds(50);
constexpr long long kMaxMessagesPerTick = 20000;

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// ---------------------------------------------------------------------------------------------
// Stalling: Beast answers pings inside its own read operation, so a stalled connection must not
// hand any bytes to the WebSocket layer. GateStream sits between the WebSocket and its transport
// and holds reads (and the bytes of a read already in flight) while the gate is closed.

struct GateState {
  const Faults* faults = nullptr;
  bool closed = false;  // the connection is going away: stop holding so pending reads can fail
  [[nodiscard]] bool holding() const { return !closed && faults->stalled(Clock::now()); }
};

template <class Next>
class GateStream {
 public:
  using next_layer_type = Next;
  using executor_type = typename Next::executor_type;

  GateStream(Next&& next, std::shared_ptr<GateState> gate) : next_(std::move(next)), gate_(std::move(gate)) {}

  executor_type get_executor() noexcept { return next_.get_executor(); }
  Next& next_layer() noexcept { return next_; }
  const Next& next_layer() const noexcept { return next_; }

  template <class MutableBuffers, class Handler>
  auto async_read_some(const MutableBuffers& buffers, Handler&& handler) {
    return net::async_compose<Handler, void(beast::error_code, std::size_t)>(ReadOp<MutableBuffers>(*this, buffers),
                                                                             handler, next_);
  }

  template <class ConstBuffers, class Handler>
  auto async_write_some(const ConstBuffers& buffers, Handler&& handler) {
    return next_.async_write_some(buffers, std::forward<Handler>(handler));
  }

 private:
  template <class MutableBuffers>
  struct ReadOp {
    ReadOp(GateStream& owner, const MutableBuffers& target) : stream(owner), buffers(target) {}
    GateStream& stream;
    MutableBuffers buffers;
    std::unique_ptr<net::steady_timer> timer;
    beast::error_code result;
    std::size_t transferred = 0;
    enum class State { gated, reading, holding } state = State::gated;

    template <class Self>
    void operator()(Self& self, beast::error_code ec = {}, std::size_t count = 0) {
      switch (state) {
        case State::gated:
          if (stream.gate_->holding()) return wait(self);
          state = State::reading;
          stream.next_.async_read_some(buffers, std::move(self));
          return;
        case State::reading:
          result = ec;
          transferred = count;
          state = State::holding;
          [[fallthrough]];
        case State::holding:
          if (stream.gate_->holding()) return wait(self);
          self.complete(result, transferred);
          return;
      }
    }

    template <class Self>
    void wait(Self& self) {
      if (!timer) timer = std::make_unique<net::steady_timer>(stream.next_.get_executor());
      timer->expires_after(std::chrono::milliseconds(20));
      timer->async_wait(std::move(self));
    }
  };

  Next next_;
  std::shared_ptr<GateState> gate_;
};

template <class Next, class TeardownHandler>
void async_teardown(beast::role_type role, GateStream<Next>& stream, TeardownHandler&& handler) {
  using beast::websocket::async_teardown;
  async_teardown(role, stream.next_layer(), std::forward<TeardownHandler>(handler));
}

template <class Next>
void teardown(beast::role_type role, GateStream<Next>& stream, beast::error_code& ec) {
  using beast::websocket::teardown;
  teardown(role, stream.next_layer(), ec);
}

// ---------------------------------------------------------------------------------------------

class Closable {
 public:
  virtual ~Closable() = default;
  virtual void close_now() = 0;
};

// A live WebSocket connection, whatever its transport.
class WsConnection : public Closable {
 public:
  [[nodiscard]] virtual int id() const = 0;
  [[nodiscard]] virtual const std::set<std::string>& channels() const = 0;
  virtual void deliver(const std::shared_ptr<const std::string>& frame, const std::string& channel) = 0;
  virtual void resume() = 0;  // a stall ended: start writing again
};

struct UpgradeDecision {
  int status = 101;
  std::string message;
  int id = 0;
};

struct ControlResponse {
  int status = 200;
  json body;
};

class Server {
 public:
  Server(net::io_context& ioc, const SimConfig& config, std::ostream& err)
      : ioc_(ioc),
        config_(config),
        err_(err),
        acceptor_(ioc),
        signals_(ioc, SIGINT, SIGTERM),
        tick_timer_(ioc),
        stall_timer_(ioc),
        replay_timer_(ioc),
        generator_(config.seed, config.tickers),
        rest_(config_, generator_, faults_, wall_ms()) {}

  bool start(std::ostream& out);
  void shutdown();
  [[nodiscard]] bool stopping() const { return stopping_; }
  [[nodiscard]] bool created_cert_dir() const { return created_cert_dir_; }
  [[nodiscard]] const std::filesystem::path& cert_dir() const { return cert_dir_; }

  // Used by the sessions.
  Faults& faults() { return faults_; }
  ClientLog& log() { return log_; }
  const SimConfig& config() const { return config_; }
  ssl::context& ssl_context() { return *ssl_context_; }
  void add_closable(Closable* session) { closables_.insert(session); }
  void remove_closable(Closable* session) { closables_.erase(session); }
  void add_connection(WsConnection* connection) { connections_[connection->id()] = connection; }
  void remove_connection(WsConnection* connection, const std::string& token);
  void count_sent() { ++messages_sent_; }
  void count_dropped() { ++messages_dropped_; }
  UpgradeDecision decide_upgrade(const std::string& token, bool tls);
  ControlResponse control(const std::string& method, const std::string& path, const std::string& body);
  RestResponse rest(const std::string& method, const Target& target, const std::string& token);

 private:
  void do_accept();
  void on_tick();
  void on_replay();
  void schedule_replay();
  void reschedule_stall();
  void resume_all();
  std::size_t drop_all();
  std::size_t publish(const std::string& channel, const json& payload);
  std::size_t publish_frame(const std::string& channel, const std::shared_ptr<const std::string>& frame);
  [[nodiscard]] bool any_joined(const std::string& channel) const;

  net::io_context& ioc_;
  const SimConfig& config_;
  std::ostream& err_;
  tcp::acceptor acceptor_;
  net::signal_set signals_;
  net::steady_timer tick_timer_;
  net::steady_timer stall_timer_;
  net::steady_timer replay_timer_;
  std::optional<ssl::context> ssl_context_;
  std::filesystem::path cert_dir_;
  bool created_cert_dir_ = false;
  Faults faults_;
  ClientLog log_;
  MarketGenerator generator_;
  RestApi rest_;
  std::set<Closable*> closables_;
  std::map<int, WsConnection*> connections_;
  std::map<std::string, int> tokens_in_use_;
  std::map<std::string, double> credits_;
  Clock::time_point last_tick_ = Clock::now();
  std::vector<RecordedMessage> replay_;
  std::size_t replay_index_ = 0;
  Clock::time_point replay_base_;
  std::uint64_t total_connections_ = 0;
  std::uint64_t messages_sent_ = 0;
  std::uint64_t messages_dropped_ = 0;
  std::uint64_t rest_requests_ = 0;
  bool stopping_ = false;
};

// ---------------------------------------------------------------------------------------------

template <class Stream>
class WsSession : public WsConnection, public std::enable_shared_from_this<WsSession<Stream>> {
 public:
  WsSession(Server& server, Stream&& stream, int id, std::string token)
      : server_(server),
        gate_(std::make_shared<GateState>(GateState{&server.faults(), false})),
        ws_(std::move(stream), gate_),
        id_(id),
        token_(std::move(token)) {}

  void run(http::request<http::string_body> request) {
    request_ = std::move(request);
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = std::chrono::seconds(10);
    timeouts.idle_timeout = websocket::stream_base::none();
    timeouts.keep_alive_pings = false;  // UW documents no server keep-alive
    ws_.set_option(timeouts);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& response) { response.set(http::field::server, "uw-sim"); }));
    ws_.read_message_max(1024 * 1024);
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
      if (kind != websocket::frame_type::ping) return;
      if (auto* record = server_.log().find(id_)) ++record->pings_received;
    });
    server_.add_connection(this);
    ws_.async_accept(request_, beast::bind_front_handler(&WsSession::on_accept, this->shared_from_this()));
  }

  [[nodiscard]] int id() const override { return id_; }
  [[nodiscard]] const std::set<std::string>& channels() const override { return channels_; }

  void deliver(const std::shared_ptr<const std::string>& frame, const std::string& channel) override {
    if (closed_) return;
    const auto fault = server_.faults().next_frame_fault(cursor_);
    if (fault.kind == FrameFault::Kind::none) {
      enqueue(frame, true);
    } else {
      enqueue(std::make_shared<const std::string>(faulty_frame(fault, *frame, channel)), true);
    }
  }

  void resume() override { maybe_write(); }

  void close_now() override {
    if (closed_) return;
    closed_ = true;
    gate_->closed = true;
    for (auto& timer : ack_timers_) timer.cancel();
    beast::get_lowest_layer(ws_).close();
    channels_.clear();
    if (auto* record = server_.log().find(id_)) {
      record->closed_at_ms = wall_ms();
      record->active_channels.clear();
    }
    server_.remove_connection(this, token_);
  }

 private:
  struct Outgoing {
    std::shared_ptr<const std::string> frame;
    bool data = false;  // acks are never dropped
  };

  void on_accept(beast::error_code ec) {
    if (ec) return close_now();
    accepted_ = true;
    do_read();
    maybe_write();
  }

  void do_read() { ws_.async_read(buffer_, beast::bind_front_handler(&WsSession::on_read, this->shared_from_this())); }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return close_now();
    // Joins must be text frames: binary ones are ignored, as UW does.
    if (ws_.got_text()) handle_text(beast::buffers_to_string(buffer_.data()));
    buffer_.consume(buffer_.size());
    if (!closed_) do_read();
  }

  void handle_text(const std::string& text) {
    const auto message = json::parse(text, nullptr, false);
    if (!message.is_object() || !message.contains("channel") || !message["channel"].is_string() ||
        !message.contains("msg_type") || !message["msg_type"].is_string()) {
      return;
    }
    const auto channel = message["channel"].get<std::string>();
    const auto type = message["msg_type"].get<std::string>();
    auto* record = server_.log().find(id_);
    if (type == "join") {
      if (record) record->joins.push_back(channel);
      if (server_.faults().take_ignored_join()) return;
      if (!is_known_channel(channel)) {
        enqueue(std::make_shared<const std::string>(ack(channel, "error", "unknown channel")), false);
        return;
      }
      const auto limit = server_.config().max_channels_per_connection;
      if (limit > 0 && !channels_.contains(channel) && static_cast<int>(channels_.size()) >= limit) {
        if (record) record->reason = "closed: more than " + std::to_string(limit) + " channels joined";
        return close_now();
      }
      const auto delay = server_.faults().ack_delay();
      if (delay.count() == 0) return activate(channel);
      // A late ack also delays the join: no data flows before the ack.
      ack_timers_.emplace_back(ws_.get_executor());
      const auto timer = std::prev(ack_timers_.end());
      timer->expires_after(delay);
      timer->async_wait([self = this->shared_from_this(), timer, channel](beast::error_code ec) {
        self->ack_timers_.erase(timer);
        if (!ec && !self->closed_) self->activate(channel);
      });
    } else if (type == "leave") {
      if (record) record->leaves.push_back(channel);
      channels_.erase(channel);
      sync_record();
    }
  }

  void activate(const std::string& channel) {
    channels_.insert(channel);
    sync_record();
    enqueue(std::make_shared<const std::string>(ack(channel, "ok", {})), false);
  }

  void sync_record() {
    if (auto* record = server_.log().find(id_)) record->active_channels.assign(channels_.begin(), channels_.end());
  }

  static std::string ack(const std::string& channel, const char* status, const std::string& message) {
    json response = json::object();
    if (!message.empty()) response["message"] = message;
    return json::array({channel, {{"response", response}, {"status", status}}}).dump();
  }

  static std::string faulty_frame(const FrameFault& fault, const std::string& frame, const std::string& channel) {
    const auto parsed = json::parse(frame, nullptr, false);
    json payload = parsed.is_array() && parsed.size() == 2 ? parsed[1] : json::object();
    if (fault.kind == FrameFault::Kind::malformed) {
      if (fault.malformed_kind == "not_array") return json{{"channel", channel}, {"payload", payload}}.dump();
      if (fault.malformed_kind == "wrong_arity") return json::array({channel, payload, "unexpected"}).dump();
      if (fault.malformed_kind == "payload_not_object") return json::array({channel, "not an object"}).dump();
      return frame.substr(0, frame.size() / 2) + "\x01 <truncated, not JSON";
    }
    if (!payload.is_object()) payload = json::object();
    // Pad so the whole frame is `bytes` long (two passes: the first one measures the overhead).
    payload["_padding"] = std::string();
    auto padded = json::array({channel, payload}).dump();
    if (padded.size() < fault.bytes) {
      payload["_padding"] = std::string(fault.bytes - padded.size(), 'x');
      padded = json::array({channel, payload}).dump();
    }
    return padded;
  }

  void enqueue(std::shared_ptr<const std::string> frame, bool data) {
    queued_bytes_ += frame->size();
    queue_.push_back({std::move(frame), data});
    // A slow reader must not grow memory without bound: drop the oldest data frame not being written.
    while (queue_.size() > server_.config().queue_limit || queued_bytes_ > kMaxQueuedBytes) {
      auto victim = std::find_if(queue_.begin() + (writing_ ? 1 : 0), queue_.end(),
                                 [](const Outgoing& outgoing) { return outgoing.data; });
      if (victim == queue_.end()) break;
      queued_bytes_ -= victim->frame->size();
      queue_.erase(victim);
      server_.count_dropped();
      if (auto* record = server_.log().find(id_)) ++record->dropped;
    }
    maybe_write();
  }

  void maybe_write() {
    if (writing_ || closed_ || !accepted_ || queue_.empty() || server_.faults().stalled(Clock::now())) return;
    writing_ = true;
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front().frame),
                    beast::bind_front_handler(&WsSession::on_write, this->shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    writing_ = false;
    if (ec) return close_now();
    queued_bytes_ -= queue_.front().frame->size();
    queue_.pop_front();
    server_.count_sent();
    if (auto* record = server_.log().find(id_)) ++record->messages_sent;
    maybe_write();
  }

  Server& server_;
  std::shared_ptr<GateState> gate_;
  websocket::stream<GateStream<Stream>> ws_;
  int id_;
  std::string token_;  // only for the per-token connection count; never logged
  http::request<http::string_body> request_;
  beast::flat_buffer buffer_;
  std::set<std::string> channels_;
  std::deque<Outgoing> queue_;
  std::size_t queued_bytes_ = 0;
  std::list<net::steady_timer> ack_timers_;
  FrameFaultCursor cursor_;
  bool accepted_ = false;
  bool writing_ = false;
  bool closed_ = false;
};

// ---------------------------------------------------------------------------------------------

template <class Stream>
class HttpSession : public Closable, public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  HttpSession(Server& server, Stream&& stream, beast::flat_buffer&& buffer)
      : server_(server), stream_(std::move(stream)), buffer_(std::move(buffer)) {}
  ~HttpSession() override {
    if (!released_) server_.remove_closable(this);
  }

  void run() {
    server_.add_closable(this);
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(10));
      stream_.async_handshake(ssl::stream_base::server, buffer_.data(),
                              beast::bind_front_handler(&HttpSession::on_handshake, this->shared_from_this()));
    } else {
      do_read();
    }
  }

  void close_now() override {
    if (released_) return;
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);
  }

 private:
  void on_handshake(beast::error_code ec, std::size_t used) {
    if (ec) return;  // e.g. the client does not trust our CA
    buffer_.consume(used);
    do_read();
  }

  void do_read() {
    parser_.emplace();
    parser_->body_limit(1024 * 1024);
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(60));
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::on_read, this->shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return;  // end of stream, timeout or a closed socket: the session simply ends
    handle(parser_->release());
  }

  void handle(http::request<http::string_body> request) {
    const auto target = parse_target(std::string(request.target()));
    const bool loopback = remote_is_loopback();
    if (websocket::is_upgrade(request)) {
      if (target.path != "/socket") return respond(request, 404, json{{"message", "no WebSocket at this path"}}, true);
      std::string token;
      if (const auto found = target.query.find("token"); found != target.query.end()) token = found->second;
      if (token.empty()) token = bearer_token(std::string(request[http::field::authorization]));
      const auto decision = server_.decide_upgrade(token, kTls);
      if (decision.status != 101) return respond(request, decision.status, json{{"message", decision.message}}, true);
      auto session = std::make_shared<WsSession<Stream>>(server_, std::move(stream_), decision.id, token);
      server_.remove_closable(this);
      released_ = true;
      session->run(std::move(request));
      return;
    }
    const auto method = std::string(request.method_string());
    if (target.path.rfind("/_sim/", 0) == 0) {
      if (!loopback) return respond(request, 403, json{{"message", "the control API is loopback only"}}, false);
      auto response = server_.control(method, target.path, request.body());
      return respond(request, response.status, response.body, false);
    }
    if (target.path.rfind("/api/", 0) == 0) {
      std::string token = bearer_token(std::string(request[http::field::authorization]));
      if (token.empty()) {
        if (const auto found = target.query.find("token"); found != target.query.end()) token = found->second;
      }
      const auto response = server_.rest(method, target, token);
      return respond_text(request, response.status, response.body, response.retry_after, false);
    }
    respond(request, 404, json{{"message", "not found: " + target.path}}, false);
  }

  bool remote_is_loopback() {
    beast::error_code ec;
    const auto remote = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    return !ec && remote.address().is_loopback();
  }

  void respond(const http::request<http::string_body>& request, int status, const json& body, bool close) {
    respond_text(request, status, body.dump(), -1, close);
  }

  void respond_text(const http::request<http::string_body>& request, int status, std::string body, int retry_after,
                    bool close) {
    auto response =
        std::make_shared<http::response<http::string_body>>(static_cast<http::status>(status), request.version());
    response->set(http::field::server, "uw-sim");
    response->set(http::field::content_type, "application/json");
    if (retry_after >= 0) response->set(http::field::retry_after, std::to_string(retry_after));
    response->keep_alive(request.keep_alive() && !close);
    response->body() = std::move(body);
    response->prepare_payload();
    response_ = response;
    http::async_write(
        stream_, *response_,
        beast::bind_front_handler(&HttpSession::on_write, this->shared_from_this(), !response_->keep_alive()));
  }

  void on_write(bool close, beast::error_code ec, std::size_t) {
    response_.reset();
    if (ec) return;
    if (close) {
      beast::error_code ignored;
      beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_send, ignored);
      return;
    }
    do_read();
  }

  Server& server_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<http::response<http::string_body>> response_;
  bool released_ = false;  // the stream now belongs to a WebSocket session
};

// Looks at the first bytes of a connection to tell TLS from plain text (only with --tls).
class DetectSession : public Closable, public std::enable_shared_from_this<DetectSession> {
 public:
  DetectSession(Server& server, tcp::socket&& socket) : server_(server), stream_(std::move(socket)) {}
  ~DetectSession() override {
    if (!released_) server_.remove_closable(this);
  }

  void run() {
    server_.add_closable(this);
    stream_.expires_after(std::chrono::seconds(10));
    beast::async_detect_ssl(stream_, buffer_, beast::bind_front_handler(&DetectSession::on_detect, shared_from_this()));
  }

  void close_now() override {
    if (!released_) stream_.close();
  }

 private:
  void on_detect(beast::error_code ec, bool tls) {
    if (ec) return;
    server_.remove_closable(this);
    released_ = true;
    if (tls) {
      std::make_shared<HttpSession<TlsStream>>(server_, TlsStream(std::move(stream_), server_.ssl_context()),
                                               std::move(buffer_))
          ->run();
    } else {
      std::make_shared<HttpSession<PlainStream>>(server_, std::move(stream_), std::move(buffer_))->run();
    }
  }

  Server& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  bool released_ = false;
};

// ---------------------------------------------------------------------------------------------

bool Server::start(std::ostream& out) {
  try {
    if (config_.tls) {
      cert_dir_ = config_.cert_dir;
      if (cert_dir_.empty()) {
        std::random_device random;
        cert_dir_ = std::filesystem::temp_directory_path() /
                    ("uw-sim-certs-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
        created_cert_dir_ = true;
      }
      const auto files = ensure_certificates(cert_dir_);
      err_ << "uw-sim: TLS certificates " << (files.generated ? "generated" : "reused") << " in " << cert_dir_.string()
           << " (clients verify with " << files.ca.string() << ")\n";
      ssl_context_.emplace(ssl::context::tls_server);
      ssl_context_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                                ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
      ssl_context_->use_certificate_chain_file(files.cert.string());
      ssl_context_->use_private_key_file(files.key.string(), ssl::context::pem);
    }
    if (!config_.replay_file.empty()) {
      replay_ = load_recording(config_.replay_file);
      err_ << "uw-sim: replaying " << replay_.size() << " messages from " << config_.replay_file.string() << " at x"
           << config_.replay_speed << "\n";
    }
    const auto address = net::ip::make_address(config_.host);
    const tcp::endpoint endpoint(address, config_.port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
  } catch (const std::exception& error) {
    err_ << "uw-sim: cannot start: " << error.what() << "\n";
    return false;
  }
  for (const auto& spec : config_.faults) faults_.apply(spec, Clock::now());
  reschedule_stall();
  signals_.async_wait([this](beast::error_code ec, int) {
    if (!ec) shutdown();
  });
  do_accept();
  last_tick_ = Clock::now();
  tick_timer_.expires_after(kTickInterval);
  tick_timer_.async_wait([this](beast::error_code ec) {
    if (!ec) on_tick();
  });
  if (!replay_.empty()) {
    replay_base_ = Clock::now();
    schedule_replay();
  }
  out << "uw-sim listening on " << config_.host << ":" << acceptor_.local_endpoint().port() << std::endl;
  return true;
}

void Server::shutdown() {
  if (stopping_) return;
  stopping_ = true;
  beast::error_code ignored;
  acceptor_.close(ignored);
  signals_.cancel(ignored);
  tick_timer_.cancel();
  stall_timer_.cancel();
  replay_timer_.cancel();
  std::vector<Closable*> sessions(closables_.begin(), closables_.end());
  for (auto* session : sessions) session->close_now();
  drop_all();
}

void Server::do_accept() {
  acceptor_.async_accept(ioc_, [this](beast::error_code ec, tcp::socket socket) {
    if (stopping_) return;
    if (!ec) {
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      if (config_.tls) {
        std::make_shared<DetectSession>(*this, std::move(socket))->run();
      } else {
        std::make_shared<HttpSession<PlainStream>>(*this, PlainStream(std::move(socket)), beast::flat_buffer())->run();
      }
    }
    do_accept();
  });
}

void Server::remove_connection(WsConnection* connection, const std::string& token) {
  if (connections_.erase(connection->id()) == 0) return;
  if (auto found = tokens_in_use_.find(token); found != tokens_in_use_.end() && --found->second <= 0) {
    tokens_in_use_.erase(found);
  }
}

UpgradeDecision Server::decide_upgrade(const std::string& token, bool tls) {
  UpgradeDecision decision;
  if (const auto refused = faults_.take_refused_upgrade()) {
    decision.status = *refused;
    decision.message = "upgrade refused (injected fault)";
  } else {
    switch (check_token(config_, token)) {
      case TokenCheck::missing: decision = {401, "missing token", 0}; break;
      case TokenCheck::unknown: decision = {401, "invalid token", 0}; break;
      case TokenCheck::forbidden: decision = {403, "this plan has no WebSocket access", 0}; break;
      case TokenCheck::ok:
        if (tokens_in_use_[token] >= config_.max_connections_per_token) {
          decision = {429,
                      "too many concurrent connections for this token (max " +
                          std::to_string(config_.max_connections_per_token) + ")",
                      0};
        }
        break;
    }
  }
  auto& record = log_.open_connection(tls, decision.status, wall_ms());
  decision.id = record.id;
  if (decision.status == 101) {
    ++tokens_in_use_[token];
    ++total_connections_;
  } else {
    record.reason = decision.message;
  }
  return decision;
}

RestResponse Server::rest(const std::string& method, const Target& target, const std::string& token) {
  ++rest_requests_;
  auto response = rest_.handle(method, target, token, Clock::now(), wall_ms());
  log_.record_rest(target.path, response.status, wall_ms());
  return response;
}

ControlResponse Server::control(const std::string& method, const std::string& path, const std::string& body) {
  const bool get = method == "GET";
  const bool post = method == "POST";
  if (path == "/_sim/log" && get) return {200, log_.to_json()};
  if (path == "/_sim/stats" && get) {
    return {200,
            {{"active_connections", connections_.size()},
             {"total_connections", total_connections_},
             {"messages_sent", messages_sent_},
             {"messages_dropped", messages_dropped_},
             {"rest_requests", rest_requests_}}};
  }
  if (path == "/_sim/faults" && get) return {200, faults_.to_json(Clock::now())};
  if (path == "/_sim/reset" && post) {
    faults_.clear();
    log_.clear();
    rest_.reset_budgets();
    reschedule_stall();
    resume_all();
    return {200, {{"ok", true}}};
  }
  if ((path == "/_sim/emit" || path == "/_sim/fault") && post) {
    const auto spec = json::parse(body, nullptr, false);
    if (spec.is_discarded() || !spec.is_object()) return {400, {{"error", "the body must be a JSON object"}}};
    if (path == "/_sim/emit") {
      if (!spec.contains("channel") || !spec["channel"].is_string() || spec["channel"].get<std::string>().empty()) {
        return {400, {{"error", "missing string field 'channel'"}}};
      }
      if (!spec.contains("payload")) return {400, {{"error", "missing field 'payload'"}}};
      return {200, {{"delivered", publish(spec["channel"].get<std::string>(), spec["payload"])}}};
    }
    if (auto problem = faults_.apply(spec, Clock::now())) return {400, {{"error", *problem}}};
    json answer = {{"ok", true}};
    if (spec["fault"] == "drop_all") answer["dropped"] = drop_all();
    reschedule_stall();
    resume_all();
    return {200, answer};
  }
  if (path == "/_sim/rest" && post) {
    const auto spec = json::parse(body, nullptr, false);
    if (spec.is_discarded() || !spec.is_object()) return {400, {{"error", "the body must be a JSON object"}}};
    if (!spec.contains("endpoint") || !spec["endpoint"].is_string()) {
      return {400, {{"error", "missing string field 'endpoint' (congress or darkpool)"}}};
    }
    if (!spec.contains("record")) return {400, {{"error", "missing field 'record'"}}};
    if (auto problem = rest_.inject(spec["endpoint"].get<std::string>(), spec["record"])) {
      return {400, {{"error", *problem}}};
    }
    return {200, {{"ok", true}}};
  }
  const bool known = path == "/_sim/log" || path == "/_sim/stats" || path == "/_sim/faults" || path == "/_sim/reset" ||
                     path == "/_sim/emit" || path == "/_sim/fault" || path == "/_sim/rest";
  if (known) return {405, {{"error", "method not allowed"}}};
  return {404, {{"error", "no such control endpoint: " + path}}};
}

std::size_t Server::drop_all() {
  std::vector<WsConnection*> victims;
  for (const auto& [id, connection] : connections_) victims.push_back(connection);
  for (auto* connection : victims) connection->close_now();
  return victims.size();
}

void Server::resume_all() {
  for (const auto& [id, connection] : connections_) connection->resume();
}

void Server::reschedule_stall() {
  stall_timer_.cancel();
  if (const auto end = faults_.stall_end()) {
    stall_timer_.expires_at(*end + std::chrono::milliseconds(1));
    stall_timer_.async_wait([this](beast::error_code ec) {
      if (!ec) resume_all();
    });
  }
}

bool Server::any_joined(const std::string& channel) const {
  return std::any_of(connections_.begin(), connections_.end(),
                     [&](const auto& entry) { return entry.second->channels().contains(channel); });
}

std::size_t Server::publish(const std::string& channel, const json& payload) {
  if (!any_joined(channel)) return 0;
  return publish_frame(channel, std::make_shared<const std::string>(json::array({channel, payload}).dump()));
}

std::size_t Server::publish_frame(const std::string& channel, const std::shared_ptr<const std::string>& frame) {
  // Delivering may close a connection (and unregister it), so walk a copy.
  std::vector<WsConnection*> targets;
  for (const auto& [id, connection] : connections_) {
    if (connection->channels().contains(channel)) targets.push_back(connection);
  }
  for (auto* connection : targets) connection->deliver(frame, channel);
  return targets.size();
}

void Server::on_tick() {
  const auto now = Clock::now();
  const double elapsed = std::min(1.0, std::chrono::duration<double>(now - last_tick_).count());
  last_tick_ = now;
  const auto now_ms = wall_ms();
  std::set<std::string> joined;
  for (const auto& [id, connection] : connections_)
    joined.insert(connection->channels().begin(), connection->channels().end());
  std::map<std::string, double> credits;
  // Each active channel earns rate x elapsed messages; fractions carry over to the next tick.
  auto produce = [&](const std::string& key, double rate, const auto& make) {
    if (rate <= 0) return;
    double credit = credits_[key] + rate * elapsed;
    const auto count = std::min(kMaxMessagesPerTick, static_cast<long long>(std::floor(credit)));
    credit = std::min(credit - static_cast<double>(count), std::max(1.0, rate));
    credits[key] = credit;
    for (long long index = 0; index < count; ++index) make();
  };
  for (const char* channel : {"flow-alerts", "off_lit_trades", "lit_trades", "news", "market_tide"}) {
    if (!joined.contains(channel)) continue;
    const std::string name = channel;
    produce(name, config_.rate(name), [&] {
      if (name == "flow-alerts") publish(name, generator_.flow_alert(now_ms));
      if (name == "off_lit_trades") publish(name, generator_.off_lit_trade(now_ms));
      if (name == "lit_trades") publish(name, generator_.lit_trade(now_ms));
      if (name == "news") publish(name, generator_.news(now_ms));
      if (name == "market_tide") publish(name, generator_.market_tide(now_ms));
    });
  }
  std::vector<std::string> option_tickers = config_.tickers;
  bool option_scoped = false;
  for (const auto& channel : joined) {
    const auto scoped = split_scoped_channel(channel);
    if (!scoped) continue;
    const auto& [base, ticker] = *scoped;
    if (base == "option_trades") {
      option_scoped = true;
      if (std::find(option_tickers.begin(), option_tickers.end(), ticker) == option_tickers.end()) {
        option_tickers.push_back(ticker);
      }
      continue;
    }
    produce(channel, config_.rate(base), [&] {
      if (base == "price") publish(channel, generator_.price(ticker, now_ms));
      if (base == "gex") publish(channel, generator_.gex(ticker, now_ms));
      if (base == "gex_strike") publish(channel, generator_.gex_strike(ticker, now_ms, false));
      if (base == "gex_strike_expiry") publish(channel, generator_.gex_strike(ticker, now_ms, true));
    });
  }
  if (joined.contains("option_trades") || option_scoped) {
    produce("option_trades", config_.rate("option_trades"), [&] {
      const auto trade = generator_.option_trade(option_tickers, now_ms);
      publish("option_trades", trade);
      publish("option_trades:" + trade["underlying_symbol"].get<std::string>(), trade);
    });
  }
  credits_ = std::move(credits);
  if (stopping_) return;
  tick_timer_.expires_after(kTickInterval);
  tick_timer_.async_wait([this](beast::error_code ec) {
    if (!ec) on_tick();
  });
}

void Server::schedule_replay() {
  const auto& next = replay_[replay_index_];
  const auto offset =
      std::chrono::duration<double, std::milli>(static_cast<double>(next.offset_ms) / config_.replay_speed);
  replay_timer_.expires_at(replay_base_ + std::chrono::duration_cast<Clock::duration>(offset));
  replay_timer_.async_wait([this](beast::error_code ec) {
    if (!ec) on_replay();
  });
}

void Server::on_replay() {
  const auto now = Clock::now();
  for (;;) {
    const auto& message = replay_[replay_index_];
    const auto due =
        replay_base_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, std::milli>(
                           static_cast<double>(message.offset_ms) / config_.replay_speed));
    if (due > now) break;
    if (any_joined(message.channel)) publish_frame(message.channel, std::make_shared<const std::string>(message.frame));
    if (++replay_index_ == replay_.size()) {
      // Loop, with a one-second pause (scaled) between the end and the next start.
      replay_index_ = 0;
      replay_base_ =
          now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / config_.replay_speed));
      break;
    }
  }
  if (!stopping_) schedule_replay();
}

}  // namespace

int run_server(const SimConfig& config, std::ostream& out, std::ostream& err) {
  net::io_context ioc(1);
  Server server(ioc, config, err);
  if (!server.start(out)) return 1;
  // Every session ends once its socket is closed, so the loop drains by itself after a signal; the
  // deadline only guards against a handler that never completes.
  std::optional<Clock::time_point> deadline;
  while (!ioc.stopped()) {
    ioc.run_for(std::chrono::milliseconds(200));
    if (server.stopping() && !deadline) deadline = Clock::now() + std::chrono::seconds(5);
    if (deadline && Clock::now() > *deadline) {
      err << "uw-sim: shutdown did not finish in time, exiting anyway\n";
      std::_Exit(0);
    }
  }
  if (server.created_cert_dir()) {
    std::error_code ignored;
    std::filesystem::remove_all(server.cert_dir(), ignored);
  }
  err << "uw-sim: stopped\n";
  return 0;
}

}  // namespace flowmind::uwsim
