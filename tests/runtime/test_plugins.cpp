// In-process plugins and helpers for the runtime tests.
#include "test_plugins.hpp"

#include <stdexcept>
#include <thread>
#include <utility>

namespace flowmind::testing {
namespace {

// One factory class for all kinds: the catalog only needs name, kind and create_*().
class LambdaFactory final : public Factory {
 public:
  LambdaFactory(std::string name, PluginKind kind) : name_(std::move(name)), kind_(kind) {
    schema_.allow_unknown_keys();
  }

  [[nodiscard]] std::string_view name() const override { return name_; }
  [[nodiscard]] PluginKind kind() const override { return kind_; }
  [[nodiscard]] std::string_view summary() const override { return "runtime test plugin"; }
  [[nodiscard]] const Schema& schema() const override { return schema_; }

  [[nodiscard]] std::unique_ptr<Source> create_source(const Config& config) const override {
    if (!make_source) return Factory::create_source(config);
    return make_source(config);
  }
  [[nodiscard]] std::unique_ptr<Filter> create_filter(const Config& config) const override {
    if (!make_filter) return Factory::create_filter(config);
    return make_filter(config);
  }
  [[nodiscard]] std::unique_ptr<Sink> create_sink(const Config& config) const override {
    if (!make_sink) return Factory::create_sink(config);
    return make_sink(config);
  }

  TestCatalog::MakeSource make_source;
  TestCatalog::MakeFilter make_filter;
  TestCatalog::MakeSink make_sink;

 private:
  std::string name_;
  PluginKind kind_;
  Schema schema_;
};

}  // namespace

void TestCatalog::add_source(const std::string& name, MakeSource make) {
  auto factory = std::make_unique<LambdaFactory>(name, PluginKind::source);
  factory->make_source = std::move(make);
  factories_[name] = std::move(factory);
}

void TestCatalog::add_filter(const std::string& name, MakeFilter make) {
  auto factory = std::make_unique<LambdaFactory>(name, PluginKind::filter);
  factory->make_filter = std::move(make);
  factories_[name] = std::move(factory);
}

void TestCatalog::add_sink(const std::string& name, MakeSink make) {
  auto factory = std::make_unique<LambdaFactory>(name, PluginKind::sink);
  factory->make_sink = std::move(make);
  factories_[name] = std::move(factory);
}

const Factory* TestCatalog::find(std::string_view name) const {
  auto it = factories_.find(name);
  return it == factories_.end() ? nullptr : it->second.get();
}

std::vector<std::string> TestCatalog::names() const {
  std::vector<std::string> names;
  for (const auto& [name, factory] : factories_) names.push_back(name);
  return names;
}

void Gate::open() {
  {
    std::lock_guard lock(mutex_);
    open_ = true;
  }
  opened_.notify_all();
}

void Gate::wait() {
  std::unique_lock lock(mutex_);
  opened_.wait(lock, [this] { return open_; });
}

void Tally::add(int amount) {
  {
    std::lock_guard lock(mutex_);
    value_ += amount;
  }
  changed_.notify_all();
}

int Tally::value() const {
  std::lock_guard lock(mutex_);
  return value_;
}

bool Tally::wait_for(int target) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, patience, [&] { return value_ >= target; });
}

StageSpec stage(const std::string& type, BufferSpec buffer) {
  StageSpec spec;
  spec.type = type;
  spec.buffer = buffer;
  return spec;
}

PipelineSpec pipeline(const std::string& name, const std::string& source, std::vector<std::string> filters,
                      std::vector<StageSpec> sinks, BufferSpec input) {
  PipelineSpec spec;
  spec.name = name;
  spec.source = stage(source);
  for (const auto& filter : filters) spec.filters.push_back(stage(filter));
  spec.sinks = std::move(sinks);
  spec.buffer = input;
  return spec;
}

Event numbered(int number) { return Event::from_json("test", {{"i", number}}); }

int number_of(const Event& event) { return event.payload().at("i").get<int>(); }

std::unique_ptr<Source> counting_source(int count) {
  return std::make_unique<FnSource>([count](SourceContext& ctx) {
    for (int i = 0; i < count; ++i) {
      if (!ctx.emit(numbered(i))) return;
    }
  });
}

std::unique_ptr<Source> endless_source(std::chrono::milliseconds pause) {
  return std::make_unique<FnSource>([pause](SourceContext& ctx) {
    for (int i = 0; ctx.emit(numbered(i)); ++i) {
      if (ctx.wait_for_stop(pause)) return;
    }
  });
}

