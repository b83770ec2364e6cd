// A plain NATS client for tests: publishes raw messages, collects what arrives on a subject, and
// reads JetStream stream and consumer state, so tests observe the server rather than the plugins.
#pragma once

#include <nats/nats.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace flowmind::testing {

struct ReceivedMessage {
  std::string subject;
  std::string data;
  std::string message_id;  // the Nats-Msg-Id header, if any
};

class NatsTestClient {
 public:
  // Connects to `url` (throws std::runtime_error when it cannot).
  explicit NatsTestClient(const std::string& url, const std::string& token = {});
  ~NatsTestClient();
  NatsTestClient(const NatsTestClient&) = delete;
  NatsTestClient& operator=(const NatsTestClient&) = delete;

  // Core subscription collecting every message (call before the messages are published).
  void subscribe(const std::string& subject);
  void publish(const std::string& subject, const std::string& data);
  [[nodiscard]] std::vector<ReceivedMessage> received() const;
  // Waits until at least `count` messages arrived (false after `timeout`).
  bool wait_received(std::size_t count, std::chrono::milliseconds timeout);

  // JetStream: creates a stream (file storage, 2 min duplicate window).
  void add_stream(const std::string& name, const std::string& subjects);
  // Messages stored in the stream (-1 when it does not exist).
  std::int64_t stream_messages(const std::string& name);
  // Every stored message of the stream, in order (by sequence).
  std::vector<ReceivedMessage> stream_contents(const std::string& name);
  // The durable consumer's acknowledged floor (stream sequence) and messages pending ack.
  struct ConsumerState {
    std::uint64_t ack_floor = 0;
    std::int64_t ack_pending = 0;
    std::uint64_t num_pending = 0;
    bool exists = false;
  };
  ConsumerState consumer(const std::string& stream, const std::string& durable);

 private:
  static void on_message(natsConnection* nc, natsSubscription* sub, natsMsg* msg, void* self);

  natsConnection* connection_ = nullptr;
  jsCtx* js_ = nullptr;
  std::vector<natsSubscription*> subscriptions_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<ReceivedMessage> received_;
};

}  // namespace flowmind::testing
