// The nats_source: core subscriptions feeding an inbox, or a JetStream durable pull consumer whose
// events are acknowledged only after the pipeline accepted them.
#include "nats_source.hpp"

#include <chrono>
#include <condition_variable>
#include <thread>

#include "nats_common/envelope.hpp"

namespace flowmind::nats_source {
namespace {

constexpr auto kPoll = std::chrono::milliseconds(200);
constexpr auto kRetry = std::chrono::seconds(1);

// Owns a subscription; destroying it never unsubscribes a durable consumer away (see run_jetstream).
struct SubscriptionGuard {
  natsSubscription* sub = nullptr;
  ~SubscriptionGuard() { natsSubscription_Destroy(sub); }
};

struct JetStreamGuard {
  jsCtx* js = nullptr;
  ~JetStreamGuard() { jsCtx_Destroy(js); }
};

}  // namespace

NatsSource::NatsSource(Options options) : options_(std::move(options)), inbox_(options_.queue_limit) {}

void NatsSource::run(SourceContext& ctx) {
  stopping_ = false;
  counters_ = {&ctx.counter("nats_received"),    &ctx.counter("nats_emitted"),   &ctx.counter("nats_acknowledged"),
               &ctx.counter("nats_redelivered"), &ctx.counter("nats_malformed"), &ctx.counter("nats_dropped"),
               &ctx.counter("nats_skipped")};
  nats::Connection connection(options_.connection, "flowmind " + ctx.pipeline_name(), ctx.log(),
                              [this] { inbox_.wake(); });
  {
    std::lock_guard lock(connection_mutex_);
    connection_ = &connection;
  }
  try {
    if (options_.jetstream) {
      run_jetstream(ctx, connection);
    } else {
      run_core(ctx, connection);
    }
  } catch (...) {
    std::lock_guard lock(connection_mutex_);
    connection_ = nullptr;
    throw;
  }
  // Acknowledgements are plain publishes: make sure they left before the connection closes.
  if (connection.connected()) natsConnection_FlushTimeout(connection.get(), 2000);
  std::lock_guard lock(connection_mutex_);
  connection_ = nullptr;
}

void NatsSource::stop() {
  stopping_ = true;
  inbox_.wake();
}

std::optional<Event> NatsSource::to_event(SourceContext& ctx, std::string_view text) {
  std::string error;
  auto event = nats::event_from_envelope(text, error);
  if (!event) {
    count(counters_.malformed);
    if (ctx.log().enabled(LogLevel::debug))
      ctx.log().debug("dropped a message that is not an event envelope: " + error);
  }
  return event;
}

void NatsSource::on_message(natsConnection* /*connection*/, natsSubscription* /*subscription*/, natsMsg* msg,
                            void* self) {
  auto& source = *static_cast<NatsSource*>(self);
  source.count(source.counters_.received);
  if (!source.inbox_.push(std::string(natsMsg_GetData(msg), static_cast<std::size_t>(natsMsg_GetDataLength(msg))))) {
    source.count(source.counters_.dropped);
  }
  natsMsg_Destroy(msg);
}

void NatsSource::run_core(SourceContext& ctx, nats::Connection& connection) {
  // Counts the subscriptions whose delivery thread has finished: after that the client never
  // calls on_message for them again, so the inbox may go away.
  struct Finished {
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t count = 0;
    static void on_complete(void* self) {
      auto& me = *static_cast<Finished*>(self);
      std::lock_guard lock(me.mutex);
      ++me.count;
      me.changed.notify_all();
    }
  } finished;
  std::vector<SubscriptionGuard> subscriptions(options_.subjects.size());
  std::size_t started = 0;
  // Waits until no callback can run any more: drains (the server stops sending, what arrived is
  // still delivered into the inbox), then waits for every delivery thread to finish.
  const auto finish = [&] {
    for (std::size_t i = 0; i < started; ++i) {
      // Draining needs the server; without it (or if the drain cannot start) close at once. A
      // drain that does not end within 5 s is closed by the client.
      if (!connection.connected() || natsSubscription_DrainTimeout(subscriptions[i].sub, 5000) != NATS_OK) {
        natsSubscription_Unsubscribe(subscriptions[i].sub);
      }
    }
    std::unique_lock lock(finished.mutex);
    while (!finished.changed.wait_for(lock, std::chrono::seconds(5), [&] { return finished.count >= started; })) {
      ctx.log().warn("waiting for NATS subscription callbacks to finish");
    }
  };
  for (std::size_t i = 0; i < options_.subjects.size(); ++i) {
    // Registered even before the first connection: the client sends them once connected.
    const auto& subject = options_.subjects[i];
    const auto status =
        options_.queue_group.empty()
            ? natsConnection_Subscribe(&subscriptions[i].sub, connection.get(), subject.c_str(), &on_message, this)
            : natsConnection_QueueSubscribe(&subscriptions[i].sub, connection.get(), subject.c_str(),
                                            options_.queue_group.c_str(), &on_message, this);
    if (status != NATS_OK) {
      finish();
      throw std::runtime_error(nats::describe_error("subscribing to '" + subject + "'", status, connection.secrets()));
    }
    if (natsSubscription_SetOnCompleteCB(subscriptions[i].sub, &Finished::on_complete, &finished) != NATS_OK) {
      // Only fails for a subscription already closed, whose thread is gone or going: wait on nothing.
      std::lock_guard lock(finished.mutex);
      ++finished.count;
    }
    ++started;
    // The inbox is the bound that counts; the client's own limit only guards against a stuck callback.
    natsSubscription_SetPendingLimits(subscriptions[i].sub, -1, -1);
  }
  consumer_ready_ = true;
  bool closed = false;
  while (!stopping_ && !ctx.stopping()) {
    if (connection.closed()) {
      closed = true;
      break;
    }
    auto text = inbox_.pop(kPoll);
    if (!text) continue;
    auto event = to_event(ctx, *text);
    if (!event) continue;
    if (!ctx.emit(std::move(*event))) break;
    count(counters_.emitted);
  }
  consumer_ready_ = false;
  finish();
  if (closed) throw_closed(connection);
}

void NatsSource::throw_closed(const nats::Connection& connection) {
  // The client gave up reconnecting: failing lets the engine restart the source (with its backoff)
  // on a new connection, instead of waiting on one that never comes back.
  throw std::runtime_error("the NATS connection is closed (refused, or reconnect_attempts used up); last error: " +
                           connection.status().value("last_error", std::string()));
}

bool NatsSource::ensure_consumer(SourceContext& ctx, jsCtx* js) {
  jsConsumerInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  auto status = js_GetConsumerInfo(&info, js, options_.stream.c_str(), options_.durable.c_str(), nullptr, &code);
  if (status == NATS_OK) {
    jsConsumerInfo_Destroy(info);
    return true;
  }
  if (status != NATS_NOT_FOUND) {
    ctx.log().warn(
        nats::describe_error("looking up consumer '" + options_.durable + "' of stream '" + options_.stream + "'",
                             status, options_.connection.secrets()));
    return false;
  }
  jsConsumerConfig config;
  jsConsumerConfig_Init(&config);
  config.Durable = options_.durable.c_str();
  config.AckPolicy = js_AckExplicit;
  config.AckWait = options_.ack_wait.count();
  config.MaxAckPending = options_.max_ack_pending;
  config.FilterSubject = options_.subjects.front().c_str();
  config.DeliverPolicy = options_.deliver == DeliverPolicy::new_only ? js_DeliverNew
                         : options_.deliver == DeliverPolicy::last   ? js_DeliverLast
                                                                     : js_DeliverAll;
  status = js_AddConsumer(&info, js, options_.stream.c_str(), &config, nullptr, &code);
  if (status != NATS_OK) {
    ctx.log().warn(nats::describe_error(
        "creating consumer '" + options_.durable + "' on stream '" + options_.stream + "' (does the stream exist?)",
        status, options_.connection.secrets()));
    return false;
  }
  jsConsumerInfo_Destroy(info);
  ctx.log().info("created durable consumer '" + options_.durable + "' on stream '" + options_.stream + "'");
  return true;
}

void NatsSource::run_jetstream(SourceContext& ctx, nats::Connection& connection) {
  JetStreamGuard js;
  auto status = natsConnection_JetStream(&js.js, connection.get(), nullptr);
  if (status != NATS_OK) {
    throw std::runtime_error(nats::describe_error("JetStream context", status, connection.secrets()));
  }
  const auto should_stop = [&] { return stopping_.load() || ctx.stopping(); };
  // The consumer is created here, not by the subscribe call: the client deletes a consumer its
  // own subscribe created when the subscription goes away, which would lose the position that a
  // restarted engine must resume from. Binding to an existing consumer leaves it in place.
  SubscriptionGuard subscription;
  while (!should_stop()) {
    if (!connection.wait_connected(kPoll, should_stop)) {
      if (connection.closed()) throw_closed(connection);
      continue;
    }
    if (!ensure_consumer(ctx, js.js)) {
      ctx.wait_for_stop(kRetry);
      continue;
    }
    jsSubOptions subscribe_options;
    jsSubOptions_Init(&subscribe_options);
    subscribe_options.Stream = options_.stream.c_str();
    subscribe_options.Consumer = options_.durable.c_str();
    jsErrCode code = static_cast<jsErrCode>(0);
    status = js_PullSubscribe(&subscription.sub, js.js, options_.subjects.front().c_str(), options_.durable.c_str(),
                              nullptr, &subscribe_options, &code);
    if (status == NATS_OK) break;
    ctx.log().warn(
        nats::describe_error("binding to consumer '" + options_.durable + "'", status, connection.secrets()));
    ctx.wait_for_stop(kRetry);
  }
  if (subscription.sub == nullptr) return;
  consumer_ready_ = true;
  const auto ack_wait = std::chrono::duration_cast<std::chrono::milliseconds>(options_.ack_wait);
  while (!should_stop()) {
    natsMsgList list{nullptr, 0};
    jsErrCode code = static_cast<jsErrCode>(0);
    status = natsSubscription_Fetch(&list, subscription.sub, options_.batch, kPoll.count(), &code);
    if (status == NATS_TIMEOUT) continue;
    if (status != NATS_OK) {
      natsMsgList_Destroy(&list);
      if (connection.closed()) {
        consumer_ready_ = false;
        throw_closed(connection);
      }
      // Connection lost or server restarting: the client reconnects; try again shortly.
      ctx.wait_for_stop(kPoll);
      continue;
    }
    const auto fetched = std::chrono::steady_clock::now();
    auto last_progress = fetched;
    bool accepting = true;
    for (int i = 0; i < list.Count; ++i) {
      natsMsg* msg = list.Msgs[i];
      if (!accepting) {
        natsMsg_Nak(msg, nullptr);  // not taken: redelivered now, to this engine or another
        continue;
      }
      // A full pipeline can hold emit() for long: tell the server that the rest of the batch is
      // being worked on before its ack_wait runs out, so it does not deliver them again meanwhile.
      if (std::chrono::steady_clock::now() - last_progress > ack_wait / 2) {
        for (int j = i; j < list.Count; ++j) natsMsg_InProgress(list.Msgs[j], nullptr);
        last_progress = std::chrono::steady_clock::now();
      }
      count(counters_.received);
      jsMsgMetaData* meta = nullptr;
      std::uint64_t stream_sequence = 0;
      if (natsMsg_GetMetaData(&meta, msg) == NATS_OK) {
        stream_sequence = meta->Sequence.Stream;
        if (meta->NumDelivered > 1) count(counters_.redelivered);
        jsMsgMetaData_Destroy(meta);
      }
      if (stream_sequence != 0 && emitted_.contains(stream_sequence)) {
        // Delivered again although this engine took it already (an emit() held past ack_wait, or
        // an acknowledgement lost): acknowledge it again instead of emitting a duplicate.
        count(counters_.skipped);
        natsMsg_Ack(msg, nullptr);
        continue;
      }
      auto event =
          to_event(ctx, std::string_view(natsMsg_GetData(msg), static_cast<std::size_t>(natsMsg_GetDataLength(msg))));
      if (!event) {
        natsMsg_Term(msg, nullptr);  // never an event: do not deliver it again
        continue;
      }
      if (!ctx.emit(std::move(*event))) {
        accepting = false;
        natsMsg_Nak(msg, nullptr);
        continue;
      }
      count(counters_.emitted);
      if (stream_sequence != 0) emitted_.remember(stream_sequence);
      // Acknowledged only now: the pipeline holds the event. A crash before this line means the
      // server delivers it again after ack_wait (at-least-once).
      if (natsMsg_Ack(msg, nullptr) == NATS_OK) count(counters_.acknowledged);
    }
    natsMsgList_Destroy(&list);
  }
  consumer_ready_ = false;
}

nlohmann::json NatsSource::status() const {
  nlohmann::json status = {
      {"mode", options_.jetstream ? "jetstream" : "core"},
      {"subjects", options_.subjects},
      {"subscribed", consumer_ready_.load()},
      {"received", value(counters_.received)},
      {"emitted", value(counters_.emitted)},
      {"malformed", value(counters_.malformed)},
  };
  if (options_.jetstream) {
    status["stream"] = options_.stream;
    status["durable"] = options_.durable;
    status["acknowledged"] = value(counters_.acknowledged);
    status["redelivered"] = value(counters_.redelivered);
    status["skipped"] = value(counters_.skipped);
  } else {
    status["queue_group"] = options_.queue_group;
    status["queue"] = {{"size", inbox_.size()}, {"limit", options_.queue_limit}, {"dropped", value(counters_.dropped)}};
  }
  auto metrics = nlohmann::json::array();
  {
    std::lock_guard lock(connection_mutex_);
    if (connection_ != nullptr) {
      status["connection"] = connection_->status();
      connection_->append_metrics(metrics);
    } else {
      status["connection"] = {{"state", "stopped"}};
    }
  }
  const auto metric = [&](const char* name, const char* type, const char* help, double number) {
    metrics.push_back(nats::metric(name, type, help, number));
  };
  metric("nats_received_total", "counter", "Messages received from NATS",
         static_cast<double>(value(counters_.received)));
  metric("nats_emitted_total", "counter", "Events the pipeline accepted",
         static_cast<double>(value(counters_.emitted)));
  metric("nats_malformed_total", "counter", "Messages that were not event envelopes (dropped)",
         static_cast<double>(value(counters_.malformed)));
  if (options_.jetstream) {
    metric("nats_acknowledged_total", "counter", "JetStream events acknowledged after the pipeline took them",
           static_cast<double>(value(counters_.acknowledged)));
    metric("nats_redelivered_total", "counter", "JetStream events delivered more than once",
           static_cast<double>(value(counters_.redelivered)));
    metric("nats_skipped_total", "counter",
           "JetStream redeliveries of events already emitted (acknowledged, not emitted)",
           static_cast<double>(value(counters_.skipped)));
  } else {
    metric("nats_dropped_total", "counter", "Messages dropped because the pipeline was behind (inbox full)",
           static_cast<double>(value(counters_.dropped)));
    metric("nats_queue_size", "gauge", "Messages waiting for the pipeline", static_cast<double>(inbox_.size()));
  }
  status["metrics"] = std::move(metrics);
  return status;
}

}  // namespace flowmind::nats_source
