// The Runtime: the shared io_context and its threads, the pipelines, stop and wait.
#include "runtime/runtime.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "log/logging.hpp"
#include "runtime/pipeline.hpp"
#include "runtime/pipeline_snapshot.hpp"

namespace flowmind {

class Runtime::Impl {
 public:
  Impl(RuntimeOptions options, const PluginCatalog& catalog);
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  boost::asio::io_context& io_context() { return io_; }
  void start(std::vector<PipelineSpec> specs);
  void request_stop();
  void force_stop();
  int wait();
  [[nodiscard]] std::vector<std::shared_ptr<Pipeline>> pipelines() const;

 private:
  void run_io();
  void supervise();
  void notify();
  [[nodiscard]] bool all_terminal_locked() const;

  // Declared first so it is destroyed last: pipelines and handlers refer to it.
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  RuntimeOptions options_;
  const PluginCatalog& catalog_;
  std::vector<std::thread> io_threads_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;  // a pipeline reached a terminal state
  std::vector<std::shared_ptr<Pipeline>> pipelines_;
  bool stop_requested_ = false;
  bool force_requested_ = false;
  std::chrono::steady_clock::time_point deadline_;
  std::thread supervisor_;
};

Runtime::Impl::Impl(RuntimeOptions options, const PluginCatalog& catalog)
    : work_(boost::asio::make_work_guard(io_)), options_(options), catalog_(catalog) {
  const auto count = std::max(1U, options_.threads);
  io_threads_.reserve(count);
  for (unsigned i = 0; i < count; ++i) io_threads_.emplace_back([this] { run_io(); });
}

Runtime::Impl::~Impl() {
  request_stop();
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return all_terminal_locked(); });
  }
  if (supervisor_.joinable()) supervisor_.join();
  for (const auto& pipeline : pipelines()) pipeline->join();
  // Every sink is flushed and stopped by now; what may still be queued on the io_context are
  // wake-ups for pipelines that have ended, so there is nothing left worth running.
  work_.reset();
  io_.stop();
  for (auto& thread : io_threads_) thread.join();
  pipelines_.clear();
}

void Runtime::Impl::run_io() {
  // A handler that throws (from other engine parts sharing the pool) must not end the thread.
  for (;;) {
    try {
      io_.run();
      return;
    } catch (const std::exception& error) {
      engine_log().error("unhandled exception in an I/O handler: {}", error.what());
    } catch (...) {
      engine_log().error("unhandled exception in an I/O handler");
    }
  }
}

void Runtime::Impl::start(std::vector<PipelineSpec> specs) {
  for (auto& spec : specs) {
    bool duplicate = false;
    {
      std::lock_guard lock(mutex_);
      duplicate = std::any_of(pipelines_.begin(), pipelines_.end(),
                              [&](const auto& existing) { return existing->name() == spec.name; });
    }
    auto pipeline = std::make_shared<Pipeline>(std::move(spec), options_, io_, [this] { notify(); });
    if (duplicate) {
      pipeline->fail("another pipeline is already named '" + pipeline->name() + "'");
    } else {
      pipeline->start(catalog_);
    }
    bool stop = false;
    bool force = false;
    {
      std::lock_guard lock(mutex_);
      pipelines_.push_back(pipeline);
      stop = stop_requested_;
      force = force_requested_ || (stop_requested_ && std::chrono::steady_clock::now() >= deadline_);
    }
    // Started while the runtime stops: it stops with the others.
    if (force) {
      pipeline->abandon();
    } else if (stop) {
      pipeline->request_stop();
    }
  }
}

void Runtime::Impl::request_stop() {
  bool inline_supervision = false;
  {
    std::lock_guard lock(mutex_);
    if (stop_requested_) return;
    stop_requested_ = true;
    deadline_ = std::chrono::steady_clock::now() + options_.grace_period;
    // The caller may be a signal-handling thread: plugin stop() calls and the wait for the
    // drain happen on a thread of their own.
    try {
      supervisor_ = std::thread([this] { supervise(); });
    } catch (const std::exception& error) {
      engine_log().error("cannot start the shutdown thread ({}); stopping on the caller's thread", error.what());
      inline_supervision = true;
    }
  }
  if (inline_supervision) supervise();
}

void Runtime::Impl::supervise() {
  for (const auto& pipeline : pipelines()) pipeline->request_stop();
  std::unique_lock lock(mutex_);
  if (changed_.wait_until(lock, deadline_, [this] { return all_terminal_locked(); })) return;
  auto remaining = pipelines_;
  lock.unlock();
  engine_log().warn("grace period of {} ms is over: abandoning what is still queued", options_.grace_period.count());
  for (const auto& pipeline : remaining) pipeline->abandon();
}

void Runtime::Impl::force_stop() {
  {
    std::lock_guard lock(mutex_);
    force_requested_ = true;
  }
  for (const auto& pipeline : pipelines()) pipeline->abandon();
}

int Runtime::Impl::wait() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return all_terminal_locked(); });
  const bool any_failed = std::any_of(pipelines_.begin(), pipelines_.end(),
                                      [](const auto& pipeline) { return pipeline->state() == PipelineState::failed; });
  return any_failed ? 1 : 0;
}

std::vector<std::shared_ptr<Pipeline>> Runtime::Impl::pipelines() const {
  std::lock_guard lock(mutex_);
  return pipelines_;
}

void Runtime::Impl::notify() {
  // Taking the lock orders the state change before a waiter's predicate check.
  { std::lock_guard lock(mutex_); }
  changed_.notify_all();
}

bool Runtime::Impl::all_terminal_locked() const {
  return std::all_of(pipelines_.begin(), pipelines_.end(),
                     [](const auto& pipeline) { return is_terminal(pipeline->state()); });
}

Runtime::Runtime(RuntimeOptions options, const PluginCatalog& catalog)
    : impl_(std::make_unique<Impl>(options, catalog)) {}

Runtime::~Runtime() = default;

boost::asio::io_context& Runtime::io_context() { return impl_->io_context(); }

void Runtime::start(std::vector<PipelineSpec> pipelines) { impl_->start(std::move(pipelines)); }

void Runtime::request_stop() { impl_->request_stop(); }

void Runtime::force_stop() { impl_->force_stop(); }

int Runtime::wait() { return impl_->wait(); }

nlohmann::json Runtime::pipelines_status() const {
  auto result = nlohmann::json::array();
  for (const auto& pipeline : impl_->pipelines()) result.push_back(to_json(pipeline->snapshot()));
  return result;
}

std::string Runtime::metrics_text() const {
  std::vector<PipelineSnapshot> snapshots;
  for (const auto& pipeline : impl_->pipelines()) snapshots.push_back(pipeline->snapshot());
  return prometheus_text(snapshots);
}

std::optional<bool> Runtime::reconnect(const std::string& name) {
  for (const auto& pipeline : impl_->pipelines()) {
    if (pipeline->name() == name) return pipeline->reconnect_source();
  }
  return std::nullopt;
}

std::vector<std::string> Runtime::not_running() const {
  std::vector<std::string> names;
  for (const auto& pipeline : impl_->pipelines()) {
    if (pipeline->state() != PipelineState::running) names.push_back(pipeline->name());
  }
  return names;
}

}  // namespace flowmind
