// Feeds one sink from its bounded queue, on its own thread (blocking sinks) or strand.
#include "runtime/sink_runner.hpp"

#include <algorithm>
#include <exception>
#include <string>
#include <utility>

#include <boost/asio/post.hpp>

namespace flowmind {
namespace {

// Events consumed per strand turn before yielding to other work on the pool.
constexpr int strand_batch = 64;

}  // namespace

SinkRunner::SinkRunner(std::unique_ptr<Sink> sink, BufferSpec buffer, StageMetrics& metrics, Logger& log,
                       boost::asio::io_context& io, PendingWork& work, Hooks hooks)
    : sink_(std::move(sink)),
      metrics_(metrics),
      log_(log),
      hooks_(std::move(hooks)),
      blocking_(sink_->blocking()),
      capacity_(std::max<std::size_t>(1, buffer.max_events)),
      policy_(buffer.when_full),
      strand_(boost::asio::make_strand(io)),
      work_(work),
      queue_(buffer.max_events, buffer.when_full) {}

SinkRunner::~SinkRunner() { join(); }

void SinkRunner::launch() {
  if (!blocking_) return;
  try {
    thread_ = std::thread([this] { thread_main(); });
  } catch (...) {
    // Without a consumer nobody would ever flush and stop the sink.
    finalize();
    throw;
  }
}

void SinkRunner::join() {
  if (thread_.joinable()) thread_.join();
}

SinkRunner::Offer SinkRunner::offer(const EventPtr& event) {
  bool post_drain = false;
  {
    std::lock_guard lock(mutex_);
    if (abandoned_) {
      metrics_.in.fetch_add(1, std::memory_order_relaxed);
      metrics_.dropped.fetch_add(1, std::memory_order_relaxed);
      return Offer::accepted;
    }
    EventPtr copy = event;
    switch (queue_.push(copy)) {
      case BoundedQueue<EventPtr>::Push::queued: break;
      case BoundedQueue<EventPtr>::Push::evicted:
      case BoundedQueue<EventPtr>::Push::discarded: metrics_.dropped.fetch_add(1, std::memory_order_relaxed); break;
      case BoundedQueue<EventPtr>::Push::full: producer_waiting_ = true; return Offer::full;
    }
    metrics_.in.fetch_add(1, std::memory_order_relaxed);
    if (!blocking_ && !consumer_active_) consumer_active_ = post_drain = true;
  }
  if (blocking_) ready_.notify_one();
  if (post_drain) boost::asio::post(strand_, work_.track([this] { drain_on_strand(); }));
  return Offer::accepted;
}

void SinkRunner::count_abandoned(std::size_t count) {
  metrics_.in.fetch_add(count, std::memory_order_relaxed);
  metrics_.dropped.fetch_add(count, std::memory_order_relaxed);
}

void SinkRunner::close() {
  bool post_drain = false;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    if (!blocking_ && !consumer_active_) consumer_active_ = post_drain = true;
  }
  if (blocking_) ready_.notify_one();
  if (post_drain) boost::asio::post(strand_, work_.track([this] { drain_on_strand(); }));
}

void SinkRunner::abandon() {
  bool post_drain = false;
  {
    std::lock_guard lock(mutex_);
    abandoned_ = true;
    metrics_.dropped.fetch_add(queue_.clear(), std::memory_order_relaxed);
    producer_waiting_ = false;
    if (!blocking_ && !consumer_active_) consumer_active_ = post_drain = true;
  }
  if (blocking_) ready_.notify_one();
  if (post_drain) boost::asio::post(strand_, work_.track([this] { drain_on_strand(); }));
  if (!finished()) {
    try {
      sink_->cancel();
    } catch (...) {
      log_.error("cancel failed");
    }
  }
}

void SinkRunner::abandon_unlaunched() {
  if (blocking_ && !thread_.joinable()) finalize();
}

std::size_t SinkRunner::size() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

SinkRunner::Take SinkRunner::take(EventPtr& event) {
  bool resume = false;
  {
    std::unique_lock lock(mutex_);
    if (blocking_) ready_.wait(lock, [this] { return !queue_.empty() || closed_ || abandoned_; });
    auto next = queue_.pop();
    if (!next) {
      if (closed_ || abandoned_) return Take::done;
      consumer_active_ = false;
      return Take::idle;
    }
    event = std::move(*next);
    // Resuming at half capacity rather than at the first free slot lets the producer refill
    // in batches instead of waking once per consumed event.
    if (producer_waiting_ && queue_.size() <= capacity_ / 2) {
      producer_waiting_ = false;
      resume = true;
    }
  }
  if (resume) hooks_.resume_producer();
  return Take::event;
}

void SinkRunner::thread_main() {
  EventPtr event;
  while (take(event) == Take::event) {
    consume(event);
    event.reset();
  }
  finalize();
}

void SinkRunner::drain_on_strand() {
  for (int budget = strand_batch; budget > 0; --budget) {
    EventPtr event;
    switch (take(event)) {
      case Take::event: consume(event); break;
      case Take::idle: return;
      case Take::done: finalize(); return;
    }
  }
  boost::asio::post(strand_, work_.track([this] { drain_on_strand(); }));
}

void SinkRunner::consume(const EventPtr& event) {
  try {
    sink_->consume(event);
    metrics_.out.fetch_add(1, std::memory_order_relaxed);
    return;
  } catch (const std::exception& error) {
    failures_.error(log_, std::string("event failed: ") + error.what());
  } catch (...) {
    failures_.error(log_, "event failed: unknown exception");
  }
  metrics_.failed.fetch_add(1, std::memory_order_relaxed);
}

void SinkRunner::finalize() {
  if (finalizing_.exchange(true)) return;
  try {
    sink_->flush();
  } catch (const std::exception& error) {
    log_.error(std::string("flush failed: ") + error.what());
  } catch (...) {
    log_.error("flush failed: unknown exception");
  }
  try {
    sink_->stop();
  } catch (const std::exception& error) {
    log_.error(std::string("stop failed: ") + error.what());
  } catch (...) {
    log_.error("stop failed: unknown exception");
  }
  finished_.store(true, std::memory_order_release);
  hooks_.finished();
}

}  // namespace flowmind
