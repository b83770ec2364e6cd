// The Runtime: the shared io_context and its threads, the pipelines, stop and wait.
#include "runtime/runtime.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "log/logging.hpp"
#include "runtime/pipeline.hpp"
#include "runtime/pipeline_diff.hpp"
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
  [[nodiscard]] std::shared_ptr<Pipeline> find(const std::string& name) const;
  [[nodiscard]] PipelineOrigin origin_of(const std::string& name) const;

  ApplyResult apply_files(std::vector<PipelineSpec> wanted);
  ApplyResult create(PipelineSpec spec);
  ApplyResult replace(PipelineSpec spec);
  ApplyResult restart(const std::string& name);
  ApplyResult remove(const std::string& name);
  void set_keep_alive(bool keep_alive);

 private:
  struct Retiring {
    std::shared_ptr<Pipeline> pipeline;
    std::chrono::steady_clock::time_point deadline;  // then abandoned
  };

  void run_io();
  void supervise();
  void notify();
  [[nodiscard]] bool all_terminal_locked() const;
  // Creates and starts one pipeline, then publishes it (replacing `replaced`, if any, in place).
  // Returns false when it failed to start. reload_mutex_ must be held.
  bool launch(PipelineSpec spec, PipelineOrigin origin, const std::shared_ptr<Pipeline>& replaced);
  // Takes a pipeline out of the current set and lets it drain (bounded by the grace period).
  void retire_locked(const std::shared_ptr<Pipeline>& pipeline);
  // Joins and frees retired pipelines once they ended; abandons those past their deadline.
  void reap();
  // True (with the error in `result`) once the engine is stopping: no more changes then.
  bool refuse_when_stopping(ApplyResult& result) const;

  // Declared first so it is destroyed last: pipelines and handlers refer to it.
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  RuntimeOptions options_;
  const PluginCatalog& catalog_;
  std::vector<std::thread> io_threads_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;                   // a pipeline reached a terminal state
  std::vector<std::shared_ptr<Pipeline>> pipelines_;  // the current ones, one per name
  std::map<std::string, PipelineOrigin> origins_;
  std::vector<Retiring> retiring_;  // removed or replaced, draining
  bool keep_alive_ = false;
  bool reaper_done_ = false;
  std::thread reaper_;
  // Serializes changes of the running set (reloads, admin API calls).
  std::mutex reload_mutex_;
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
  reaper_ = std::thread([this] { reap(); });
}

Runtime::Impl::~Impl() {
  request_stop();
  // A reload or an admin API change still in flight finishes first (it sees the stop and stops
  // what it started); later ones are refused, so pipelines_ and retiring_ no longer change.
  { std::lock_guard reload(reload_mutex_); }
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return all_terminal_locked(); });
  }
  if (supervisor_.joinable()) supervisor_.join();
  {
    std::lock_guard lock(mutex_);
    reaper_done_ = true;
  }
  changed_.notify_all();
  reaper_.join();
  for (const auto& pipeline : pipelines()) pipeline->join();
  for (const auto& retired : retiring_) retired.pipeline->join();
  // Every sink is flushed and stopped by now; what may still be queued on the io_context are
  // wake-ups for pipelines that have ended, so there is nothing left worth running.
  work_.reset();
  io_.stop();
  for (auto& thread : io_threads_) thread.join();
  pipelines_.clear();
  retiring_.clear();
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
  // A reload (SIGHUP, --watch, POST /reload) that arrives while the first pipelines start waits
  // for all of them, so it compares against the whole set.
  std::lock_guard reload(reload_mutex_);
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
      if (!duplicate) origins_[pipeline->name()] = PipelineOrigin::file;
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
    changed_.notify_all();  // a keep-alive wait() ends with the stop
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
  for (const auto& retired : retiring_) remaining.push_back(retired.pipeline);
  lock.unlock();
  engine_log().warn("grace period of {} ms is over: abandoning what is still queued", options_.grace_period.count());
  for (const auto& pipeline : remaining) pipeline->abandon();
}

