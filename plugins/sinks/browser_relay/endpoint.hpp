// One concrete WebSocket path: its frame log, counters, and per-shard lists of clients.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "flowmind/context.hpp"
#include "frame_log.hpp"
#include "relay_options.hpp"

namespace flowmind::browser_relay {

// What a sink instance shares with its endpoints and clients: the engine's context while the sink
// runs (demand, logging), and the count of connected clients. Detached when the sink stops, after
// which nothing reaches the engine any more.
class BindingCore {
 public:
  BindingCore(std::string pipeline, Logger* log, PipelineControl* control)
      : pipeline_(std::move(pipeline)), log_(log), control_(control) {}

  [[nodiscard]] const std::string& pipeline() const { return pipeline_; }
  void client_joined();
  void client_left();
  [[nodiscard]] std::size_t clients() const;
  void log(LogLevel level, const std::string& message);
  // Asks the pipeline's source to reconnect; false without an engine that can.
  bool request_reconnect();
  [[nodiscard]] nlohmann::json source_status() const;  // null without an engine that can
  [[nodiscard]] bool has_control() const;
  void detach();

 private:
  const std::string pipeline_;
  mutable std::mutex mutex_;  // held while calling set_demand, so the engine sees the counts in order
  Logger* log_;
  PipelineControl* control_;
  std::size_t clients_ = 0;
};

// A WebSocket client as its endpoint sees it. Used only on its shard's strand.
class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // New frames are in the log (or limits to apply).
  virtual void on_round() = 0;
  // Close at once (server or sink stopping): a close frame if it fits, then the socket.
  virtual void close_now(std::uint16_t code) = 0;

  bool listed = false;  // in its ShardSlot's list
};

// The clients of one endpoint on one shard. Everything but the atomics belongs to the shard's strand.
//
// New frames start a walk over the clients (a round), done a few clients per handler so that the
// upstream, the pipeline and other endpoints run between steps. When the relay falls behind, events
// thus keep arriving during a walk and each client takes all of its waiting frames in one write:
// the batch grows with the load, without a fixed delay when it keeps up.
struct ShardSlot {
  std::atomic<bool> scheduled{false};  // a walk is posted or under way
  std::atomic<bool> again{false};      // frames arrived since the current walk began
  std::atomic<std::size_t> count{0};
  std::vector<std::shared_ptr<Subscriber>> clients;

  void add(std::shared_ptr<Subscriber> client);
  void remove(Subscriber* client);
  // Visits the next `max_clients` listed clients of the walk (starting one if none is under way);
  // returns true when the walk is complete. Removals during a walk are applied after it.
  template <typename F>
  bool walk_step(std::size_t max_clients, F&& f) {
    if (!walking_) {
      walking_ = true;
      next_ = 0;
    }
    const auto end = std::min(clients.size(), next_ + max_clients);
    for (; next_ < end; ++next_) {
      if (clients[next_]->listed) f(*clients[next_]);
    }
    if (next_ < clients.size()) return false;
    walking_ = false;
    if (dirty_) sweep();
    return true;
  }
  [[nodiscard]] bool walking() const { return walking_; }
  // Takes every client out of the list (for closing them all).
  std::vector<std::shared_ptr<Subscriber>> take_all();

 private:
  void sweep();

  bool walking_ = false;
  bool dirty_ = false;
  std::size_t next_ = 0;
};

struct EndpointCounters {
  std::atomic<std::uint64_t> clients{0};
  std::atomic<std::uint64_t> connects{0};
  std::atomic<std::uint64_t> disconnects{0};
  std::atomic<std::uint64_t> events{0};
  std::atomic<std::uint64_t> messages_sent{0};
  std::atomic<std::uint64_t> bytes_sent{0};
  std::atomic<std::uint64_t> dropped{0};
  std::atomic<std::uint64_t> slow_disconnects{0};
  std::atomic<std::uint64_t> ping_timeouts{0};
};

class Endpoint {
 public:
  Endpoint(std::string path, std::string name, const SinkOptions& options, std::size_t shards,
           std::shared_ptr<BindingCore> core);

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] FrameLog& log() { return log_; }
  [[nodiscard]] const QueueLimits& limits() const { return limits_; }
  [[nodiscard]] std::size_t backlog() const { return backlog_; }
  [[nodiscard]] std::chrono::microseconds batch_delay() const { return batch_delay_; }
  [[nodiscard]] EndpointCounters& counters() { return counters_; }
  [[nodiscard]] const EndpointCounters& counters() const { return counters_; }
  [[nodiscard]] ShardSlot& slot(std::size_t shard) { return *slots_[shard]; }
  [[nodiscard]] std::size_t shard_count() const { return slots_.size(); }
  [[nodiscard]] BindingCore& core() { return *core_; }

  // Appends an event's frame (an endpoint without clients keeps only its backlog).
  void append(const FramePtr& frame);
  // A client joins: false once the endpoint is closed. Counted, and reported as demand.
  bool join();
  void leave();
  // No more clients: set when its sink stops (or an idle ticker endpoint is let go).
  void close();
  bool close_if_idle();
  [[nodiscard]] bool closed() const;

 private:
  const std::string path_;
  const std::string name_;
  FrameLog log_;
  QueueLimits limits_;
  std::size_t backlog_;
  std::chrono::microseconds batch_delay_;
  EndpointCounters counters_;
  std::vector<std::unique_ptr<ShardSlot>> slots_;
  std::shared_ptr<BindingCore> core_;
  mutable std::mutex mutex_;
  std::size_t joined_ = 0;
  bool closed_ = false;
};

}  // namespace flowmind::browser_relay