std::unique_ptr<Source> emit_then_wait_source(int count, std::shared_ptr<Tally> emitted) {
  return std::make_unique<FnSource>([count, emitted](SourceContext& ctx) {
    for (int i = 0; i < count; ++i) {
      if (!ctx.emit(numbered(i))) return;
      emitted->add();
    }
    while (!ctx.wait_for_stop(std::chrono::hours(1))) {
    }
  });
}

std::size_t SinkRecord::size() const {
  std::lock_guard lock(mutex);
  return events.size();
}

std::vector<int> SinkRecord::numbers() const {
  std::vector<int> result;
  for (const auto& event : snapshot()) result.push_back(number_of(*event));
  return result;
}

std::vector<std::uint64_t> SinkRecord::sequences() const {
  std::vector<std::uint64_t> result;
  for (const auto& event : snapshot()) result.push_back(event->sequence());
  return result;
}

std::vector<EventPtr> SinkRecord::snapshot() const {
  std::lock_guard lock(mutex);
  return events;
}

bool SinkRecord::wait_for_events(std::size_t count) const {
  std::unique_lock lock(mutex);
  return changed.wait_for(lock, patience, [&] { return events.size() >= count; });
}

bool SinkRecord::wait_for_entered(int count) const {
  std::unique_lock lock(mutex);
  return changed.wait_for(lock, patience, [&] { return entered >= count; });
}

void RecordingSink::consume(const EventPtr& event) {
  auto& record = *record_;
  {
    std::lock_guard lock(record.mutex);
    ++record.entered;
    if (++record.active > 1) record.overlapping_consume = true;
    if (record.flushes > 0) record.consume_after_flush = true;
  }
  record.changed.notify_all();
  // Leaves `active` even when the event is refused below.
  struct Leave {
    SinkRecord& record;
    ~Leave() {
      std::lock_guard lock(record.mutex);
      --record.active;
    }
  } leave{record};
  if (record.gate) record.gate->wait();
  if (record.delay.count() > 0) std::this_thread::sleep_for(record.delay);  // a deliberately slow sink
  if (record.fail_if && record.fail_if(*event)) throw std::runtime_error("sink refuses event");
  {
    std::lock_guard lock(record.mutex);
    record.events.push_back(event);
  }
  record.changed.notify_all();
}

void RecordingSink::flush() {
  {
    std::lock_guard lock(record_->mutex);
    ++record_->flushes;
    record_->consumed_at_flush = record_->events.size();
  }
  record_->changed.notify_all();
}

void RecordingSink::stop() {
  {
    std::lock_guard lock(record_->mutex);
    ++record_->stops;
    record_->stopped_after_flush = record_->flushes > 0;
  }
  record_->changed.notify_all();
}

nlohmann::json RecordingSink::status() const {
  std::lock_guard lock(record_->mutex);
  return {{"recorded", record_->events.size()}};
}

std::shared_ptr<SinkRecord> add_recording_sink(TestCatalog& catalog, const std::string& name, bool blocking) {
  auto record = std::make_shared<SinkRecord>();
  record->blocking = blocking;
  catalog.add_sink(name, [record](const Config&) { return std::make_unique<RecordingSink>(record); });
  return record;
}

RuntimeOptions test_options() {
  RuntimeOptions options;
  options.threads = 2;
  options.grace_period = std::chrono::seconds(20);
  options.restart_initial = std::chrono::milliseconds(10);
  options.restart_max = std::chrono::milliseconds(80);
  return options;
}

nlohmann::json pipeline_status(const Runtime& runtime, const std::string& name) {
  for (const auto& entry : runtime.pipelines_status()) {
    if (entry.at("name") == name) return entry;
  }
  throw std::runtime_error("no pipeline named " + name + " in status");
}

nlohmann::json stage_status(const Runtime& runtime, const std::string& name, const std::string& stage_name) {
  const auto status = pipeline_status(runtime, name);
  for (const auto& entry : status.at("stages")) {
    if (entry.at("stage") == stage_name) return entry;
  }
  throw std::runtime_error("no stage " + stage_name + " in pipeline " + name);
}

std::string state_of(const Runtime& runtime, const std::string& name) {
  return pipeline_status(runtime, name).at("state").get<std::string>();
}

std::uint64_t stage_counter(const Runtime& runtime, const std::string& name, const std::string& stage_name,
                            const std::string& counter) {
  return stage_status(runtime, name, stage_name).at(counter).get<std::uint64_t>();
}

std::size_t queue_size(const Runtime& runtime, const std::string& name, const std::string& stage_name) {
  return stage_status(runtime, name, stage_name).at("queue").at("size").get<std::size_t>();
}

}  // namespace flowmind::testing
