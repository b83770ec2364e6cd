// The nats_sink: bounded buffer in consume(), a publisher thread that sends while connected,
// JetStream acknowledgements that release events, and failed publishes sent again in order.
#include "nats_sink.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <random>
#include <utility>

#include "nats_common/envelope.hpp"
#include "nats_common/subject.hpp"

namespace flowmind::nats_sink {
namespace {

constexpr auto kPoll = std::chrono::milliseconds(100);
constexpr auto kStreamRetry = std::chrono::seconds(2);
constexpr auto kMaxReopenDelay = std::chrono::seconds(30);

// The ack callbacks reach their sink through this registry, not through a raw pointer: a callback
// the client had already started when stop() took the unanswered publishes back must not reach a
// sink that is gone. The mutex is held while a sink handles an ack, so removing a sink waits for
// a running callback. Tokens are never reused. Never destroyed: client threads may call in late.
struct AckRegistry {
  std::mutex mutex;
  std::uintptr_t next = 1;
  std::unordered_map<std::uintptr_t, NatsSink*> sinks;
};

AckRegistry& ack_registry() {
  static auto* registry = new AckRegistry;
  return *registry;
}

// JetStream errors that sending the same message again cannot fix; every other error (JetStream
// temporarily unavailable, insufficient resources, a store failure while the server recovers, ...)
// is resent after retry_delay.
bool permanent(int code) {
  switch (code) {
    case JSStreamMessageExceedsMaximumErr:  // too large for the stream
    case JSStreamMismatchErr:
    case JSStreamNotMatchErr:  // the subject belongs to another stream than `stream`
    case JSStreamWrongLastMsgIDErr:
    case JSStreamWrongLastSequenceErr:
    case JSStreamSequenceNotMatchErr:
    case JSStreamSealedErr: return true;
    default: return false;
  }
}

std::string random_hex(int digits) {
  std::random_device random;
  static constexpr char hex[] = "0123456789abcdef";
  std::string text;
  for (int i = 0; i < digits; ++i) text += hex[random() & 0xFU];
  return text;
}

}  // namespace

NatsSink::NatsSink(Options options)
    : options_(std::move(options)),
      buffer_(options_.buffer_limit, options_.when_full),
      // Makes the IDs of this sink's sequence-less events differ from those of an earlier instance.
      id_prefix_(random_hex(8) + ".") {}

NatsSink::~NatsSink() { stop(); }

std::chrono::milliseconds NatsSink::initial_reopen_delay() const {
  return std::max<std::chrono::milliseconds>(options_.connection.reconnect_wait, std::chrono::seconds(1));
}

void NatsSink::start(StageContext& ctx) {
  reopen_delay_ = initial_reopen_delay();
  ctx_ = &ctx;
  counters_ = {&ctx.counter("nats_published"),   &ctx.counter("nats_acknowledged"), &ctx.counter("nats_duplicates"),
               &ctx.counter("nats_resent"),      &ctx.counter("nats_dropped"),      &ctx.counter("nats_refused"),
               &ctx.counter("nats_unconfirmed"), &ctx.counter("nats_reopened")};
  if (options_.jetstream) {
    auto& registry = ack_registry();
    std::lock_guard lock(registry.mutex);
    ack_token_ = registry.next++;
    registry.sinks.emplace(ack_token_, this);
  }
  open_connection();
  publisher_ = std::thread([this] { run_publisher(); });
}

void NatsSink::open_connection() {
  auto connection =
      std::make_unique<nats::Connection>(options_.connection, "flowmind " + ctx_->pipeline_name(), ctx_->log());
  jsCtx* js = nullptr;
  if (options_.jetstream) {
    jsOptions js_options;
    jsOptions_Init(&js_options);
    js_options.Wait = options_.ack_timeout.count();
    js_options.PublishAsync.MaxPending = static_cast<int64_t>(options_.max_in_flight);
    js_options.PublishAsync.AckHandler = &NatsSink::on_ack;
    js_options.PublishAsync.AckHandlerClosure = reinterpret_cast<void*>(ack_token_);
    const auto status = natsConnection_JetStream(&js, connection->get(), &js_options);
    if (status != NATS_OK) {
      throw PluginError(nats::describe_error("JetStream context", status, options_.connection.secrets()));
    }
  }
  js_ = js;
  std::unique_ptr<nats::Connection> old;
  {
    std::lock_guard lock(connection_mutex_);
    old = std::exchange(connection_, std::move(connection));
  }
  // `old` (a closed connection) goes here, outside the lock that status() takes.
}

void NatsSink::reopen_connection() {
  // The client gave up (reconnect_attempts used up, or the server refused the credentials) and
  // never reconnects this connection. Failing the pipeline would lose the buffer: keep it, take
  // back what was in flight and connect anew, backing off while that keeps failing. The closed
  // connection stays in status() (state, last error) until the new one replaces it.
  reclaim_in_flight(true);
  if (js_ != nullptr) {
    jsCtx_Destroy(js_);
    js_ = nullptr;
  }
  stream_ready_ = false;
  ctx_->log().warn("the NATS connection is closed for good; opening a new one in " +
                   std::to_string(reopen_delay_.count()) + " ms, events wait in the buffer");
  for (auto waited = std::chrono::milliseconds(0); waited < reopen_delay_ && !stopping_ && !cancelled_;
       waited += kPoll) {
    std::this_thread::sleep_for(kPoll);
  }
  if (stopping_ || cancelled_) return;
  reopen_delay_ = std::min<std::chrono::milliseconds>(reopen_delay_ * 2, kMaxReopenDelay);
  try {
    open_connection();
    count(counters_.reopened);
  } catch (const PluginError& error) {
    ctx_->log().warn(std::string("opening a new NATS connection: ") + error.what());
  }
}

void NatsSink::consume(const EventPtr& event) {
  std::string id;
  if (options_.jetstream) {
    // Events from the source carry rising sequence numbers; filter output and copies carry 0 or
    // their parent's: those get a per-sink suffix, so equal events in one millisecond stay apart.
    const auto sequence = event->sequence();
    if (sequence != 0 && sequence > last_sequence_) {
      last_sequence_ = sequence;
    } else {
      id = nats::message_id(*event) + '-' + id_prefix_ + std::to_string(++unique_ids_);
    }
  }
  count(counters_.dropped, buffer_.push(event, std::move(id)));
}

void NatsSink::run_publisher() {
  auto next_stream_check = std::chrono::steady_clock::now();
  std::uint64_t seen_failures = 0;
  // After cancel() nothing is delivered any more: leave instead of spinning until stop().
  while (!stopping_ && !cancelled_) {
    if (connection_->closed()) {
      reopen_connection();
      continue;
    }
    if (!connection_->connected()) {
      std::this_thread::sleep_for(kPoll);
      continue;
    }
    reopen_delay_ = initial_reopen_delay();
    if (options_.jetstream && !stream_ready_) {
      if (std::chrono::steady_clock::now() < next_stream_check) {
        std::this_thread::sleep_for(kPoll);
        continue;
      }
      if (!ensure_stream()) {
        next_stream_check = std::chrono::steady_clock::now() + kStreamRetry;
        continue;
      }
    }
    if (failures_.load() != seen_failures) {
      // Something failed (server gone, no answer in time): pause before sending again, so a
      // server that refuses everything is not flooded.
      seen_failures = failures_.load();
      std::this_thread::sleep_for(options_.retry_delay);
      continue;
    }
    const auto max_in_flight = options_.jetstream ? options_.max_in_flight : 1;
    if (!buffer_.wait_sendable(max_in_flight, kPoll)) continue;
    if (!connection_->connected()) continue;
    if (auto item = buffer_.take_next(max_in_flight)) publish(*item);
  }
}

bool NatsSink::ensure_stream() {
  jsStreamInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  auto status = js_GetStreamInfo(&info, js_, options_.stream.c_str(), nullptr, &code);
  if (status == NATS_OK) {
    if (info->Config != nullptr) check_duplicate_window(std::chrono::nanoseconds(info->Config->Duplicates));
    jsStreamInfo_Destroy(info);
    stream_ready_ = true;
    return true;
  }
  if (status != NATS_NOT_FOUND) {
    ctx_->log().warn(
        nats::describe_error("looking up stream '" + options_.stream + "'", status, options_.connection.secrets()));
    return false;
  }
  if (!options_.create_stream) {
    ctx_->log().warn("JetStream stream '" + options_.stream +
                     "' does not exist (create it, or set create_stream: true); "
                     "events wait in the buffer");
    return false;
  }
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = options_.stream.c_str();
  std::vector<const char*> subjects;
  for (const auto& subject : options_.stream_subjects) subjects.push_back(subject.c_str());
  config.Subjects = subjects.data();
  config.SubjectsLen = static_cast<int>(subjects.size());
  config.Storage = options_.stream_storage == StreamStorage::memory ? js_MemoryStorage : js_FileStorage;
  config.MaxAge = options_.stream_max_age.count();
  config.MaxBytes = options_.stream_max_bytes;
  config.Duplicates = options_.duplicate_window.count();
  status = js_AddStream(&info, js_, &config, nullptr, &code);
  if (status != NATS_OK) {
    ctx_->log().warn(
        nats::describe_error("creating stream '" + options_.stream + "'", status, options_.connection.secrets()));
    return false;
  }
  jsStreamInfo_Destroy(info);
  ctx_->log().info("created JetStream stream '" + options_.stream + "'");
  check_duplicate_window(options_.duplicate_window);
  stream_ready_ = true;
  return true;
}

void NatsSink::check_duplicate_window(std::chrono::nanoseconds window) const {
  // The stream forgets a message ID after its duplicate window: a resend that comes later (after
  // ack timeouts, retry delays and a server restart) is stored a second time.
  if (window < 4 * options_.ack_timeout) {
    ctx_->log().warn("stream '" + options_.stream + "' remembers message IDs for " +
                     std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(window).count()) +
                     " ms only, less than 4 x ack_timeout: events resent after a failure may be stored twice");
  }
}

