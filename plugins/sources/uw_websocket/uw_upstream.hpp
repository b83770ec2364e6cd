// One connection to UW shared by every pipeline of the process with the same URL and token:
// reference-counted joins, acknowledgements, ping/pong health, reconnects with backoff, and
// fan-out of each message to the inboxes of the pipelines that asked for its channel.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <nlohmann/json.hpp>

#include "flowmind/context.hpp"
#include "uw_inbox.hpp"
#include "uw_net/backoff.hpp"
#include "uw_net/url.hpp"
#include "uw_options.hpp"
#include "uw_transport.hpp"

namespace flowmind::uw_websocket {

// Set once a connection is closed for good; lets the last pipeline wait (bounded) for its leave
// and close frames to go out before the engine stops the io_context.
class ClosedSignal {
 public:
  void set() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    changed_.notify_all();
  }
  bool wait_for(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [this] { return done_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool done_ = false;
};

class Upstream : public std::enable_shared_from_this<Upstream> {
 public:
  // Throws PluginError when the URL or the TLS setup (ca_file) cannot be used.
  Upstream(boost::asio::io_context& io, Options options, std::string key);
  Upstream(const Upstream&) = delete;
  Upstream& operator=(const Upstream&) = delete;
  ~Upstream() = default;

  // Called by the registry (under its lock). attach() joins the channels nobody had joined yet;
  // detach() leaves those nobody needs any more and returns how many inboxes are left.
  void attach(const std::shared_ptr<Inbox>& inbox, const Options& options);
  std::size_t detach(const std::shared_ptr<Inbox>& inbox);
  // True when detaching `inbox` now would leave a channel or close the connection while no other
  // inbox of its pipeline (a successor instance, during a reload) is attached.
  [[nodiscard]] bool detach_would_cost(const Inbox& inbox) const;
  // The first attach starts connecting; after the last detach the connection is closed.
  void start();
  std::shared_ptr<ClosedSignal> shut_down();
  // Drops the current connection and connects again at once (operator request).
  void reconnect();

  [[nodiscard]] const std::string& key() const { return key_; }
  // The URL with the token masked, for logs and status.
  [[nodiscard]] const std::string& display_url() const { return display_url_; }
  // {"connection": {...}, "channels": {name: {...}}} for the given channels.
  [[nodiscard]] nlohmann::json status(const std::vector<std::string>& channels) const;

 private:
  enum class State { idle, connecting, open, waiting, closed, failed };
  enum class Join { unsent, pending, joined, failed, refused };
  struct Channel {
    int refs = 0;
    Join join = Join::unsent;
    unsigned attempts = 0;
    std::chrono::steady_clock::time_point ack_deadline;
    std::uint64_t messages = 0;
    std::uint64_t bytes = 0;
    std::optional<std::chrono::steady_clock::time_point> last_message;
  };

  static const char* to_string(State state);
  static const char* to_string(Join join);

  void connect_locked();
  void on_opened(std::uint64_t generation, bool ok, unsigned http_status, const std::string& detail);
  void on_message(std::uint64_t generation, std::string frame, bool text);
  void on_alive(std::uint64_t generation);
  void on_closed(std::uint64_t generation, const std::string& detail, bool too_big);
  void on_tick(std::uint64_t generation);
  void on_reconnect_timer(std::uint64_t generation);

  void schedule_reconnect_locked(const std::string& reason);
  void fail_locked(const std::string& reason);
  void drop_transport_locked();
  void sync_channels_locked();
  void tick_locked();
  void log_locked(LogLevel level, const std::string& text);
  void log_channel_locked(const std::string& channel, LogLevel level, const std::string& text);

  Options options_;
  std::string key_;
  uw_net::Url url_;
  std::string target_;  // with the token
  std::string display_url_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
  Strand strand_;
  boost::asio::steady_timer reconnect_timer_;
  boost::asio::steady_timer tick_timer_;
  boost::asio::steady_timer close_timer_;
  std::chrono::milliseconds tick_interval_;

  mutable std::mutex mutex_;
  std::shared_ptr<Transport> transport_;
  std::uint64_t generation_ = 0;
  State state_ = State::idle;
  std::vector<std::shared_ptr<Inbox>> inboxes_;
  std::map<std::string, Channel> channels_;
  std::vector<std::string> pending_leaves_;
  uw_net::Backoff backoff_;

  bool ever_opened_ = false;
  bool ping_outstanding_ = false;
  std::chrono::steady_clock::time_point ping_sent_at_;
  std::chrono::steady_clock::time_point last_received_;
  std::optional<std::chrono::steady_clock::time_point> last_message_;
  std::optional<std::chrono::system_clock::time_point> connected_since_;
  std::optional<std::chrono::steady_clock::time_point> next_attempt_at_;
  std::string last_error_;
  std::uint64_t connect_attempts_ = 0;
  std::uint64_t connect_failures_ = 0;
  std::uint64_t reconnects_ = 0;
  std::uint64_t requested_reconnects_ = 0;
  std::uint64_t messages_ = 0;
  std::uint64_t bytes_ = 0;
  std::uint64_t parse_errors_ = 0;
  std::uint64_t oversized_ = 0;
  std::uint64_t pings_ = 0;
  std::uint64_t ping_timeouts_ = 0;
  std::uint64_t join_failures_ = 0;
  std::uint64_t unrouted_ = 0;
  std::chrono::steady_clock::time_point malformed_logged_at_;
  std::uint64_t malformed_unlogged_ = 0;
};

}  // namespace flowmind::uw_websocket
