// The nats_sink: publishes each event's wire envelope to NATS (core or JetStream) from a bounded
// buffer that rides out server restarts; a publisher thread of its own does the network work.
#pragma once

#include <nats/nats.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "flowmind/plugin.hpp"
#include "nats_common/connection.hpp"
#include "nats_sink_options.hpp"
#include "publish_buffer.hpp"

namespace flowmind::nats_sink {

class NatsSink final : public Sink {
 public:
  explicit NatsSink(Options options);
  ~NatsSink() override;
  NatsSink(const NatsSink&) = delete;
  NatsSink& operator=(const NatsSink&) = delete;

  void start(StageContext& ctx) override;
  void consume(const EventPtr& event) override;
  void flush() override;
  void stop() override;
  void cancel() override;
  // consume() waits for room with when_full: block, so the sink gets a thread of its own.
  [[nodiscard]] bool blocking() const override { return true; }
  [[nodiscard]] nlohmann::json status() const override;

 private:
  struct Counters {
    Counter* published = nullptr;     // sent to the server (again after a failure too)
    Counter* acknowledged = nullptr;  // JetStream stored it (or knew it: duplicate)
    Counter* duplicates = nullptr;    // JetStream had it already (a resend after a lost answer)
    Counter* resent = nullptr;        // publishes sent again after a failure
    Counter* dropped = nullptr;       // buffer full, or never sent before shutdown
    Counter* refused = nullptr;       // refused by the server for good (e.g. too large)
    Counter* unconfirmed = nullptr;   // JetStream: sent, unanswered at shutdown (the stream may hold it)
    Counter* reopened = nullptr;      // new connections after the client gave up reconnecting
  };

  void open_connection();
  void reopen_connection();
  [[nodiscard]] std::chrono::milliseconds initial_reopen_delay() const;
  void run_publisher();
  bool ensure_stream();
  void check_duplicate_window(std::chrono::nanoseconds window) const;
  void publish(const PublishBuffer::Item& item);
  // Takes the unanswered JetStream publishes back from the client (no callback comes for them
  // afterwards); with `resend` they are sent again, else they stay in flight in the buffer.
  void reclaim_in_flight(bool resend);
  static void on_ack(jsCtx* js, natsMsg* msg, jsPubAck* ack, jsPubAckErr* error, void* closure);
  void handle_ack(natsMsg* msg, jsPubAck* ack, jsPubAckErr* error);
  void count(Counter* counter, std::uint64_t n = 1) const {
    if (counter != nullptr) *counter += n;
  }
  [[nodiscard]] std::uint64_t value(const Counter* counter) const { return counter == nullptr ? 0 : counter->load(); }

  const Options options_;
  StageContext* ctx_ = nullptr;
  Counters counters_;
  PublishBuffer buffer_;
  mutable std::mutex connection_mutex_;  // status() reads connection_ while the publisher or stop() replaces it
  std::unique_ptr<nats::Connection> connection_;
  jsCtx* js_ = nullptr;
  // The ack callbacks' handle on this sink (see on_ack); 0 = none registered.
  std::uintptr_t ack_token_ = 0;
  std::atomic<bool> stream_ready_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> cancelled_{false};
  std::thread publisher_;
  // The message handed to the client -> buffer serial, for the JetStream publishes awaiting their
  // answer: the client gives the same message back to on_ack, so two events with equal message IDs
  // can never take each other's entry.
  std::mutex pending_mutex_;
  std::unordered_map<const natsMsg*, std::uint64_t> pending_;
  std::atomic<std::uint64_t> failures_{0};
  std::chrono::milliseconds reopen_delay_{0};  // publisher thread only
  // Message IDs (consume() thread only): events whose sequence is 0 or not above the last one seen
  // (filter output, copies) get "-<id_prefix_><n>" appended so that no two share an ID.
  std::uint64_t last_sequence_ = 0;
  std::uint64_t unique_ids_ = 0;
  std::string id_prefix_;
};

}  // namespace flowmind::nats_sink