void NatsSink::publish(const PublishBuffer::Item& item) {
  const auto& event = *item.event;
  const auto subject = nats::render_subject(options_.subject, event.channel());
  const auto& wire = event.wire();
  natsMsg* message = nullptr;
  auto status = natsMsg_Create(&message, subject.c_str(), nullptr, wire.data(), static_cast<int>(wire.size()));
  if (status != NATS_OK) {
    buffer_.failed(item.serial);
    ++failures_;
    return;
  }
  if (!options_.jetstream) {
    status = natsConnection_PublishMsg(connection_->get(), message);
    natsMsg_Destroy(message);
    if (status == NATS_OK) {
      count(counters_.published);
      buffer_.delivered(item.serial);
    } else if (status == NATS_MAX_PAYLOAD) {
      count(counters_.refused);
      buffer_.refused(item.serial);
      ctx_->log().warn("an event of channel '" + event.channel() + "' is larger than the server's max_payload");
    } else {
      buffer_.failed(item.serial);
      ++failures_;
    }
    return;
  }
  const auto id = item.id.empty() ? nats::message_id(event) : item.id;
  const natsMsg* key = message;  // the client clears `message` when it takes it
  {
    std::lock_guard lock(pending_mutex_);
    pending_[key] = item.serial;  // before the publish: its answer may come at once
  }
  jsPubOptions publish_options;
  jsPubOptions_Init(&publish_options);
  publish_options.MsgId = id.c_str();
  publish_options.MaxWait = options_.ack_timeout.count();
  publish_options.ExpectStream = options_.stream.c_str();
  status = js_PublishMsgAsync(js_, &message, &publish_options);
  if (status == NATS_OK) {
    count(counters_.published);
    return;
  }
  {
    std::lock_guard lock(pending_mutex_);
    pending_.erase(key);
  }
  natsMsg_Destroy(message);  // still ours when the call failed
  if (status == NATS_MAX_PAYLOAD) {
    count(counters_.refused);
    buffer_.refused(item.serial);
    ctx_->log().warn("an event of channel '" + event.channel() + "' is larger than the server's max_payload");
  } else {
    buffer_.failed(item.serial);
    ++failures_;
  }
}