void Runtime::Impl::force_stop() {
  std::vector<std::shared_ptr<Pipeline>> all;
  {
    std::lock_guard lock(mutex_);
    force_requested_ = true;
    all = pipelines_;
    for (const auto& retired : retiring_) all.push_back(retired.pipeline);
  }
  for (const auto& pipeline : all) pipeline->abandon();
}

void Runtime::Impl::set_keep_alive(bool keep_alive) {
  {
    std::lock_guard lock(mutex_);
    keep_alive_ = keep_alive;
  }
  changed_.notify_all();
}

int Runtime::Impl::wait() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return all_terminal_locked() && (!keep_alive_ || stop_requested_); });
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
                     [](const auto& pipeline) { return is_terminal(pipeline->state()); }) &&
         std::all_of(retiring_.begin(), retiring_.end(),
                     [](const auto& retired) { return is_terminal(retired.pipeline->state()); });
}

std::shared_ptr<Pipeline> Runtime::Impl::find(const std::string& name) const {
  std::lock_guard lock(mutex_);
  for (const auto& pipeline : pipelines_) {
    if (pipeline->name() == name) return pipeline;
  }
  return nullptr;
}

PipelineOrigin Runtime::Impl::origin_of(const std::string& name) const {
  std::lock_guard lock(mutex_);
  const auto found = origins_.find(name);
  return found == origins_.end() ? PipelineOrigin::file : found->second;
}

bool Runtime::Impl::launch(PipelineSpec spec, PipelineOrigin origin, const std::shared_ptr<Pipeline>& replaced) {
  auto pipeline = std::make_shared<Pipeline>(std::move(spec), options_, io_, [this] { notify(); });
  // The new instance starts while the old one still runs: its sinks and source take over what
  // they share with it (relay paths, UW channels) before the old one lets go.
  pipeline->start(catalog_);
  const bool started = pipeline->state() != PipelineState::failed;
  bool stop = false;
  bool force = false;
  {
    std::lock_guard lock(mutex_);
    const auto slot = std::find(pipelines_.begin(), pipelines_.end(), replaced);
    if (replaced && slot != pipelines_.end()) {
      *slot = pipeline;
      retire_locked(replaced);
    } else {
      pipelines_.push_back(pipeline);
    }
    origins_[pipeline->name()] = origin;
    stop = stop_requested_;
    force = force_requested_ || (stop_requested_ && std::chrono::steady_clock::now() >= deadline_);
  }
  if (replaced) replaced->request_stop();
  if (force) {
    pipeline->abandon();
  } else if (stop) {
    pipeline->request_stop();
  }
  changed_.notify_all();
  return started;
}

void Runtime::Impl::retire_locked(const std::shared_ptr<Pipeline>& pipeline) {
  pipelines_.erase(std::remove(pipelines_.begin(), pipelines_.end(), pipeline), pipelines_.end());
  retiring_.push_back(Retiring{pipeline, std::chrono::steady_clock::now() + options_.grace_period});
}

void Runtime::Impl::reap() {
  std::unique_lock lock(mutex_);
  while (!reaper_done_) {
    std::vector<std::shared_ptr<Pipeline>> ended;
    std::vector<std::shared_ptr<Pipeline>> overdue;
    auto next = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    const auto now = std::chrono::steady_clock::now();
    for (auto it = retiring_.begin(); it != retiring_.end();) {
      if (is_terminal(it->pipeline->state())) {
        ended.push_back(std::move(it->pipeline));
        it = retiring_.erase(it);
        continue;
      }
      if (now >= it->deadline) overdue.push_back(it->pipeline);
      next = std::min(next, std::max(it->deadline, now + std::chrono::milliseconds(100)));
      ++it;
    }
    if (!ended.empty() || !overdue.empty()) {
      lock.unlock();
      for (const auto& pipeline : overdue) pipeline->abandon();
      // Joined and freed here: the last reference goes on this thread, never on an I/O thread.
      for (auto& pipeline : ended) pipeline->join();
      ended.clear();
      lock.lock();
      changed_.notify_all();
      continue;
    }
    changed_.wait_until(lock, next);
  }
}

