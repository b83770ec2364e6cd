// In-process plugins and helpers for the runtime tests: a catalog of lambda factories,
// scriptable sources and filters, a recording sink, gates, and status look-ups.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/pipeline_spec.hpp"
#include "config/plugin_catalog.hpp"
#include "flowmind/plugin.hpp"
#include "runtime/runtime.hpp"

namespace flowmind::testing {

// Generous bound for condition-based waits; a test only takes this long when it is failing.
inline constexpr std::chrono::milliseconds patience{20000};

// A catalog whose factories call the lambdas the test registered.
class TestCatalog final : public PluginCatalog {
 public:
  using MakeSource = std::function<std::unique_ptr<Source>(const Config&)>;
  using MakeFilter = std::function<std::unique_ptr<Filter>(const Config&)>;
  using MakeSink = std::function<std::unique_ptr<Sink>(const Config&)>;

  void add_source(const std::string& name, MakeSource make);
  void add_filter(const std::string& name, MakeFilter make);
  void add_sink(const std::string& name, MakeSink make);

  [[nodiscard]] const Factory* find(std::string_view name) const override;
  [[nodiscard]] std::vector<std::string> names() const override;

 private:
  std::map<std::string, std::unique_ptr<Factory>, std::less<>> factories_;
};

// Holds callers until opened (for sinks and sources the test wants to park).
class Gate {
 public:
  void open();
  void wait();

 private:
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
};

// A counter the test can wait on.
class Tally {
 public:
  void add(int amount = 1);
  [[nodiscard]] int value() const;
  // True once value() >= target (false after `patience`).
  bool wait_for(int target);

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  int value_ = 0;
};

// Pipeline definitions without YAML.
StageSpec stage(const std::string& type, BufferSpec buffer = {});
PipelineSpec pipeline(const std::string& name, const std::string& source, std::vector<std::string> filters,
                      std::vector<StageSpec> sinks, BufferSpec input = {});

// Events carry {"i": n}.
Event numbered(int number);
int number_of(const Event& event);

// A source whose run() and stop() are lambdas.
class FnSource final : public Source {
 public:
  explicit FnSource(std::function<void(SourceContext&)> run, std::function<void()> on_stop = {})
      : run_(std::move(run)), on_stop_(std::move(on_stop)) {}
  void run(SourceContext& ctx) override { run_(ctx); }
  void stop() override {
    if (on_stop_) on_stop_();
  }

 private:
  std::function<void(SourceContext&)> run_;
  std::function<void()> on_stop_;
};

// Emits numbered events 0..count-1 (blocking emit) and returns: a finite source.
std::unique_ptr<Source> counting_source(int count);
// Emits numbered events until asked to stop, pausing `pause` between events.
std::unique_ptr<Source> endless_source(std::chrono::milliseconds pause = std::chrono::milliseconds(2));
// Emits `count` events, adds one to `emitted` per accepted event, then waits for the stop.
std::unique_ptr<Source> emit_then_wait_source(int count, std::shared_ptr<Tally> emitted);

// A filter whose process() is a lambda; start() keeps the context for the lambda to use.
class FnFilter final : public Filter {
 public:
  using Process = std::function<Verdict(Event&, Emitter&, StageContext&)>;
  explicit FnFilter(Process process, nlohmann::json status = nullptr)
      : process_(std::move(process)), status_(std::move(status)) {}
  void start(StageContext& ctx) override { ctx_ = &ctx; }
  Verdict process(Event& event, Emitter& out) override { return process_(event, out, *ctx_); }
  [[nodiscard]] nlohmann::json status() const override { return status_; }

 private:
  Process process_;
  nlohmann::json status_;
  StageContext* ctx_ = nullptr;
};

// What a RecordingSink saw, shared with the test.
struct SinkRecord {
  bool blocking = true;
  std::shared_ptr<Gate> gate;                 // consume() waits on it when set
  std::chrono::milliseconds delay{0};         // per event, for deliberately slow sinks
  std::function<bool(const Event&)> fail_if;  // consume() throws for these events

  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  std::vector<EventPtr> events;  // consumed without throwing, in order
  int entered = 0;               // consume() calls begun
  int active = 0;                // consume() calls in progress
  // Atomic so the test can read them while the sink runs.
  std::atomic<int> flushes{0};
  std::atomic<int> stops{0};
  std::atomic<std::size_t> consumed_at_flush{0};
  std::atomic<bool> stopped_after_flush{false};
  std::atomic<bool> consume_after_flush{false};
  std::atomic<bool> overlapping_consume{false};

  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::vector<int> numbers() const;
  [[nodiscard]] std::vector<std::uint64_t> sequences() const;
  [[nodiscard]] std::vector<EventPtr> snapshot() const;
  bool wait_for_events(std::size_t count) const;
  bool wait_for_entered(int count) const;
};

class RecordingSink final : public Sink {
 public:
  explicit RecordingSink(std::shared_ptr<SinkRecord> record) : record_(std::move(record)) {}
  void consume(const EventPtr& event) override;
  void flush() override;
  void stop() override;
  [[nodiscard]] bool blocking() const override { return record_->blocking; }
  [[nodiscard]] nlohmann::json status() const override;

 private:
  std::shared_ptr<SinkRecord> record_;
};

// Registers a RecordingSink under `name` and returns its record.
std::shared_ptr<SinkRecord> add_recording_sink(TestCatalog& catalog, const std::string& name, bool blocking = true);

RuntimeOptions test_options();

// Look-ups in Runtime::pipelines_status().
nlohmann::json pipeline_status(const Runtime& runtime, const std::string& name);
nlohmann::json stage_status(const Runtime& runtime, const std::string& name, const std::string& stage);
std::string state_of(const Runtime& runtime, const std::string& name);
std::uint64_t stage_counter(const Runtime& runtime, const std::string& name, const std::string& stage,
                            const std::string& counter);
std::size_t queue_size(const Runtime& runtime, const std::string& name, const std::string& stage);

}  // namespace flowmind::testing