void NatsSink::reclaim_in_flight(bool resend) {
  if (js_ == nullptr) return;
  natsMsgList list{nullptr, 0};
  if (js_PublishAsyncGetPendingList(&list, js_) != NATS_OK) return;  // NATS_NOT_FOUND: nothing pending
  for (int i = 0; i < list.Count; ++i) {
    std::optional<std::uint64_t> serial;
    {
      std::lock_guard lock(pending_mutex_);
      if (const auto it = pending_.find(list.Msgs[i]); it != pending_.end()) {
        serial = it->second;
        pending_.erase(it);
      }
    }
    if (serial && resend) {
      count(counters_.resent);
      buffer_.failed(*serial);
    }
  }
  natsMsgList_Destroy(&list);
}

void NatsSink::on_ack(jsCtx* /*js*/, natsMsg* msg, jsPubAck* ack, jsPubAckErr* error, void* closure) {
  auto& registry = ack_registry();
  std::lock_guard lock(registry.mutex);
  const auto it = registry.sinks.find(reinterpret_cast<std::uintptr_t>(closure));
  if (it == registry.sinks.end()) {
    natsMsg_Destroy(msg);  // the sink stopped: nobody waits for this answer
    return;
  }
  it->second->handle_ack(msg, ack, error);
}

void NatsSink::handle_ack(natsMsg* msg, jsPubAck* ack, jsPubAckErr* error) {
  std::optional<std::uint64_t> serial;
  {
    std::lock_guard lock(pending_mutex_);
    if (const auto it = pending_.find(msg); it != pending_.end()) {
      serial = it->second;
      pending_.erase(it);
    }
  }
  natsMsg_Destroy(msg);
  if (!serial) return;  // taken back by reclaim_in_flight()
  if (ack != nullptr) {
    count(counters_.acknowledged);
    if (ack->Duplicate) count(counters_.duplicates);
    buffer_.delivered(*serial);
    return;
  }
  if (error != nullptr && permanent(static_cast<int>(error->ErrCode))) {
    count(counters_.refused);
    buffer_.refused(*serial);
    if (ctx_ != nullptr) {
      ctx_->log().warn("JetStream refused an event: " +
                       nats::redact(error->ErrText != nullptr ? error->ErrText : "", options_.connection.secrets()));
    }
    return;
  }
  if (error != nullptr && error->ErrCode != 0 && ctx_ != nullptr && ctx_->log().enabled(LogLevel::debug)) {
    ctx_->log().debug("JetStream could not store an event now, sending it again: " +
                      nats::redact(error->ErrText != nullptr ? error->ErrText : "", options_.connection.secrets()));
  }
  // No answer in time, no responders (the stream is not there yet), connection lost, or a
  // JetStream error that passes (temporarily unavailable, insufficient resources): send again.
  if (error != nullptr && error->Err == NATS_NO_RESPONDERS) stream_ready_ = false;
  count(counters_.resent);
  buffer_.failed(*serial);
  ++failures_;
}

