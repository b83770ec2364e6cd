// One connection to UW shared by every pipeline of the process with the same URL and token:
// reference-counted joins, acknowledgements, ping/pong health, reconnects with backoff, and
// fan-out of each message to the inboxes of the pipelines that asked for its channel.
#include "uw_upstream.hpp"

#include <algorithm>
#include <cctype>
#include <random>
#include <utility>

#include <boost/asio/post.hpp>

#include "flowmind/event.hpp"
#include "flowmind/plugin.hpp"
#include "uw_channels.hpp"
#include "uw_frame.hpp"
#include "uw_net/redact.hpp"
#include "uw_net/tls.hpp"
#include "uw_registry.hpp"

namespace flowmind::uw_websocket {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// A closing handshake that gets no answer is cut off after this long.
constexpr milliseconds close_grace{2000};
// At most one log line per this period about malformed frames (with the count since the last).
constexpr milliseconds malformed_log_period{10000};

std::string percent_encode(const std::string& text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4U]);
      out.push_back(hex[c & 15U]);
    }
  }
  return out;
}

std::int64_t age_ms(const std::optional<Clock::time_point>& when, Clock::time_point now) {
  return std::chrono::duration_cast<milliseconds>(now - *when).count();
}

}  // namespace

const char* Upstream::to_string(State state) {
  switch (state) {
    case State::idle: return "idle";
    case State::connecting: return "connecting";
    case State::open: return "connected";
    case State::waiting: return "reconnecting";
    case State::closed: return "closed";
    case State::failed: return "failed";
  }
  return "?";
}

const char* Upstream::to_string(Join join) {
  switch (join) {
    case Join::unsent: return "waiting";
    case Join::pending: return "pending";
    case Join::joined: return "joined";
    case Join::failed: return "failed";
    case Join::refused: return "refused";
  }
  return "?";
}

Upstream::Upstream(boost::asio::io_context& io, Options options, std::string key)
    : options_(std::move(options)),
      key_(std::move(key)),
      strand_(boost::asio::make_strand(io)),
      reconnect_timer_(strand_),
      tick_timer_(strand_),
      close_timer_(strand_),
      backoff_(options_.reconnect_initial, options_.reconnect_max, options_.reconnect_jitter, std::random_device{}()) {
  std::string reason;
  auto url = uw_net::parse_url(options_.url, reason);
  if (!url) throw PluginError("url: " + reason);
  url_ = std::move(*url);
  target_ = url_.target + (url_.target.find('?') == std::string::npos ? "?" : "&") +
            "token=" + percent_encode(options_.token);
  display_url_ = uw_net::redact_url(options_.url);
  display_url_ += (display_url_.find('?') == std::string::npos ? "?" : "&") + std::string("token=***");
  if (url_.tls()) {
    tls_ = std::make_unique<boost::asio::ssl::context>(uw_net::make_tls_client_context(options_.ca_file));
  }
  const auto shortest = std::min({options_.ping_after, options_.pong_timeout, options_.ack_timeout});
  tick_interval_ = std::clamp(shortest / 4, milliseconds(5), milliseconds(1000));
}

void Upstream::attach(const std::shared_ptr<Inbox>& inbox, const Options& options) {
  std::lock_guard lock(mutex_);
  if (options.connection_fingerprint() != options_.connection_fingerprint()) {
    inbox->log().warn(
        "its connection options (ca_file, timeouts, reconnect_*, receive_limit) differ from those of "
        "the pipeline that opened the shared UW connection; that pipeline's options apply");
  }
  if (!inboxes_.empty()) {
    inbox->log().info("shares the UW connection " + display_url_ + " with pipeline '" + inboxes_.front()->pipeline() +
                      "'" + (inboxes_.size() > 1 ? " and others" : ""));
  }
  inboxes_.push_back(inbox);
  if (state_ == State::failed) inbox->fail(last_error_);  // e.g. a rejected token: no second attempt
  for (const auto& name : inbox->channels()) {
    auto& channel = channels_[name];
    ++channel.refs;
  }
  boost::asio::post(strand_, [self = shared_from_this()] {
    std::lock_guard inner(self->mutex_);
    self->sync_channels_locked();
  });
}