ApplyResult Runtime::Impl::apply_files(std::vector<PipelineSpec> wanted) {
  std::lock_guard reload(reload_mutex_);
  ApplyResult result;
  std::vector<PipelineIdentity> current;
  std::vector<PipelineIdentity> wanted_ids;
  std::map<std::string, std::shared_ptr<Pipeline>> by_name;
  {
    std::lock_guard lock(mutex_);
    if (stop_requested_) {
      result.ok = false;
      result.errors.push_back("the engine is stopping");
      return result;
    }
    for (const auto& pipeline : pipelines_) {
      by_name[pipeline->name()] = pipeline;
      if (origins_[pipeline->name()] == PipelineOrigin::file) {
        // A pipeline that failed (a port taken, a plugin that refused) is started again by a
        // reload even when its file did not change: a null definition never equals a file's.
        const bool failed = pipeline->state() == PipelineState::failed;
        current.push_back({pipeline->name(), failed ? nlohmann::json() : pipeline->spec().definition});
      }
    }
    for (const auto& spec : wanted) {
      const auto found = origins_.find(spec.name);
      if (found != origins_.end() && found->second == PipelineOrigin::api && by_name.contains(spec.name)) {
        result.errors.push_back(spec.location.file + ": pipeline '" + spec.name +
                                "' was created through the admin API; delete it there (DELETE /pipelines/" + spec.name +
                                ") or rename one of them");
      }
    }
  }
  if (!result.errors.empty()) {
    result.ok = false;
    return result;
  }
  for (const auto& spec : wanted) wanted_ids.push_back({spec.name, spec.definition});
  const auto diff = diff_pipelines(current, wanted_ids);
  result.added = diff.added;
  result.removed = diff.removed;
  result.changed = diff.changed;
  result.unchanged = diff.unchanged;
  for (auto& spec : wanted) {
    const bool is_added = std::find(diff.added.begin(), diff.added.end(), spec.name) != diff.added.end();
    const bool is_changed = std::find(diff.changed.begin(), diff.changed.end(), spec.name) != diff.changed.end();
    if (!is_added && !is_changed) continue;
    const auto name = spec.name;
    if (!launch(std::move(spec), PipelineOrigin::file, is_changed ? by_name[name] : nullptr)) {
      result.failed.push_back(name);
    }
  }
  for (const auto& name : diff.removed) {
    {
      std::lock_guard lock(mutex_);
      retire_locked(by_name[name]);
      origins_.erase(name);
    }
    by_name[name]->request_stop();
  }
  changed_.notify_all();
  return result;
}

bool Runtime::Impl::refuse_when_stopping(ApplyResult& result) const {
  std::lock_guard lock(mutex_);
  if (!stop_requested_) return false;
  result.ok = false;
  result.errors.push_back("the engine is stopping");
  return true;
}

ApplyResult Runtime::Impl::create(PipelineSpec spec) {
  std::lock_guard reload(reload_mutex_);
  ApplyResult result;
  if (find(spec.name)) {
    result.ok = false;
    result.errors.push_back("a pipeline named '" + spec.name + "' exists already (use PUT to replace it)");
    return result;
  }
  {
    std::lock_guard lock(mutex_);
    if (stop_requested_) {
      result.ok = false;
      result.errors.push_back("the engine is stopping");
      return result;
    }
  }
  const auto name = spec.name;
  result.added.push_back(name);
  if (!launch(std::move(spec), PipelineOrigin::api, nullptr)) result.failed.push_back(name);
  return result;
}

ApplyResult Runtime::Impl::replace(PipelineSpec spec) {
  std::lock_guard reload(reload_mutex_);
  ApplyResult result;
  if (refuse_when_stopping(result)) return result;
  const auto old = find(spec.name);
  if (!old) {
    result.ok = false;
    result.errors.push_back("no such pipeline: " + spec.name);
    return result;
  }
  const auto name = spec.name;
  const auto origin = origin_of(name);
  if (old->spec().definition == spec.definition && !is_terminal(old->state())) {
    result.unchanged.push_back(name);
    return result;
  }
  result.changed.push_back(name);
  if (!launch(std::move(spec), origin, old)) result.failed.push_back(name);
  return result;
}