void NatsSink::flush() {
  // Keep delivering until the buffer is empty or drain_timeout passes; the rest is counted lost.
  const auto deadline = std::chrono::steady_clock::now() + options_.drain_timeout;
  if (publisher_.joinable()) buffer_.wait_empty(deadline);
}

void NatsSink::cancel() {
  cancelled_ = true;
  buffer_.cancel();
}

void NatsSink::stop() {
  if (stopping_.exchange(true)) return;
  buffer_.cancel();
  if (publisher_.joinable()) publisher_.join();
  if (js_ != nullptr) {
    // The answers to publishes in flight arrive on the client's threads: give them drain_timeout
    // (at most ack_timeout, after which the client reports them unanswered itself).
    const auto wait = std::min(options_.drain_timeout, options_.ack_timeout);
    if (!cancelled_ && wait.count() > 0 && connection_ && connection_->connected()) {
      jsPubOptions complete;
      jsPubOptions_Init(&complete);
      complete.MaxWait = wait.count();
      js_PublishAsyncComplete(js_, &complete);
    }
    // The rest is taken back from the client: it calls on_ack for none of them any more.
    reclaim_in_flight(false);
  }
  if (ack_token_ != 0) {
    // Waits for a callback already running (it holds the registry's mutex); none reaches this sink after.
    auto& registry = ack_registry();
    std::lock_guard lock(registry.mutex);
    registry.sinks.erase(ack_token_);
  }
  const auto left = buffer_.clear();
  // JetStream: an event sent but never answered may be in the stream (its answer was lost), so it
  // is counted apart from those that never left. Core publishes are not answered: never sent.
  const auto unconfirmed = options_.jetstream ? left.sent : 0;
  const auto dropped = left.held - unconfirmed;
  count(counters_.dropped, dropped);
  count(counters_.unconfirmed, unconfirmed);
  if (left.held > 0 && ctx_ != nullptr) {
    ctx_->log().warn(std::to_string(dropped) + " events were not delivered to NATS before shutdown" +
                     (unconfirmed > 0 ? ", " + std::to_string(unconfirmed) +
                                            " more were sent but not acknowledged (the stream may hold them)"
                                      : std::string()));
  }
  {
    std::lock_guard lock(pending_mutex_);
    pending_.clear();
  }
  if (connection_ && connection_->connected()) natsConnection_FlushTimeout(connection_->get(), 2000);
  if (js_ != nullptr) {
    jsCtx_Destroy(js_);
    js_ = nullptr;
  }
  std::lock_guard lock(connection_mutex_);
  connection_.reset();
}

