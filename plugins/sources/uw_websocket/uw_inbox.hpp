// One pipeline's bounded queue of UW messages: the shared connection pushes, the source's run()
// thread pops, so a slow pipeline never holds up the socket or the other pipelines.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "flowmind/context.hpp"
#include "flowmind/event.hpp"

namespace flowmind::uw_websocket {

struct Message {
  std::string channel;
  std::string payload;  // the raw payload object text
  Event::Clock::time_point received_at;
};

class Inbox {
 public:
  struct ChannelCounts {
    std::uint64_t delivered = 0;  // pushed into this queue
    std::uint64_t dropped = 0;    // pushed out by newer messages (queue full) or left at stop
  };
  struct Counts {
    std::size_t size = 0;
    std::uint64_t dropped = 0;
    std::map<std::string, ChannelCounts> channels;
  };

  // `log` is the pipeline's logger; the connection logs through it while this inbox is subscribed.
  Inbox(std::vector<std::string> channels, std::size_t limit, Logger& log, std::string pipeline);

  [[nodiscard]] const std::vector<std::string>& channels() const { return channels_; }
  [[nodiscard]] bool wants(const std::string& channel) const;
  [[nodiscard]] Logger& log() const { return log_; }
  [[nodiscard]] const std::string& pipeline() const { return pipeline_; }

  // Never waits: when full the oldest message is dropped (and counted).
  void push(Message message);
  // Waits up to `timeout` for a message; nullopt on timeout, after stop() or after fail().
  std::optional<Message> pop(std::chrono::milliseconds timeout);
  // Wakes pop() for good.
  void stop();
  // The connection cannot go on (rejected token, ...): pop() returns and failure() says why.
  void fail(const std::string& reason);
  [[nodiscard]] std::optional<std::string> failure() const;
  [[nodiscard]] bool stopped() const;
  // Counts what is still queued as dropped (the pipeline stops without taking them).
  void abandon();
  [[nodiscard]] Counts counts() const;

 private:
  std::vector<std::string> channels_;
  std::size_t limit_;
  Logger& log_;
  std::string pipeline_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Message> queue_;
  std::map<std::string, ChannelCounts, std::less<>> counts_;
  std::uint64_t dropped_ = 0;
  bool stopped_ = false;
  std::optional<std::string> failure_;
};

}  // namespace flowmind::uw_websocket
