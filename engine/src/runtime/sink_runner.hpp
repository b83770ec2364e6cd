// One sink with its bounded queue and its consumer: a thread of its own or an Asio strand.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include "config/pipeline_spec.hpp"
#include "flowmind/plugin.hpp"
#include "runtime/bounded_queue.hpp"
#include "runtime/pending_work.hpp"
#include "runtime/rate_limited_log.hpp"
#include "runtime/stage_metrics.hpp"

namespace flowmind {

// The producer is the pipeline's strand, which must never wait: under `block` a full queue
// answers `full`, remembers that the producer is waiting, and calls `resume_producer` once the
// consumer has made room. consume() calls never overlap; after the last one (queue closed and
// empty, or abandoned) the consumer calls flush() and stop() once and then `finished`.
class SinkRunner {
 public:
  struct Hooks {
    std::function<void()> resume_producer;
    std::function<void()> finished;
  };
  enum class Offer { accepted, full };

  // `work` counts the handlers it posts (the pipeline's, which waits for them before it is freed).
  SinkRunner(std::unique_ptr<Sink> sink, BufferSpec buffer, StageMetrics& metrics, Logger& log,
             boost::asio::io_context& io, PendingWork& work, Hooks hooks);
  ~SinkRunner();
  SinkRunner(const SinkRunner&) = delete;
  SinkRunner& operator=(const SinkRunner&) = delete;

  // Starts the consumer thread of a blocking sink (a strand sink needs nothing).
  void launch();

  Offer offer(const EventPtr& event);
  // Events meant for this sink that never reached its queue because the pipeline was abandoned.
  void count_abandoned(std::size_t count);
  // No more offers: the consumer drains what is queued, then flushes and stops the sink.
  void close();
  // Drops what is queued (counted) and cancels a consume() in progress (Sink::cancel); the
  // consumer finishes its current event, then flushes and stops.
  void abandon();
  // For a start that failed half-way: a blocking sink whose thread was never launched is
  // flushed and stopped here, since no consumer will do it.
  void abandon_unlaunched();
  // Waits for the consumer thread (blocking sinks); strand sinks end with the io_context.
  void join();

  [[nodiscard]] bool finished() const { return finished_.load(std::memory_order_acquire); }
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::size_t capacity() const { return capacity_; }
  [[nodiscard]] WhenFull policy() const { return policy_; }
  [[nodiscard]] const Sink& sink() const { return *sink_; }

 private:
  enum class Take { event, idle, done };
  Take take(EventPtr& event);
  void thread_main();
  void drain_on_strand();
  void consume(const EventPtr& event);
  void finalize();

  std::unique_ptr<Sink> sink_;
  StageMetrics& metrics_;
  Logger& log_;
  Hooks hooks_;
  const bool blocking_;
  const std::size_t capacity_;
  const WhenFull policy_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  PendingWork& work_;

  mutable std::mutex mutex_;
  std::condition_variable ready_;  // the consumer thread waiting for events
  BoundedQueue<EventPtr> queue_;
  bool producer_waiting_ = false;
  bool consumer_active_ = false;  // strand sinks: a drain is posted or running
  bool closed_ = false;
  bool abandoned_ = false;

  std::thread thread_;
  RateLimitedLog failures_;  // consumer only
  std::atomic<bool> finalizing_{false};
  std::atomic<bool> finished_{false};
};

}  // namespace flowmind
