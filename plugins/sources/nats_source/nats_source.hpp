// The nats_source: subscribes to NATS subjects (core, optionally in a queue group, or a JetStream
// durable pull consumer) and emits each wire envelope as the Event it was on the ingest host.
#pragma once

#include <nats/nats.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "envelope_inbox.hpp"
#include "flowmind/plugin.hpp"
#include "nats_common/connection.hpp"
#include "nats_source_options.hpp"

namespace flowmind::nats_source {

class NatsSource final : public Source {
 public:
  explicit NatsSource(Options options);
  ~NatsSource() override = default;
  NatsSource(const NatsSource&) = delete;
  NatsSource& operator=(const NatsSource&) = delete;

  void run(SourceContext& ctx) override;
  void stop() override;
  [[nodiscard]] nlohmann::json status() const override;

 private:
  struct Counters {
    Counter* received = nullptr;      // messages taken from NATS
    Counter* emitted = nullptr;       // accepted by the pipeline
    Counter* acknowledged = nullptr;  // JetStream: acknowledged after the pipeline accepted them
    Counter* redelivered = nullptr;   // JetStream: delivered more than once
    Counter* malformed = nullptr;     // not a wire envelope (dropped; JetStream: terminated)
    Counter* dropped = nullptr;       // core: the inbox was full
    Counter* skipped = nullptr;       // JetStream: redelivered although emitted already (acknowledged again)
  };

  // The stream sequences of the last events emitted (JetStream), to recognize a redelivery of one.
  class RecentSequences {
   public:
    static constexpr std::size_t kLimit = 65536;
    [[nodiscard]] bool contains(std::uint64_t sequence) const { return set_.contains(sequence); }
    void remember(std::uint64_t sequence) {
      if (!set_.insert(sequence).second) return;
      order_.push_back(sequence);
      if (order_.size() > kLimit) {
        set_.erase(order_.front());
        order_.pop_front();
      }
    }

   private:
    std::unordered_set<std::uint64_t> set_;
    std::deque<std::uint64_t> order_;
  };

  void run_core(SourceContext& ctx, nats::Connection& connection);
  void run_jetstream(SourceContext& ctx, nats::Connection& connection);
  bool ensure_consumer(SourceContext& ctx, jsCtx* js);
  [[noreturn]] static void throw_closed(const nats::Connection& connection);
  std::optional<Event> to_event(SourceContext& ctx, std::string_view text);
  static void on_message(natsConnection* connection, natsSubscription* subscription, natsMsg* msg, void* self);
  void count(Counter* counter) const {
    if (counter != nullptr) ++*counter;
  }
  [[nodiscard]] std::uint64_t value(const Counter* counter) const { return counter == nullptr ? 0 : counter->load(); }

  const Options options_;
  Counters counters_;
  EnvelopeInbox inbox_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex connection_mutex_;
  nats::Connection* connection_ = nullptr;  // while run() runs, for status()
  std::atomic<bool> consumer_ready_{false};
  RecentSequences emitted_;  // run() thread only
};

}  // namespace flowmind::nats_source