bool Upstream::detach_would_cost(const Inbox& inbox) const {
  std::lock_guard lock(mutex_);
  for (const auto& other : inboxes_) {
    if (other.get() != &inbox && other->pipeline() == inbox.pipeline()) return false;
  }
  if (inboxes_.size() <= 1) return true;
  return std::any_of(inbox.channels().begin(), inbox.channels().end(), [&](const auto& name) {
    const auto channel = channels_.find(name);
    return channel != channels_.end() && channel->second.refs <= 1;
  });
}

std::size_t Upstream::detach(const std::shared_ptr<Inbox>& inbox) {
  std::lock_guard lock(mutex_);
  const auto it = std::find(inboxes_.begin(), inboxes_.end(), inbox);
  if (it == inboxes_.end()) return inboxes_.size();
  inboxes_.erase(it);
  for (const auto& name : inbox->channels()) {
    const auto channel = channels_.find(name);
    if (channel == channels_.end() || --channel->second.refs > 0) continue;
    if (state_ == State::open && channel->second.join != Join::unsent && channel->second.join != Join::refused) {
      pending_leaves_.push_back(name);
    }
    channels_.erase(channel);
  }
  boost::asio::post(strand_, [self = shared_from_this()] {
    std::lock_guard inner(self->mutex_);
    self->sync_channels_locked();
  });
  return inboxes_.size();
}

void Upstream::start() {
  boost::asio::post(strand_, [self = shared_from_this()] {
    std::lock_guard lock(self->mutex_);
    if (self->state_ == State::idle) self->connect_locked();
  });
}

std::shared_ptr<ClosedSignal> Upstream::shut_down() {
  auto closed = std::make_shared<ClosedSignal>();
  boost::asio::post(strand_, [self = shared_from_this(), closed] {
    std::lock_guard lock(self->mutex_);
    if (self->state_ == State::closed || self->state_ == State::failed || !self->transport_) {
      self->state_ = self->state_ == State::failed ? State::failed : State::closed;
      self->drop_transport_locked();
      self->reconnect_timer_.cancel();
      self->tick_timer_.cancel();
      ++self->generation_;
      closed->set();
      return;
    }
    self->sync_channels_locked();  // the leave frames go out before the close frame
    self->state_ = State::closed;
    ++self->generation_;
    self->reconnect_timer_.cancel();
    self->tick_timer_.cancel();
    self->transport_->close([closed] { closed->set(); });
    // A peer that never answers the close frame: cut the TCP connection after a grace period.
    self->close_timer_.expires_after(close_grace);
    self->close_timer_.async_wait([self](boost::system::error_code) {
      std::lock_guard inner(self->mutex_);
      self->drop_transport_locked();
    });
  });
  return closed;
}

void Upstream::reconnect() {
  boost::asio::post(strand_, [self = shared_from_this()] {
    std::lock_guard lock(self->mutex_);
    if (self->state_ == State::closed || self->state_ == State::failed) return;
    ++self->requested_reconnects_;
    self->log_locked(LogLevel::info, "reconnecting on request");
    self->drop_transport_locked();
    self->reconnect_timer_.cancel();
    self->backoff_.reset();
    self->connect_locked();
  });
}

void Upstream::connect_locked() {
  ++generation_;
  state_ = State::connecting;
  next_attempt_at_.reset();
  ++connect_attempts_;
  TransportSettings settings{url_, target_, options_.receive_limit, options_.connect_timeout, tls_.get()};
  const std::weak_ptr<Upstream> weak = weak_from_this();
  const auto generation = generation_;
  TransportEvents events;
  events.opened = [weak, generation](bool ok, unsigned status, const std::string& detail) {
    if (auto self = weak.lock()) self->on_opened(generation, ok, status, detail);
  };
  events.message = [weak, generation](std::string frame, bool text) {
    if (auto self = weak.lock()) self->on_message(generation, std::move(frame), text);
  };
  events.alive = [weak, generation] {
    if (auto self = weak.lock()) self->on_alive(generation);
  };
  events.closed = [weak, generation](const std::string& detail, bool too_big) {
    if (auto self = weak.lock()) self->on_closed(generation, detail, too_big);
  };
  transport_ = make_transport(strand_, std::move(settings), std::move(events));
  transport_->start();
}