nlohmann::json NatsSink::status() const {
  const auto counts = buffer_.counts();
  std::unique_lock lock(connection_mutex_);
  nlohmann::json status = {
      {"connection", connection_ ? connection_->status() : nlohmann::json{{"state", "stopped"}}},
      {"mode", options_.jetstream ? "jetstream" : "core"},
      {"subject", options_.subject},
      {"buffer", {{"size", counts.size}, {"limit", options_.buffer_limit}, {"in_flight", counts.in_flight}}},
      {"published", value(counters_.published)},
      {"acknowledged", value(counters_.acknowledged)},
      {"duplicates", value(counters_.duplicates)},
      {"resent", value(counters_.resent)},
      {"dropped", value(counters_.dropped)},
      {"refused", value(counters_.refused)},
      {"unconfirmed", value(counters_.unconfirmed)},
      {"reopened", value(counters_.reopened)},
  };
  if (options_.jetstream) {
    status["stream"] = options_.stream;
    status["stream_ready"] = stream_ready_.load();
  }
  auto metrics = nlohmann::json::array();
  if (connection_) connection_->append_metrics(metrics);
  lock.unlock();
  const auto metric = [&](const char* name, const char* type, const char* help, double number) {
    metrics.push_back(nats::metric(name, type, help, number));
  };
  metric("nats_published_total", "counter", "Events published to NATS (resends included)",
         static_cast<double>(value(counters_.published)));
  metric("nats_acknowledged_total", "counter", "JetStream publishes acknowledged",
         static_cast<double>(value(counters_.acknowledged)));
  metric("nats_duplicates_total", "counter", "Publishes JetStream already had (dropped by its dedupe window)",
         static_cast<double>(value(counters_.duplicates)));
  metric("nats_resent_total", "counter", "Publishes sent again after a failure",
         static_cast<double>(value(counters_.resent)));
  metric("nats_dropped_total", "counter", "Events dropped: buffer full or never sent before shutdown",
         static_cast<double>(value(counters_.dropped)));
  metric("nats_refused_total", "counter", "Events the server refused for good",
         static_cast<double>(value(counters_.refused)));
  metric("nats_unconfirmed_total", "counter", "JetStream events sent but unanswered at shutdown (may be stored)",
         static_cast<double>(value(counters_.unconfirmed)));
  metric("nats_connections_reopened_total", "counter", "New connections after the client gave up reconnecting",
         static_cast<double>(value(counters_.reopened)));
  metric("nats_buffer_size", "gauge", "Events held by the sink's buffer", static_cast<double>(counts.size));
  metric("nats_in_flight", "gauge", "Publishes awaiting the server's answer", static_cast<double>(counts.in_flight));
  status["metrics"] = std::move(metrics);
  return status;
}

}  // namespace flowmind::nats_sink