ApplyResult Runtime::Impl::restart(const std::string& name) {
  std::lock_guard reload(reload_mutex_);
  ApplyResult result;
  if (refuse_when_stopping(result)) return result;
  const auto old = find(name);
  if (!old) {
    result.ok = false;
    result.errors.push_back("no such pipeline: " + name);
    return result;
  }
  result.changed.push_back(name);
  if (!launch(old->spec(), origin_of(name), old)) result.failed.push_back(name);
  return result;
}

ApplyResult Runtime::Impl::remove(const std::string& name) {
  std::lock_guard reload(reload_mutex_);
  ApplyResult result;
  if (refuse_when_stopping(result)) return result;
  const auto old = find(name);
  if (!old) {
    result.ok = false;
    result.errors.push_back("no such pipeline: " + name);
    return result;
  }
  {
    std::lock_guard lock(mutex_);
    retire_locked(old);
    origins_.erase(name);
  }
  old->request_stop();
  result.removed.push_back(name);
  changed_.notify_all();
  return result;
}

Runtime::Runtime(RuntimeOptions options, const PluginCatalog& catalog)
    : impl_(std::make_unique<Impl>(options, catalog)) {}

Runtime::~Runtime() = default;

boost::asio::io_context& Runtime::io_context() { return impl_->io_context(); }

void Runtime::start(std::vector<PipelineSpec> pipelines) { impl_->start(std::move(pipelines)); }

ApplyResult Runtime::apply_files(std::vector<PipelineSpec> wanted) { return impl_->apply_files(std::move(wanted)); }

ApplyResult Runtime::create(PipelineSpec spec) { return impl_->create(std::move(spec)); }

ApplyResult Runtime::replace(PipelineSpec spec) { return impl_->replace(std::move(spec)); }

ApplyResult Runtime::restart(const std::string& name) { return impl_->restart(name); }

ApplyResult Runtime::remove(const std::string& name) { return impl_->remove(name); }

void Runtime::set_keep_alive(bool keep_alive) { impl_->set_keep_alive(keep_alive); }

std::optional<PipelineSpec> Runtime::spec(const std::string& name) const {
  const auto pipeline = impl_->find(name);
  if (!pipeline) return std::nullopt;
  return pipeline->spec();
}

std::optional<nlohmann::json> Runtime::pipeline_status(const std::string& name) const {
  const auto pipeline = impl_->find(name);
  if (!pipeline) return std::nullopt;
  auto status = to_json(pipeline->snapshot());
  status["origin"] = to_string(impl_->origin_of(name));
  status["taps"] = pipeline->tap_status();
  return status;
}

TapHandle Runtime::attach_tap(const std::string& name, std::size_t stage, std::size_t capacity,
                              std::function<void()> wakeup, std::string& error) {
  const auto pipeline = impl_->find(name);
  if (!pipeline) {
    error = "no such pipeline: " + name;
    return {};
  }
  auto tap = pipeline->attach_tap(stage, capacity, std::move(wakeup));
  if (!tap) {
    error = "pipeline '" + name + "' has no stage " + std::to_string(stage) + " (0 = source output, " +
            std::to_string(pipeline->spec().filters.size()) + " = what the sinks get)";
    return {};
  }
  std::weak_ptr<Pipeline> weak = pipeline;
  const auto* raw = tap.get();
  return {tap, [weak, raw] {
            if (auto alive = weak.lock()) alive->detach_tap(raw);
          }};
}

const char* to_string(PipelineOrigin origin) { return origin == PipelineOrigin::api ? "api" : "file"; }

void Runtime::request_stop() { impl_->request_stop(); }

void Runtime::force_stop() { impl_->force_stop(); }

int Runtime::wait() { return impl_->wait(); }

nlohmann::json Runtime::pipelines_status() const {
  auto result = nlohmann::json::array();
  for (const auto& pipeline : impl_->pipelines()) {
    auto status = to_json(pipeline->snapshot());
    status["origin"] = to_string(impl_->origin_of(pipeline->name()));
    result.push_back(std::move(status));
  }
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