void Upstream::on_opened(std::uint64_t generation, bool ok, unsigned http_status, const std::string& detail) {
  std::lock_guard lock(mutex_);
  if (generation != generation_ || state_ != State::connecting) return;
  if (!ok) {
    ++connect_failures_;
    last_error_ = uw_net::redact(detail, options_.token);
    if (http_status == 401) {
      return fail_locked("UW rejected the token (HTTP 401 on the WebSocket upgrade of " + display_url_ +
                         "): check the token option / UW_API_TOKEN; not retrying");
    }
    if (http_status == 403) {
      return fail_locked("UW refused WebSocket access for this token (HTTP 403 on the upgrade of " + display_url_ +
                         "): the plan may not include WebSocket access; not retrying");
    }
    std::string reason = "cannot connect: " + last_error_;
    if (http_status == 429) reason += " (too many connections for this token?)";
    return schedule_reconnect_locked(reason);
  }
  state_ = State::open;
  connected_since_ = std::chrono::system_clock::now();
  if (ever_opened_) ++reconnects_;
  ever_opened_ = true;
  backoff_.reset();
  last_received_ = Clock::now();
  ping_outstanding_ = false;
  pending_leaves_.clear();  // the server forgot every join with the old connection
  for (auto& [name, channel] : channels_) channel.join = Join::unsent;
  log_locked(LogLevel::info,
             "connected to " + display_url_ + ", joining " + std::to_string(channels_.size()) + " channel(s)");
  sync_channels_locked();
  tick_timer_.expires_after(tick_interval_);
  tick_timer_.async_wait([weak = weak_from_this(), generation = generation_](boost::system::error_code error) {
    if (auto self = weak.lock(); self && !error) self->on_tick(generation);
  });
}

void Upstream::on_message(std::uint64_t generation, std::string text, bool is_text) {
  const auto frame = is_text ? parse_frame(text) : Frame{};
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  if (generation != generation_ || state_ != State::open) return;
  last_received_ = now;
  ping_outstanding_ = false;
  ++messages_;
  bytes_ += text.size();
  if (!is_text || frame.kind == Frame::Kind::malformed) {
    ++parse_errors_;
    ++malformed_unlogged_;
    if (now - malformed_logged_at_ >= malformed_log_period) {
      log_locked(LogLevel::warn, std::string("dropped a malformed frame (") +
                                     (is_text ? frame.problem : "binary frame") + ", " + std::to_string(text.size()) +
                                     " bytes); " + std::to_string(malformed_unlogged_) +
                                     " malformed since the last report, " + std::to_string(parse_errors_) + " in all");
      malformed_logged_at_ = now;
      malformed_unlogged_ = 0;
    }
    return;
  }
  const auto found = channels_.find(frame.channel);
  if (frame.kind == Frame::Kind::ack) {
    if (found == channels_.end()) return;  // e.g. the answer to a leave
    auto& channel = found->second;
    if (frame.status == "ok") {
      if (channel.join != Join::joined) log_locked(LogLevel::debug, "joined " + frame.channel);
      channel.join = Join::joined;
    } else if (channel.join != Join::refused) {
      channel.join = Join::refused;
      ++join_failures_;
      log_channel_locked(frame.channel, LogLevel::error,
                         "UW refused to join channel '" + frame.channel + "' (status \"" + frame.status + "\")");
    }
    return;
  }
  if (found == channels_.end()) {
    ++unrouted_;  // data for a channel just left
    return;
  }
  auto& channel = found->second;
  if (channel.join == Join::pending || channel.join == Join::failed) channel.join = Join::joined;  // data proves it
  ++channel.messages;
  channel.bytes += text.size();
  channel.last_message = now;
  last_message_ = now;
  const auto received_at = Event::Clock::now();
  std::shared_ptr<Inbox> previous;
  for (const auto& inbox : inboxes_) {
    if (!inbox->wants(frame.channel)) continue;
    if (previous) previous->push(Message{frame.channel, std::string(frame.payload), received_at});
    previous = inbox;
  }
  if (previous) previous->push(Message{frame.channel, std::string(frame.payload), received_at});
}

