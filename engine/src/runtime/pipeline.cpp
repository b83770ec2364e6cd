// A pipeline's life: plugin creation, the source thread with restarts, the filter strand, shutdown.
#include "runtime/pipeline.hpp"

#include <algorithm>
#include <exception>
#include <stdexcept>
#include <utility>

#include <boost/asio/post.hpp>

namespace flowmind {
namespace {

// Input events handled per strand turn before yielding to other pipelines on the pool.
constexpr int pump_batch = 64;

bool is_fatal(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const FatalSourceError&) {
    return true;
  } catch (...) {
    return false;
  }
}

std::string describe(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

// Why a stage could not be set up, already formatted as "<stage> (<type>): <what>".
class StageSetupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <typename Fn>
auto for_stage(const std::string& stage, const std::string& type, const char* action, Fn&& fn) {
  try {
    return fn();
  } catch (const StageSetupError&) {
    throw;
  } catch (...) {
    throw StageSetupError(stage + " (" + type + "): " + action + ": " + describe(std::current_exception()));
  }
}

const Factory& find_factory(const PluginCatalog& catalog, const std::string& stage, const StageSpec& spec) {
  const Factory* factory = catalog.find(spec.type);
  if (factory == nullptr) throw StageSetupError(stage + ": unknown plugin type '" + spec.type + "'");
  return *factory;
}

template <typename T>
std::unique_ptr<T> not_null(std::unique_ptr<T> plugin) {
  if (!plugin) throw PluginError("the factory returned no instance");
  return plugin;
}

nlohmann::json plugin_status(const auto* plugin) {
  if (plugin == nullptr) return nullptr;
  try {
    return plugin->status();
  } catch (...) {
    return {{"error", describe(std::current_exception())}};
  }
}

}  // namespace

Pipeline::Pipeline(PipelineSpec spec, const RuntimeOptions& options, boost::asio::io_context& io,
                   std::function<void()> on_change)
    : spec_(std::move(spec)),
      options_(options),
      io_(io),
      on_change_(std::move(on_change)),
      log_(spec_.name),
      strand_(boost::asio::make_strand(io)) {
  stages_.push_back(std::make_unique<StageInfo>("source", spec_.source.type));
  for (std::size_t i = 0; i < spec_.filters.size(); ++i) {
    stages_.push_back(std::make_unique<StageInfo>("filter[" + std::to_string(i) + "]", spec_.filters[i].type));
  }
  for (std::size_t i = 0; i < spec_.sinks.size(); ++i) {
    stages_.push_back(std::make_unique<StageInfo>("sink[" + std::to_string(i) + "]", spec_.sinks[i].type));
  }
  input_ = std::make_unique<InputChannel>(spec_.buffer, source_stage().metrics, [this] { kick(); });
  source_context_ = std::make_unique<SourceContextImpl>(spec_.name, source_stage().metrics, io_, *input_);
  for (std::size_t i = 0; i < spec_.filters.size(); ++i) {
    auto& stage = filter_stage(i);
    contexts_.push_back(std::make_unique<StageContextImpl>(spec_.name, stage.name, stage.metrics, io_));
  }
  for (std::size_t i = 0; i < spec_.sinks.size(); ++i) {
    auto& stage = sink_stage(i);
    contexts_.push_back(std::make_unique<SinkContextImpl>(spec_.name, stage.name, stage.metrics, io_, *this, i));
  }
  sink_demand_.assign(spec_.sinks.size(), 0);
  chain_.set_taps(&taps_);
}

std::shared_ptr<TapSubscription> Pipeline::attach_tap(std::size_t stage, std::size_t capacity,
                                                      std::function<void()> wakeup) {
  if (stage > spec_.filters.size()) return nullptr;
  auto tap = std::make_shared<TapSubscription>(stage, capacity);
  tap->set_wakeup(std::move(wakeup));
  taps_.attach(tap);
  if (is_terminal(state())) taps_.end_all();
  return tap;
}

nlohmann::json Pipeline::tap_status() const { return {{"attached", taps_.attached()}, {"dropped", taps_.dropped()}}; }

Pipeline::~Pipeline() {
  join();
  // Normally the strand stopped the filters already; this covers a strand that never ran again.
  chain_.stop_all();
}

void Pipeline::start(const PluginCatalog& catalog) {
  {
    std::lock_guard lock(mutex_);
    started_at_ = std::chrono::steady_clock::now();
  }
  try {
    create_and_start(catalog);
  } catch (const StageSetupError& error) {
    fail(error.what());
    return;
  } catch (...) {
    // Threads could not be created: take down whatever was launched.
    const auto reason = describe(std::current_exception());
    fail("cannot start: " + reason);
    stop_requested_ = abandoned_ = true;
    stop_source();
    for (auto& sink : sinks_) {
      sink->abandon();
      sink->abandon_unlaunched();
    }
    return;
  }
  log_.info("running");
}

void Pipeline::create_and_start(const PluginCatalog& catalog) {
  const auto& source_spec = spec_.source;
  const auto& source_factory = find_factory(catalog, "source", source_spec);
  auto source = for_stage("source", source_spec.type, "cannot create",
                          [&] { return not_null(source_factory.create_source(source_spec.config)); });

  std::vector<std::unique_ptr<Filter>> filters;
  for (std::size_t i = 0; i < spec_.filters.size(); ++i) {
    const auto& stage = filter_stage(i);
    const auto& factory = find_factory(catalog, stage.name, spec_.filters[i]);
    filters.push_back(for_stage(stage.name, stage.type, "cannot create",
                                [&] { return not_null(factory.create_filter(spec_.filters[i].config)); }));
  }
  std::vector<std::unique_ptr<Sink>> sinks;
  for (std::size_t i = 0; i < spec_.sinks.size(); ++i) {
    const auto& stage = sink_stage(i);
    const auto& factory = find_factory(catalog, stage.name, spec_.sinks[i]);
    sinks.push_back(for_stage(stage.name, stage.type, "cannot create",
                              [&] { return not_null(factory.create_sink(spec_.sinks[i].config)); }));
  }

  // Start filters, then sinks; if one refuses, the ones already started are stopped again.
  std::size_t started = 0;
  const auto stage_count = filters.size() + sinks.size();
  try {
    for (; started < stage_count; ++started) {
      auto& context = *contexts_[started];
      const auto& stage = *stages_[1 + started];
      for_stage(stage.name, stage.type, "cannot start", [&] {
        if (started < filters.size()) {
          filters[started]->start(context);
        } else {
          sinks[started - filters.size()]->start(context);
        }
      });
    }
  } catch (...) {
    while (started-- > 0) {
      try {
        if (started < filters.size()) {
          filters[started]->stop();
        } else {
          sinks[started - filters.size()]->stop();
        }
      } catch (...) {
        contexts_[started]->log().error("stop failed: " + describe(std::current_exception()));
      }
    }
    throw;
  }

  source_factory_ = &source_factory;
  {
    std::lock_guard lock(source_mutex_);
    source_ = std::move(source);
  }
  source_active_ = !spec_.on_demand;
  for (std::size_t i = 0; i < filters.size(); ++i) {
    chain_.add(std::move(filters[i]), filter_stage(i).metrics, contexts_[i]->log());
  }
  for (std::size_t i = 0; i < sinks.size(); ++i) {
    SinkRunner::Hooks hooks{[this] { kick(); }, [this] { on_sink_finished(); }};
    sinks_.push_back(std::make_unique<SinkRunner>(std::move(sinks[i]), spec_.sinks[i].buffer, sink_stage(i).metrics,
                                                  contexts_[filters.size() + i]->log(), io_, work_, std::move(hooks)));
  }
  sinks_running_ = sinks_.size();
  for (auto& sink : sinks_) sink->launch();
  transition({PipelineState::starting}, PipelineState::running);
  if (spec_.on_demand) {
    log_.info("on_demand: the source starts when a consumer connects (linger " +
              std::to_string(spec_.on_demand_linger.count()) + " ms)");
    demand_thread_ = std::thread([this] { watch_demand(); });
  }
  source_thread_ = std::thread([this] { run_source(); });
}

void Pipeline::fail(const std::string& reason) {
  {
    std::lock_guard lock(mutex_);
    error_ = reason;
  }
  log_.error("failed: " + reason);
  finish(PipelineState::failed);
}

void Pipeline::run_source() {
  for (;;) {
    if (spec_.on_demand && !await_demand()) break;
    if (run_source_instance() != SourceEnd::released) break;
    retire_source();
  }
  transition({PipelineState::running, PipelineState::restarting}, PipelineState::draining);
  // A stop request in progress finishes its Source::stop() call before the pipeline can end.
  { std::lock_guard lock(source_stop_mutex_); }
  // Set after the last emit() returned: a pump that sees it and then an empty queue is done.
  source_done_ = true;
  kick();
}

Pipeline::SourceEnd Pipeline::run_source_instance() {
  auto& metrics = source_stage().metrics;
  auto& log = source_context_->log();
  const auto source = current_source();
  auto backoff = options_.restart_initial;
  for (;;) {
    const auto began = std::chrono::steady_clock::now();
    std::exception_ptr failure;
    try {
      source->run(*source_context_);
    } catch (...) {
      failure = std::current_exception();
    }
    if (input_->pipeline_stopping() || input_->released()) {
      if (failure) log.warn("run() failed while stopping: " + describe(failure));
      return input_->pipeline_stopping() ? SourceEnd::stopping : SourceEnd::released;
    }
    if (failure && is_fatal(failure)) {
      // Retrying cannot help (e.g. a rejected token): the pipeline drains and ends as failed.
      metrics.failed.fetch_add(1, std::memory_order_relaxed);
      {
        std::lock_guard lock(mutex_);
        error_ = "source (" + spec_.source.type + "): " + describe(failure);
      }
      log.error("run() failed, not retrying: " + describe(failure));
      source_fatal_ = true;
      return SourceEnd::fatal;
    }
    if (!failure) {
      finished_naturally_ = true;
      log.info("finished");
      return SourceEnd::finished;
    }
    metrics.failed.fetch_add(1, std::memory_order_relaxed);
    restarts_.fetch_add(1, std::memory_order_relaxed);
    // A source that ran for a long while before failing starts its backoff over.
    if (std::chrono::steady_clock::now() - began >= options_.restart_max) backoff = options_.restart_initial;
    log.error("run() failed: " + describe(failure) + "; restarting in " + std::to_string(backoff.count()) + " ms");
    transition({PipelineState::running}, PipelineState::restarting);
    const bool ended = input_->wait_for_stop(backoff);
    transition({PipelineState::restarting}, PipelineState::running);
    if (ended) return input_->pipeline_stopping() ? SourceEnd::stopping : SourceEnd::released;
    backoff = std::min(backoff * 2, std::max(options_.restart_max, options_.restart_initial));
  }
}

bool Pipeline::await_demand() {
  auto& log = source_context_->log();
  auto backoff = options_.restart_initial;
  for (;;) {
    {
      std::unique_lock lock(demand_mutex_);
      demand_changed_.wait(lock, [this] { return source_wanted_ || demand_stop_; });
      if (demand_stop_) return false;
      // Rearmed while the demand is known to be there: a release decided later still applies.
      input_->rearm_source();
    }
    if (current_source()) break;
    try {
      auto fresh = not_null(source_factory_->create_source(spec_.source.config));
      std::lock_guard stop_lock(source_stop_mutex_);
      std::lock_guard lock(source_mutex_);
      source_ = std::move(fresh);
      instance_stop_called_ = false;
      break;
    } catch (...) {
      source_stage().metrics.failed.fetch_add(1, std::memory_order_relaxed);
      log.error("cannot create the source: " + describe(std::current_exception()) + "; retrying in " +
                std::to_string(backoff.count()) + " ms");
      if (input_->wait_for_stop(backoff) && input_->pipeline_stopping()) return false;
      backoff = std::min(backoff * 2, std::max(options_.restart_max, options_.restart_initial));
    }
  }
  source_active_ = true;
  log.info("consumer connected: source running (on_demand)");
  return true;
}

void Pipeline::watch_demand() {
  std::unique_lock lock(demand_mutex_);
  while (!demand_stop_) {
    if (total_demand_ > 0 || !source_wanted_) {
      demand_changed_.wait(lock);
      continue;
    }
    // Wanted, but the last consumer left: linger against churn, then release the source.
    const bool back =
        demand_changed_.wait_for(lock, spec_.on_demand_linger, [this] { return total_demand_ > 0 || demand_stop_; });
    if (back) continue;
    source_wanted_ = false;
    lock.unlock();
    release_source();
    lock.lock();
  }
}

void Pipeline::set_sink_demand(std::size_t sink, std::size_t consumers) {
  {
    std::lock_guard lock(demand_mutex_);
    if (sink >= sink_demand_.size()) return;
    total_demand_ = total_demand_ - sink_demand_[sink] + consumers;
    sink_demand_[sink] = consumers;
    if (spec_.on_demand && total_demand_ > 0) source_wanted_ = true;
  }
  demand_changed_.notify_all();
}

void Pipeline::release_source() {
  std::lock_guard lock(source_stop_mutex_);
  if (stop_requested_) return;
  input_->release_source();
  if (source_ && !instance_stop_called_) {
    source_context_->log().info("no consumer for " + std::to_string(spec_.on_demand_linger.count()) +
                                " ms: source stopped until one connects (on_demand)");
  }
  stop_instance_locked();
}

void Pipeline::stop_instance_locked() {
  if (!source_ || instance_stop_called_) return;
  instance_stop_called_ = true;
  try {
    source_->stop();
  } catch (...) {
    source_context_->log().error("stop failed: " + describe(std::current_exception()));
  }
}

void Pipeline::retire_source() {
  std::shared_ptr<Source> retired;
  {
    std::lock_guard stop_lock(source_stop_mutex_);
    std::lock_guard lock(source_mutex_);
    retired = std::move(source_);
  }
  source_active_ = false;
  // Destroyed outside the locks: a source may join its own threads on the way out.
  retired.reset();
}

std::shared_ptr<Source> Pipeline::current_source() const {
  std::lock_guard lock(source_mutex_);
  return source_;
}

void Pipeline::stop_source() {
  // Held from the moment stopping() turns true until Source::stop() returned, so the source
  // thread cannot report done (and the pipeline end) while stop() is still running.
  std::lock_guard lock(source_stop_mutex_);
  input_->request_stop();
  {
    std::lock_guard demand_lock(demand_mutex_);
    demand_stop_ = true;
  }
  demand_changed_.notify_all();
  stop_instance_locked();
}

bool Pipeline::reconnect_source() {
  // The same lock as stop_source(): reconnect() never overlaps the source's stop().
  std::lock_guard lock(source_stop_mutex_);
  const auto current = state();
  if (stop_requested_ || (current != PipelineState::running && current != PipelineState::restarting)) return false;
  if (!source_ || !source_active_ || input_->released()) return false;
  try {
    const bool done = source_->reconnect();
    if (done) source_context_->log().info("reconnect requested");
    return done;
  } catch (...) {
    source_context_->log().error("reconnect failed: " + describe(std::current_exception()));
    return false;
  }
}

void Pipeline::kick() {
  boost::asio::post(strand_, work_.track([this] { pump(); }));
}

void Pipeline::pump() {
  if (abandoned_) {
    drop_outbox();
    chain_.stop_all();
    return;
  }
  for (int budget = pump_batch; budget > 0; --budget) {
    if (!deliver()) return;  // a full `block` sink posts kick() once it has room
    const bool source_done = source_done_;
    auto event = input_->pop();  // when empty, the next accepted event posts kick()
    if (!event) {
      if (source_done) close_sinks();
      return;
    }
    chain_.run(std::move(*event), produced_);
    for (auto& output : produced_) outbox_.push_back(Outgoing{std::make_shared<const Event>(std::move(output)), 0});
    produced_.clear();
  }
  kick();
}

bool Pipeline::deliver() {
  while (!outbox_.empty()) {
    auto& next = outbox_.front();
    for (; next.next_sink < sinks_.size(); ++next.next_sink) {
      if (sinks_[next.next_sink]->offer(next.event) == SinkRunner::Offer::full) return false;
    }
    outbox_.pop_front();
  }
  return true;
}

void Pipeline::drop_outbox() {
  for (const auto& pending : outbox_) {
    for (auto i = pending.next_sink; i < sinks_.size(); ++i) sinks_[i]->count_abandoned(1);
  }
  outbox_.clear();
}

void Pipeline::close_sinks() {
  if (sinks_closed_) return;
  sinks_closed_ = true;
  chain_.stop_all();
  for (auto& sink : sinks_) sink->close();
  if (sinks_.empty()) finish(ending_state());
}

void Pipeline::on_sink_finished() {
  if (sinks_running_.fetch_sub(1) == 1) {
    finish(ending_state());
    { std::lock_guard lock(mutex_); }
    sinks_done_.notify_all();
  }
}

void Pipeline::request_stop() {
  if (stop_requested_.exchange(true) || is_terminal(state())) return;
  transition({PipelineState::starting, PipelineState::running, PipelineState::restarting}, PipelineState::draining);
  log_.info("stopping");
  stop_source();
}

void Pipeline::abandon() {
  if (is_terminal(state()) || abandoned_.exchange(true)) return;
  stop_requested_ = true;
  stop_source();
  const auto before = source_stage().metrics.dropped.load();
  input_->abandon();
  auto abandoned = source_stage().metrics.dropped.load() - before;
  for (std::size_t i = 0; i < sinks_.size(); ++i) {
    const auto sink_before = sink_stage(i).metrics.dropped.load();
    sinks_[i]->abandon();
    abandoned += sink_stage(i).metrics.dropped.load() - sink_before;
  }
  kick();  // the strand drops what it holds and stops the filters
  log_.warn("stopped without draining; " + std::to_string(abandoned) + " queued events abandoned");
  finish(PipelineState::stopped);
}

void Pipeline::join() {
  if (source_thread_.joinable()) source_thread_.join();
  if (demand_thread_.joinable()) demand_thread_.join();
  for (auto& sink : sinks_) sink->join();
  {
    std::unique_lock lock(mutex_);
    sinks_done_.wait(lock, [this] { return sinks_running_.load() == 0; });
  }
  // The pipeline may be freed once this returns (a reload retires it while the engine runs):
  // a pump or a sink drain still queued on the strands would run on freed memory.
  work_.wait_idle();
}

bool Pipeline::transition(std::initializer_list<PipelineState> from, PipelineState to) {
  auto current = state_.load(std::memory_order_acquire);
  do {
    if (std::find(from.begin(), from.end(), current) == from.end()) return false;
  } while (!state_.compare_exchange_weak(current, to, std::memory_order_acq_rel));
  return true;
}

PipelineState Pipeline::ending_state() const {
  if (source_fatal_) return PipelineState::failed;
  return finished_naturally_ ? PipelineState::finished : PipelineState::stopped;
}

bool Pipeline::finish(PipelineState terminal) {
  {
    std::lock_guard lock(mutex_);
    auto current = state_.load(std::memory_order_acquire);
    do {
      if (is_terminal(current)) return false;
    } while (!state_.compare_exchange_weak(current, terminal, std::memory_order_acq_rel));
    ended_at_ = std::chrono::steady_clock::now();
  }
  if (terminal != PipelineState::failed) log_.info(to_string(terminal));
  taps_.end_all();
  on_change_();
  return true;
}

PipelineSnapshot Pipeline::snapshot() const {
  PipelineSnapshot snapshot;
  snapshot.name = spec_.name;
  snapshot.source_restarts = restarts_.load();
  if (spec_.on_demand) {
    std::lock_guard lock(demand_mutex_);
    snapshot.demand = DemandSnapshot{total_demand_, source_active_.load(), spec_.on_demand_linger};
  }
  {
    std::lock_guard lock(mutex_);
    snapshot.state = state();
    snapshot.error = error_;
    const auto end = is_terminal(snapshot.state) ? ended_at_ : std::chrono::steady_clock::now();
    if (started_at_ != std::chrono::steady_clock::time_point{}) {
      snapshot.uptime_seconds = std::chrono::duration<double>(end - started_at_).count();
    }
  }
  const auto filter_count = spec_.filters.size();
  for (std::size_t i = 0; i < stages_.size(); ++i) {
    const auto& info = *stages_[i];
    StageSnapshot stage;
    stage.stage = info.name;
    stage.type = info.type;
    stage.in = info.metrics.in.load();
    stage.out = info.metrics.out.load();
    stage.filtered = info.metrics.filtered.load();
    stage.dropped = info.metrics.dropped.load();
    stage.failed = info.metrics.failed.load();
    stage.counters = info.metrics.custom_values();
    if (i == 0) {
      stage.queue = QueueSnapshot{input_->capacity(), input_->policy(), input_->size()};
      stage.status = plugin_status(current_source().get());
    } else if (i <= filter_count) {
      stage.is_filter = true;
      if (chain_.size() == filter_count) stage.status = plugin_status(&chain_.filter(i - 1));
    } else {
      const auto sink = i - 1 - filter_count;
      const auto& buffer = spec_.sinks[sink].buffer;
      if (sink < sinks_.size()) {
        const auto& runner = *sinks_[sink];
        stage.queue = QueueSnapshot{runner.capacity(), runner.policy(), runner.size()};
        stage.status = plugin_status(&runner.sink());
      } else {
        stage.queue = QueueSnapshot{std::max<std::size_t>(1, buffer.max_events), buffer.when_full, 0};
      }
    }
    snapshot.stages.push_back(std::move(stage));
  }
  return snapshot;
}

nlohmann::json Pipeline::source_status() const {
  const auto current = state();
  std::string shown = to_string(current);
  if (!is_terminal(current) && spec_.on_demand && !source_active_) shown = "idle";
  return {{"type", spec_.source.type}, {"state", shown}, {"status", plugin_status(current_source().get())}};
}

void SinkContextImpl::set_demand(std::size_t consumers) { owner_.set_sink_demand(sink_index_, consumers); }

bool SinkContextImpl::request_reconnect() { return owner_.reconnect_source(); }

nlohmann::json SinkContextImpl::source_status() const { return owner_.source_status(); }

}  // namespace flowmind
