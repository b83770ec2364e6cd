// The sink's bounded buffer: events waiting to be published or acknowledged, kept in order, with a
// declared policy when full and in-order resending of publishes that failed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include "flowmind/event.hpp"

namespace flowmind::nats_sink {

class PublishBuffer {
 public:
  enum class WhenFull { drop_oldest, drop_newest, block };

  struct Item {
    std::uint64_t serial = 0;
    EventPtr event;
    std::string id;  // the message ID given to push(); empty = derived from the event
  };

  struct Counts {
    std::size_t size = 0;       // events held (waiting, in flight or to be resent)
    std::size_t in_flight = 0;  // sent, awaiting the server's answer
    std::uint64_t dropped = 0;  // given up because the buffer was full (or cancelled while blocked)
  };

  struct Cleared {
    std::size_t held = 0;  // events removed
    std::size_t sent = 0;  // of those, sent at least once (the server may have stored them)
  };

  PublishBuffer(std::size_t limit, WhenFull when_full) : limit_(limit), when_full_(when_full) {}

  // Adds an event. When full: drop_oldest drops the oldest event not yet sent (the new one if all
  // are in flight), drop_newest drops the new one, block waits for room until cancel() (then drops
  // the new one). Returns how many events this call dropped (0 or 1); counts() sums them.
  std::size_t push(EventPtr event, std::string id = {});

  // The oldest event not yet sent, now marked in flight; nullopt when there is none, when
  // `max_in_flight` are in flight, or while failed publishes wait for the in-flight ones to settle.
  std::optional<Item> take_next(std::size_t max_in_flight);
  // The server stored it (or knew it already): it leaves the buffer.
  void delivered(std::uint64_t serial);
  // The publish failed (connection lost, no answer in time): it is sent again, in order, once
  // every publish in flight has been answered. Returns false if the serial is unknown.
  bool failed(std::uint64_t serial);
  // The server refused it for good: it leaves the buffer.
  void refused(std::uint64_t serial) { delivered(serial); }

  // Waits up to `timeout` for something take_next() would return; false if there is none.
  bool wait_sendable(std::size_t max_in_flight, std::chrono::milliseconds timeout);
  // Waits until the buffer is empty or `deadline` passes; true when empty.
  bool wait_empty(std::chrono::steady_clock::time_point deadline);
  // Wakes every waiter; push() with the block policy stops waiting (counting the event as dropped).
  void cancel();
  // Removes everything still held (shutdown).
  Cleared clear();

  [[nodiscard]] Counts counts() const;
  [[nodiscard]] std::uint64_t resends() const;

 private:
  enum class State { waiting, in_flight, failed };
  struct Entry {
    std::uint64_t serial;
    EventPtr event;
    std::string id;
    State state;
    bool sent = false;
  };

  std::deque<Entry>::iterator find(std::uint64_t serial);
  [[nodiscard]] bool sendable_locked(std::size_t max_in_flight);
  void settle_locked();

  const std::size_t limit_;
  const WhenFull when_full_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Entry> entries_;  // ordered by serial
  std::uint64_t next_serial_ = 1;
  std::size_t in_flight_ = 0;
  bool resending_ = false;  // a publish failed: hold new sends until the in-flight ones settle
  bool cancelled_ = false;
  std::uint64_t dropped_ = 0;
  std::uint64_t resends_ = 0;
};

}  // namespace flowmind::nats_sink