void Upstream::on_alive(std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  if (generation != generation_) return;
  last_received_ = Clock::now();
  ping_outstanding_ = false;
}

void Upstream::on_closed(std::uint64_t generation, const std::string& detail, bool too_big) {
  std::lock_guard lock(mutex_);
  if (generation != generation_ || state_ != State::open) return;
  if (too_big) ++oversized_;
  last_error_ = uw_net::redact(detail, options_.token);
  schedule_reconnect_locked("connection lost: " + last_error_);
}

void Upstream::on_tick(std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  if (generation != generation_ || state_ != State::open) return;
  tick_locked();
  if (generation != generation_ || state_ != State::open) return;
  tick_timer_.expires_after(tick_interval_);
  tick_timer_.async_wait([weak = weak_from_this(), generation](boost::system::error_code error) {
    if (auto self = weak.lock(); self && !error) self->on_tick(generation);
  });
}

void Upstream::tick_locked() {
  const auto now = Clock::now();
  if (!ping_outstanding_ && now - last_received_ >= options_.ping_after) {
    transport_->send_ping();
    ping_outstanding_ = true;
    ping_sent_at_ = now;
    ++pings_;
  } else if (ping_outstanding_ && now - ping_sent_at_ >= options_.pong_timeout) {
    ++ping_timeouts_;
    last_error_ = "no pong within " + std::to_string(options_.pong_timeout.count()) + " ms of a ping sent after " +
                  std::to_string(options_.ping_after.count()) + " ms of silence";
    return schedule_reconnect_locked("the connection is dead (" + last_error_ + ")");
  }
  for (auto& [name, channel] : channels_) {
    if (channel.join != Join::pending || now < channel.ack_deadline) continue;
    if (channel.attempts <= static_cast<unsigned>(options_.join_retries)) {
      ++channel.attempts;
      channel.ack_deadline = now + options_.ack_timeout;
      transport_->send_text(join_frame(name));
      log_channel_locked(name, LogLevel::warn,
                         "no acknowledgement of the join of '" + name + "' within " +
                             std::to_string(options_.ack_timeout.count()) + " ms; joining again (attempt " +
                             std::to_string(channel.attempts) + " of " + std::to_string(options_.join_retries + 1) +
                             ")");
    } else {
      channel.join = Join::failed;
      ++join_failures_;
      log_channel_locked(name, LogLevel::error,
                         "channel '" + name + "' was not acknowledged after " + std::to_string(channel.attempts) +
                             " join(s); it is joined again after the next reconnect");
    }
  }
}

void Upstream::on_reconnect_timer(std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  if (generation != generation_ || state_ != State::waiting) return;
  connect_locked();
}

void Upstream::schedule_reconnect_locked(const std::string& reason) {
  drop_transport_locked();
  ++generation_;
  tick_timer_.cancel();
  connected_since_.reset();
  ping_outstanding_ = false;
  for (auto& [name, channel] : channels_) channel.join = Join::unsent;
  pending_leaves_.clear();
  if (options_.reconnect_attempts > 0 && backoff_.attempts() >= static_cast<unsigned>(options_.reconnect_attempts)) {
    return fail_locked("gave up on " + display_url_ + " after " + std::to_string(backoff_.attempts()) +
                       " failed reconnect attempt(s) (reconnect_attempts); last error: " + last_error_);
  }
  const auto delay = backoff_.next();
  state_ = State::waiting;
  next_attempt_at_ = Clock::now() + delay;
  log_locked(LogLevel::warn, reason + "; reconnecting in " + std::to_string(delay.count()) + " ms");
  reconnect_timer_.expires_after(delay);
  reconnect_timer_.async_wait([weak = weak_from_this(), generation = generation_](boost::system::error_code error) {
    if (auto self = weak.lock(); self && !error) self->on_reconnect_timer(generation);
  });
}

