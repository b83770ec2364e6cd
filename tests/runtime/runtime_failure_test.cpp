// Containment: throwing filters, sinks and sources, failed creation, and isolation between pipelines.
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/runtime.hpp"
#include "test_plugins.hpp"
#include "test_support.hpp"

namespace flowmind::testing {
namespace {

std::unique_ptr<Filter> throw_on_odd() {
  return std::make_unique<FnFilter>([](Event& event, Emitter&, StageContext&) {
    if (number_of(event) % 2 == 1) throw std::runtime_error("odd events are not welcome");
    return Filter::Verdict::keep;
  });
}

TEST(RuntimeFailureTest, AThrowingFilterFailsOnlyThatEvent) {
  TestCatalog catalog;
  auto emitted = std::make_shared<Tally>();
  catalog.add_source("ten", [emitted](const Config&) { return emit_then_wait_source(10, emitted); });
  catalog.add_filter("picky", [](const Config&) { return throw_on_odd(); });
  auto record = add_recording_sink(catalog, "rec");
  Runtime runtime(test_options(), catalog);
  runtime.start({pipeline("picky", "ten", {"picky"}, {stage("rec")})});

  ASSERT_TRUE(wait_until([&] { return stage_counter(runtime, "picky", "filter[0]", "in") == 10; }, patience));
  ASSERT_TRUE(record->wait_for_events(5));
  EXPECT_EQ(stage_counter(runtime, "picky", "filter[0]", "failed"), 5U);
  EXPECT_EQ(stage_counter(runtime, "picky", "filter[0]", "out"), 5U);
  EXPECT_EQ(state_of(runtime, "picky"), "running");
  EXPECT_EQ(record->numbers(), (std::vector<int>{0, 2, 4, 6, 8}));

  runtime.request_stop();
  EXPECT_EQ(runtime.wait(), 0);
  EXPECT_EQ(state_of(runtime, "picky"), "stopped");
}

TEST(RuntimeFailureTest, AThrowingNonBlockingSinkFailsOnlyThatEvent) {
  TestCatalog catalog;
  auto emitted = std::make_shared<Tally>();
  catalog.add_source("ten", [emitted](const Config&) { return emit_then_wait_source(10, emitted); });
  auto picky = add_recording_sink(catalog, "picky", false);
  picky->fail_if = [](const Event& event) { return number_of(event) % 2 == 1; };
  auto other = add_recording_sink(catalog, "other", false);
  Runtime runtime(test_options(), catalog);
  runtime.start({pipeline("sinks", "ten", {}, {stage("picky"), stage("other")})});

  ASSERT_TRUE(wait_until(
      [&] {
        return stage_counter(runtime, "sinks", "sink[0]", "failed") +
                   stage_counter(runtime, "sinks", "sink[0]", "out") ==
               10;
      },
      patience));
  ASSERT_TRUE(other->wait_for_events(10));
  EXPECT_EQ(stage_counter(runtime, "sinks", "sink[0]", "failed"), 5U);
  EXPECT_EQ(stage_counter(runtime, "sinks", "sink[0]", "out"), 5U);
  EXPECT_EQ(picky->numbers(), (std::vector<int>{0, 2, 4, 6, 8}));
  EXPECT_EQ(other->size(), 10U);
  EXPECT_EQ(state_of(runtime, "sinks"), "running");

  runtime.request_stop();
  EXPECT_EQ(runtime.wait(), 0);
  EXPECT_FALSE(picky->overlapping_consume);
  EXPECT_EQ(picky->flushes.load(), 1);
}

TEST(RuntimeFailureTest, ASourceThatThrowsIsRestartedWithGrowingBackoff) {
  TestCatalog catalog;
  auto mutex = std::make_shared<std::mutex>();
  auto attempts = std::make_shared<std::vector<std::chrono::steady_clock::time_point>>();
  catalog.add_source("flaky", [mutex, attempts](const Config&) {
    return std::make_unique<FnSource>([mutex, attempts](SourceContext& ctx) {
      std::size_t attempt = 0;
      {
        std::lock_guard lock(*mutex);
        attempts->push_back(std::chrono::steady_clock::now());
        attempt = attempts->size();
      }
      if (attempt <= 2) throw std::runtime_error("upstream refused attempt " + std::to_string(attempt));
      for (int i = 0; i < 5; ++i) ctx.emit(numbered(i));
    });
  });
  auto record = add_recording_sink(catalog, "rec");
  auto options = test_options();
  options.restart_initial = std::chrono::milliseconds(30);
  options.restart_max = std::chrono::milliseconds(1000);
  Runtime runtime(options, catalog);
  runtime.start({pipeline("flaky", "flaky", {}, {stage("rec")})});

  EXPECT_EQ(runtime.wait(), 0);
  EXPECT_EQ(state_of(runtime, "flaky"), "finished");
  EXPECT_EQ(pipeline_status(runtime, "flaky").at("source_restarts"), 2);
  EXPECT_EQ(stage_counter(runtime, "flaky", "source", "failed"), 2U);
  EXPECT_EQ(record->numbers(), (std::vector<int>{0, 1, 2, 3, 4}));
  std::lock_guard lock(*mutex);
  ASSERT_EQ(attempts->size(), 3U);
  // The backoff is a lower bound the runtime guarantees: 30 ms, then doubled.
  EXPECT_GE((*attempts)[1] - (*attempts)[0], std::chrono::milliseconds(30));
  EXPECT_GE((*attempts)[2] - (*attempts)[1], std::chrono::milliseconds(60));
}

TEST(RuntimeFailureTest, APipelineWhoseSinkCannotBeCreatedFailsAndTheOthersRun) {
  TestCatalog catalog;
  catalog.add_source("count", [](const Config&) { return counting_source(30); });
  catalog.add_sink("broken", [](const Config&) -> std::unique_ptr<Sink> {
    throw PluginError("cannot open /nonexistent/out.jsonl");
  });
  catalog.add_sink("empty", [](const Config&) -> std::unique_ptr<Sink> { return nullptr; });
  auto record = add_recording_sink(catalog, "rec");
  Runtime runtime(test_options(), catalog);
  runtime.start({pipeline("broken", "count", {}, {stage("rec"), stage("broken")}),
                 pipeline("healthy", "count", {}, {stage("rec")}), pipeline("empty", "count", {}, {stage("empty")}),
                 pipeline("unknown", "count", {"no_such_filter"}, {stage("rec")})});

  EXPECT_EQ(runtime.wait(), 1);
  EXPECT_EQ(state_of(runtime, "healthy"), "finished");
  EXPECT_EQ(record->numbers().size(), 30U);
  EXPECT_EQ(state_of(runtime, "broken"), "failed");
  EXPECT_EQ(pipeline_status(runtime, "broken").at("error"),
            "sink[1] (broken): cannot create: cannot open /nonexistent/out.jsonl");
  EXPECT_EQ(state_of(runtime, "empty"), "failed");
  EXPECT_EQ(pipeline_status(runtime, "empty").at("error"),
            "sink[0] (empty): cannot create: the factory returned no instance");
  EXPECT_EQ(state_of(runtime, "unknown"), "failed");
  EXPECT_EQ(pipeline_status(runtime, "unknown").at("error"), "filter[0]: unknown plugin type 'no_such_filter'");
  EXPECT_FALSE(pipeline_status(runtime, "healthy").contains("error"));
}

// Records start() and stop() so a failed start can be checked for its clean-up.
class LifecycleFilter final : public Filter {
 public:
  explicit LifecycleFilter(std::shared_ptr<Tally> stops) : stops_(std::move(stops)) {}
  Verdict process(Event&, Emitter&) override { return Verdict::keep; }
  void stop() override { stops_->add(); }

