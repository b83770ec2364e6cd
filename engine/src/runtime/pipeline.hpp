// One running pipeline: source thread, input queue, filter chain on a strand, sink runners.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include "config/pipeline_spec.hpp"
#include "config/plugin_catalog.hpp"
#include "log/logging.hpp"
#include "runtime/filter_chain.hpp"
#include "runtime/input_channel.hpp"
#include "runtime/pipeline_snapshot.hpp"
#include "runtime/pipeline_state.hpp"
#include "runtime/runtime.hpp"
#include "runtime/sink_context.hpp"
#include "runtime/sink_runner.hpp"
#include "runtime/source_context.hpp"
#include "runtime/stage_context.hpp"
#include "runtime/tap.hpp"

namespace flowmind {

// Flow: the source thread emits into the input queue; the pipeline's strand pops events, runs
// the filter chain, freezes the survivors into EventPtr and offers each, in order, to every
// sink's queue. When a `block` sink queue is full the strand parks the event (at most the
// outputs of one input event) and stops popping until that sink resumes it, so the input queue
// fills and the source waits in emit() on its own thread: nothing blocks an Asio thread.
class Pipeline {
 public:
  // `on_change` is called (from any thread) after the pipeline reached a terminal state.
  Pipeline(PipelineSpec spec, const RuntimeOptions& options, boost::asio::io_context& io,
           std::function<void()> on_change);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Creates and starts the plugins, then the sink consumers and the source thread. Never
  // throws: on failure the pipeline is `failed` with the reason as its error.
  void start(const PluginCatalog& catalog);
  // Marks a pipeline that was never started as failed.
  void fail(const std::string& reason);
  // Graceful: the source stops, accepted events drain to the sinks, sinks flush and stop.
  void request_stop();
  // Immediate: queued events are dropped (counted); the pipeline is stopped at once, its
  // threads finish the call they are in and then end.
  void abandon();
  // Waits for the source thread, for every sink to be flushed and stopped, and for the handlers
  // it posted to run; then it may be freed. Only after the pipeline is terminal, while the I/O
  // threads still run (a source or sink that never returns makes this wait forever).
  void join();

  // Asks a running source to drop and re-establish its upstream connection (Source::reconnect);
  // false when the pipeline is not running or its source has nothing to reconnect.
  bool reconnect_source();

  // PipelineControl of sink `sink` (SDK 1.2): its number of consumers. With on_demand the source
  // runs while the pipeline's total is above zero, and stops `on_demand_linger` after it fell to 0.
  void set_sink_demand(std::size_t sink, std::size_t consumers);
  // {"type", "state", "status"} of the source, for sinks that show their upstream.
  [[nodiscard]] nlohmann::json source_status() const;

  // A live tap of `stage` (0 = source output, i = after filter i; filters().size() = what the
  // sinks get); null when the stage does not exist. It ends when this instance ends. `wakeup`:
  // see TapSubscription::set_wakeup.
  std::shared_ptr<TapSubscription> attach_tap(std::size_t stage, std::size_t capacity, std::function<void()> wakeup);
  void detach_tap(const TapSubscription* tap) { taps_.detach(tap); }
  // {"attached": n, "dropped": n}: taps now, and events they lost (not the pipeline's).
  [[nodiscard]] nlohmann::json tap_status() const;

  [[nodiscard]] const std::string& name() const { return spec_.name; }
  [[nodiscard]] const PipelineSpec& spec() const { return spec_; }
  [[nodiscard]] PipelineState state() const { return state_.load(std::memory_order_acquire); }
  [[nodiscard]] PipelineSnapshot snapshot() const;

 private:
  struct StageInfo {
    StageInfo(std::string stage_name, std::string stage_type)
        : name(std::move(stage_name)), type(std::move(stage_type)) {}
    std::string name;
    std::string type;
    StageMetrics metrics;
  };
  struct Outgoing {
    EventPtr event;
    std::size_t next_sink = 0;
  };

  StageInfo& source_stage() { return *stages_.front(); }
  StageInfo& filter_stage(std::size_t index) { return *stages_[1 + index]; }
  StageInfo& sink_stage(std::size_t index) { return *stages_[1 + spec_.filters.size() + index]; }

  enum class SourceEnd { stopping, released, finished, fatal };

  void create_and_start(const PluginCatalog& catalog);
  void run_source();
  // One source instance's life: run() with restarts and backoff until it ends for good.
  SourceEnd run_source_instance();
  // on_demand: waits for a consumer, then makes sure an instance exists; false when stopping.
  bool await_demand();
  // on_demand: the linger timer, on a thread of its own while the pipeline runs.
  void watch_demand();
  // on_demand: ends the current run() without stopping the pipeline; retire_source() then
  // destroys the instance so its upstream subscriptions go with it.
  void release_source();
  void retire_source();
  // Calls the current instance's Source::stop() once; source_stop_mutex_ must be held.
  void stop_instance_locked();
  [[nodiscard]] std::shared_ptr<Source> current_source() const;
  // Makes the source's stopping() true, then calls Source::stop() once.
  void stop_source();
  void kick();
  void pump();
  bool deliver();
  void drop_outbox();
  void close_sinks();
  void on_sink_finished();
  bool transition(std::initializer_list<PipelineState> from, PipelineState to);
  bool finish(PipelineState terminal);
  [[nodiscard]] PipelineState ending_state() const;

  PipelineSpec spec_;
  RuntimeOptions options_;
  boost::asio::io_context& io_;
  std::function<void()> on_change_;
  StageLogger log_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  PendingWork work_;  // handlers posted to the strands above and the sinks'; join() waits for them

  std::vector<std::unique_ptr<StageInfo>> stages_;  // source, filters..., sinks...
  std::unique_ptr<InputChannel> input_;
  std::unique_ptr<SourceContextImpl> source_context_;
  std::vector<std::unique_ptr<StageContextImpl>> contexts_;  // filters..., sinks...
  const Factory* source_factory_ = nullptr;
  std::shared_ptr<Source> source_;  // guarded by source_mutex_ (replaced by on_demand runs)
  mutable std::mutex source_mutex_;
  TapHub taps_;  // declared before chain_, which points to it
  FilterChain chain_;
  std::vector<std::unique_ptr<SinkRunner>> sinks_;
  std::thread source_thread_;
  std::thread demand_thread_;  // on_demand only

  std::atomic<PipelineState> state_{PipelineState::starting};
  std::atomic<std::uint64_t> restarts_{0};
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> abandoned_{false};
  bool instance_stop_called_ = false;       // guarded by source_stop_mutex_
  std::atomic<bool> source_active_{false};  // an instance exists and is meant to run
  std::atomic<bool> finished_naturally_{false};
  std::atomic<bool> source_fatal_{false};  // run() threw FatalSourceError
  std::atomic<bool> source_done_{false};
  std::atomic<std::size_t> sinks_running_{0};

  std::mutex source_stop_mutex_;

  // on_demand bookkeeping.
  mutable std::mutex demand_mutex_;
  std::condition_variable demand_changed_;
  std::vector<std::size_t> sink_demand_;
  std::size_t total_demand_ = 0;
  bool source_wanted_ = false;
  bool demand_stop_ = false;
  mutable std::mutex mutex_;
  std::condition_variable sinks_done_;
  std::string error_;
  std::chrono::steady_clock::time_point started_at_;
  std::chrono::steady_clock::time_point ended_at_;

  // Touched only on the strand.
  std::deque<Outgoing> outbox_;
  std::vector<Event> produced_;
  bool sinks_closed_ = false;
};

}  // namespace flowmind