void Upstream::fail_locked(const std::string& reason) {
  const auto message = uw_net::redact(reason, options_.token);
  drop_transport_locked();
  ++generation_;
  state_ = State::failed;
  last_error_ = message;
  connected_since_.reset();
  reconnect_timer_.cancel();
  tick_timer_.cancel();
  for (const auto& inbox : inboxes_) inbox->fail(message);
  // Not under this lock: the registry locks itself first and then connections.
  boost::asio::post(strand_, [self = shared_from_this()] { forget_upstream(self->key_, self.get()); });
}

void Upstream::drop_transport_locked() {
  if (!transport_) return;
  transport_->abort();
  transport_.reset();
}

void Upstream::sync_channels_locked() {
  if (state_ != State::open || !transport_) return;
  for (const auto& name : pending_leaves_) transport_->send_text(leave_frame(name));
  pending_leaves_.clear();
  const auto now = Clock::now();
  for (auto& [name, channel] : channels_) {
    if (channel.join != Join::unsent) continue;
    channel.join = Join::pending;
    channel.attempts = 1;
    channel.ack_deadline = now + options_.ack_timeout;
    transport_->send_text(join_frame(name));
  }
}

void Upstream::log_locked(LogLevel level, const std::string& text) {
  if (inboxes_.empty()) return;
  inboxes_.front()->log().log(level, uw_net::redact("uw " + display_url_ + ": " + text, options_.token));
}

void Upstream::log_channel_locked(const std::string& channel, LogLevel level, const std::string& text) {
  for (const auto& inbox : inboxes_) {
    if (inbox->wants(channel)) inbox->log().log(level, uw_net::redact(text, options_.token));
  }
}

nlohmann::json Upstream::status(const std::vector<std::string>& channels) const {
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  nlohmann::json connection = {
      {"url", display_url_},
      {"state", to_string(state_)},
      {"connected", state_ == State::open},
      {"connected_since", connected_since_ ? nlohmann::json(Event::iso8601_ms(*connected_since_)) : nlohmann::json()},
      {"connect_attempts", connect_attempts_},
      {"connect_failures", connect_failures_},
      {"reconnects", reconnects_},
      {"requested_reconnects", requested_reconnects_},
      {"messages", messages_},
      {"bytes", bytes_},
      {"parse_errors", parse_errors_},
      {"oversized_frames", oversized_},
      {"pings", pings_},
      {"ping_timeouts", ping_timeouts_},
      {"join_failures", join_failures_},
      {"unrouted", unrouted_},
      {"last_message_age_ms", last_message_ ? nlohmann::json(age_ms(last_message_, now)) : nlohmann::json()},
      {"pipelines", inboxes_.size()},
      {"last_error", last_error_.empty() ? nlohmann::json() : nlohmann::json(last_error_)},
  };
  if (state_ == State::waiting && next_attempt_at_) {
    connection["next_attempt_in_ms"] = std::max<std::int64_t>(0, -age_ms(next_attempt_at_, now));
  }
  nlohmann::json by_channel = nlohmann::json::object();
  for (const auto& name : channels) {
    const auto found = channels_.find(name);
    if (found == channels_.end()) {
      by_channel[name] = {
          {"join", "none"}, {"join_attempts", 0}, {"messages", 0}, {"bytes", 0}, {"last_message_age_ms", nullptr}};
      continue;
    }
    const auto& channel = found->second;
    by_channel[name] = {
        {"join", to_string(channel.join)},
        {"join_attempts", channel.attempts},
        {"messages", channel.messages},
        {"bytes", channel.bytes},
        {"last_message_age_ms",
         channel.last_message ? nlohmann::json(age_ms(channel.last_message, now)) : nlohmann::json()},
    };
  }
  return {{"connection", std::move(connection)}, {"channels", std::move(by_channel)}};
}

}  // namespace flowmind::uw_websocket