 private:
  std::shared_ptr<Tally> stops_;
};

class RefusingSink final : public Sink {
 public:
  void start(StageContext&) override { throw std::runtime_error("port 1 is privileged"); }
  void consume(const EventPtr&) override {}
};

TEST(RuntimeFailureTest, AStageThatCannotStartFailsThePipelineAndStopsTheStartedStages) {
  TestCatalog catalog;
  auto filter_stops = std::make_shared<Tally>();
  auto source_runs = std::make_shared<Tally>();
  catalog.add_source("watched", [source_runs](const Config&) {
    return std::make_unique<FnSource>([source_runs](SourceContext&) { source_runs->add(); });
  });
  catalog.add_filter("lifecycle",
                     [filter_stops](const Config&) { return std::make_unique<LifecycleFilter>(filter_stops); });
  catalog.add_sink("refusing", [](const Config&) { return std::make_unique<RefusingSink>(); });
  auto record = add_recording_sink(catalog, "rec");
  Runtime runtime(test_options(), catalog);
  runtime.start({pipeline("refused", "watched", {"lifecycle"}, {stage("rec"), stage("refusing")})});

  EXPECT_EQ(runtime.wait(), 1);
  EXPECT_EQ(state_of(runtime, "refused"), "failed");
  EXPECT_EQ(pipeline_status(runtime, "refused").at("error"), "sink[1] (refusing): cannot start: port 1 is privileged");
  EXPECT_EQ(filter_stops->value(), 1);
  EXPECT_EQ(record->stops.load(), 1);  // sink[0] had started, so it was stopped again
  EXPECT_EQ(source_runs->value(), 0);
  EXPECT_TRUE(runtime.not_running() == std::vector<std::string>{"refused"});
}

TEST(RuntimeFailureTest, PipelinesFailingAtEveryEventDoNotDisturbAHealthyOne) {
  TestCatalog catalog;
  catalog.add_source("endless", [](const Config&) { return endless_source(); });
  auto source_attempts = std::make_shared<std::atomic<int>>(0);
  catalog.add_source("crashing", [source_attempts](const Config&) {
    return std::make_unique<FnSource>([source_attempts](SourceContext&) {
      ++*source_attempts;
      throw std::runtime_error("connection reset");
    });
  });
  catalog.add_filter("always_throws", [](const Config&) {
    return std::make_unique<FnFilter>(
        [](Event&, Emitter&, StageContext&) -> Filter::Verdict { throw std::logic_error("bug in filter"); });
  });
  auto healthy = add_recording_sink(catalog, "healthy", false);
  auto starved = add_recording_sink(catalog, "starved");
  auto unused = add_recording_sink(catalog, "unused");
  auto options = test_options();
  options.restart_initial = std::chrono::milliseconds(20);
  options.restart_max = std::chrono::milliseconds(40);
  Runtime runtime(options, catalog);
  runtime.start({pipeline("bad-filter", "endless", {"always_throws"}, {stage("starved")}),
                 pipeline("bad-source", "crashing", {}, {stage("unused")}),
                 pipeline("good", "endless", {}, {stage("healthy")})});

  bool saw_restarting = false;
  ASSERT_TRUE(wait_until(
      [&] {
        saw_restarting = saw_restarting || state_of(runtime, "bad-source") == "restarting";
        return saw_restarting && healthy->size() >= 30 &&
               stage_counter(runtime, "bad-filter", "filter[0]", "failed") >= 30 &&
               pipeline_status(runtime, "bad-source").at("source_restarts").get<int>() >= 3;
      },
      patience));
  EXPECT_EQ(state_of(runtime, "good"), "running");
  EXPECT_EQ(state_of(runtime, "bad-filter"), "running");
  EXPECT_EQ(starved->size(), 0U);
  EXPECT_EQ(stage_counter(runtime, "bad-filter", "filter[0]", "out"), 0U);

  runtime.request_stop();
  EXPECT_EQ(runtime.wait(), 0);  // failing events and restarts are not a failed pipeline
  for (const char* name : {"bad-filter", "bad-source", "good"}) EXPECT_EQ(state_of(runtime, name), "stopped") << name;
  const auto numbers = healthy->numbers();
  for (std::size_t k = 0; k < numbers.size(); ++k) EXPECT_EQ(numbers[k], static_cast<int>(k));
  EXPECT_GE(source_attempts->load(), 3);
}

TEST(RuntimeFailureTest, ADuplicatePipelineNameFailsTheSecondOne) {
  TestCatalog catalog;
  catalog.add_source("count", [](const Config&) { return counting_source(3); });
  auto record = add_recording_sink(catalog, "rec");
  Runtime runtime(test_options(), catalog);
  runtime.start({pipeline("twin", "count", {}, {stage("rec")}), pipeline("twin", "count", {}, {stage("rec")})});

  EXPECT_EQ(runtime.wait(), 1);
  const auto status = runtime.pipelines_status();
  ASSERT_EQ(status.size(), 2U);
  EXPECT_EQ(status[0].at("state"), "finished");
  EXPECT_EQ(status[1].at("state"), "failed");
  EXPECT_EQ(status[1].at("error"), "another pipeline is already named 'twin'");
  EXPECT_EQ(record->size(), 3U);
}

}  // namespace
}  // namespace flowmind::testing
