// Stopping: graceful drain and flush, the grace-period bound, force stop, destructor, idempotence.
#include <atomic>
#include <chrono>
#include <memory>
#include <numeric>
#include <optional>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/runtime.hpp"
#include "test_plugins.hpp"
#include "test_support.hpp"

namespace flowmind::testing {
namespace {

std::vector<int> first_numbers(int count) {
  std::vector<int> values(static_cast<std::size_t>(count));
  std::iota(values.begin(), values.end(), 0);
  return values;
}

TEST(RuntimeShutdownTest, GracefulStopDeliversEverythingAcceptedThenFlushesOnce) {
  constexpr int total = 50;
  TestCatalog catalog;
  auto emitted = std::make_shared<Tally>();
  auto source_stops = std::make_shared<Tally>();
  catalog.add_source("fifty", [emitted, source_stops](const Config&) {
    return std::make_unique<FnSource>(
        [emitted](SourceContext& ctx) {
          for (int i = 0; i < total; ++i) {
            if (!ctx.emit(numbered(i))) return;
            emitted->add();
          }
          while (!ctx.wait_for_stop(std::chrono::hours(1))) {
          }
        },
        [source_stops] { source_stops->add(); });
  });
  auto record = add_recording_sink(catalog, "slow");
  record->gate = std::make_shared<Gate>();
  record->delay = std::chrono::milliseconds(1);
  Runtime runtime(test_options(), catalog);
  runtime.start({pipeline("drain", "fifty", {}, {stage("slow", {100, WhenFull::block})}, {100, WhenFull::block})});

  ASSERT_TRUE(emitted->wait_for(total));
  runtime.request_stop();
  ASSERT_TRUE(source_stops->wait_for(1));
  ASSERT_TRUE(wait_until([&] { return state_of(runtime, "drain") == "draining"; }, patience));
  EXPECT_EQ(record->flushes.load(), 0);
  record->gate->open();

  EXPECT_EQ(runtime.wait(), 0);
  EXPECT_EQ(state_of(runtime, "drain"), "stopped");
  EXPECT_EQ(record->numbers(), first_numbers(total));
  EXPECT_EQ(record->flushes.load(), 1);
  EXPECT_EQ(record->consumed_at_flush.load(), static_cast<std::size_t>(total));
  EXPECT_FALSE(record->consume_after_flush);
  EXPECT_EQ(record->stops.load(), 1);
  EXPECT_TRUE(record->stopped_after_flush);
  EXPECT_FALSE(record->overlapping_consume);
  EXPECT_EQ(source_stops->value(), 1);
  EXPECT_EQ(stage_counter(runtime, "drain", "sink[0]", "dropped"), 0U);
}

// A sink stuck in consume() with nine more events queued behind it.
struct StuckSetup {
  TestCatalog catalog;
  std::shared_ptr<Tally> emitted = std::make_shared<Tally>();
  std::shared_ptr<SinkRecord> record;

  StuckSetup() {
    catalog.add_source("ten", [emitted = emitted](const Config&) { return emit_then_wait_source(10, emitted); });
    record = add_recording_sink(catalog, "stuck");
    record->gate = std::make_shared<Gate>();
  }

  void start(Runtime& runtime) {
    runtime.start({pipeline("stuck", "ten", {}, {stage("stuck", {100, WhenFull::block})})});
    ASSERT_TRUE(emitted->wait_for(10));
    ASSERT_TRUE(record->wait_for_entered(1));
    ASSERT_TRUE(wait_until([&] { return stage_counter(runtime, "stuck", "sink[0]", "in") == 10; }, patience));
  }
};

TEST(RuntimeShutdownTest, TheGracePeriodBoundsAStopBehindASinkThatNeverFinishes) {
  StuckSetup setup;
  auto options = test_options();
  options.grace_period = std::chrono::milliseconds(200);
  {
    Runtime runtime(options, setup.catalog);
    ASSERT_NO_FATAL_FAILURE(setup.start(runtime));

    runtime.request_stop();
    EXPECT_EQ(runtime.wait(), 0);
    EXPECT_EQ(state_of(runtime, "stuck"), "stopped");
    EXPECT_EQ(stage_counter(runtime, "stuck", "sink[0]", "dropped"), 9U);
    EXPECT_EQ(stage_counter(runtime, "stuck", "sink[0]", "out"), 0U);
    EXPECT_EQ(queue_size(runtime, "stuck", "sink[0]"), 0U);
    // flush() must not run while consume() is still in progress on the sink's thread.
    EXPECT_EQ(setup.record->flushes.load(), 0);

    setup.record->gate->open();  // the sink finishes its event; the destructor then joins it
  }
  EXPECT_EQ(setup.record->size(), 1U);
  EXPECT_EQ(setup.record->flushes.load(), 1);
  EXPECT_EQ(setup.record->stops.load(), 1);
  EXPECT_FALSE(setup.record->consume_after_flush);
}

TEST(RuntimeShutdownTest, ForceStopAbandonsQueuedEventsAtOnce) {
  StuckSetup setup;
  {
    Runtime runtime(test_options(), setup.catalog);
    ASSERT_NO_FATAL_FAILURE(setup.start(runtime));

    runtime.force_stop();
    EXPECT_EQ(runtime.wait(), 0);
    EXPECT_EQ(state_of(runtime, "stuck"), "stopped");
    EXPECT_EQ(stage_counter(runtime, "stuck", "sink[0]", "dropped"), 9U);
    runtime.force_stop();
    runtime.request_stop();
    EXPECT_EQ(runtime.wait(), 0);
    setup.record->gate->open();
  }
  EXPECT_EQ(setup.record->size(), 1U);
  EXPECT_EQ(setup.record->stops.load(), 1);
}

TEST(RuntimeShutdownTest, TheDestructorStopsRunningPipelinesAndFlushesTheirSinks) {
  TestCatalog catalog;
  auto source_stops = std::make_shared<Tally>();
  catalog.add_source("endless", [source_stops](const Config&) {
    return std::make_unique<FnSource>(
        [](SourceContext& ctx) {
          for (int i = 0; ctx.emit(numbered(i)); ++i) ctx.wait_for_stop(std::chrono::milliseconds(1));
        },
        [source_stops] { source_stops->add(); });
  });
  auto threaded = add_recording_sink(catalog, "threaded", true);
  auto stranded = add_recording_sink(catalog, "stranded", false);
  {
    Runtime runtime(test_options(), catalog);
    runtime.start({pipeline("endless", "endless", {}, {stage("threaded"), stage("stranded")})});
    ASSERT_TRUE(threaded->wait_for_events(10));
    ASSERT_TRUE(stranded->wait_for_events(10));
  }
  EXPECT_EQ(source_stops->value(), 1);
  for (const auto& record : {threaded, stranded}) {
    EXPECT_EQ(record->flushes.load(), 1);
    EXPECT_EQ(record->stops.load(), 1);
    EXPECT_EQ(record->consumed_at_flush.load(), record->size());
  }
  // Graceful: both sinks got every accepted event, in order.
  EXPECT_EQ(threaded->numbers(), stranded->numbers());
  EXPECT_EQ(threaded->numbers(), first_numbers(static_cast<int>(threaded->size())));
}

TEST(RuntimeShutdownTest, StopRequestsFromManyThreadsAreIdempotent) {
  TestCatalog catalog;
  auto source_stops = std::make_shared<Tally>();
  catalog.add_source("endless", [source_stops](const Config&) {
    return std::make_unique<FnSource>(
        [](SourceContext& ctx) {
          for (int i = 0; ctx.emit(numbered(i)); ++i) ctx.wait_for_stop(std::chrono::milliseconds(1));
        },
        [source_stops] { source_stops->add(); });
  });
  auto record = add_recording_sink(catalog, "rec", false);
  Runtime runtime(test_options(), catalog);
  runtime.start({pipeline("a", "endless", {}, {stage("rec")}), pipeline("b", "endless", {}, {stage("rec")})});
  ASSERT_TRUE(record->wait_for_events(10));

  std::vector<std::thread> stoppers;
  for (int i = 0; i < 4; ++i) {
    stoppers.emplace_back([&runtime] {
      for (int k = 0; k < 10; ++k) runtime.request_stop();
    });
  }
  for (auto& thread : stoppers) thread.join();
  EXPECT_EQ(runtime.wait(), 0);
  EXPECT_EQ(runtime.wait(), 0);
  EXPECT_EQ(source_stops->value(), 2);  // once per pipeline
  EXPECT_EQ(record->flushes.load(), 2);
  EXPECT_EQ(state_of(runtime, "a"), "stopped");
  EXPECT_EQ(state_of(runtime, "b"), "stopped");
}

TEST(RuntimeShutdownTest, AStopInterruptsTheRestartBackoff) {
  TestCatalog catalog;
  auto attempts = std::make_shared<Tally>();
  catalog.add_source("crashing", [attempts](const Config&) {
    return std::make_unique<FnSource>([attempts](SourceContext&) {
      attempts->add();
      throw std::runtime_error("refused");
    });
  });
  add_recording_sink(catalog, "rec");
  auto options = test_options();
  options.restart_initial = std::chrono::hours(1);
  options.restart_max = std::chrono::hours(1);
  Runtime runtime(options, catalog);
  runtime.start({pipeline("backoff", "crashing", {}, {stage("rec")})});
  ASSERT_TRUE(wait_until([&] { return state_of(runtime, "backoff") == "restarting"; }, patience));

  runtime.request_stop();
  EXPECT_EQ(runtime.wait(), 0);
  EXPECT_EQ(state_of(runtime, "backoff"), "stopped");
  EXPECT_EQ(attempts->value(), 1);
  EXPECT_EQ(pipeline_status(runtime, "backoff").at("source_restarts"), 1);
}

TEST(RuntimeShutdownTest, APipelineStartedAfterTheStopIsStoppedToo) {
  TestCatalog catalog;
  catalog.add_source("endless", [](const Config&) { return endless_source(); });
  auto record = add_recording_sink(catalog, "rec");
  Runtime runtime(test_options(), catalog);
  runtime.request_stop();
  EXPECT_EQ(runtime.wait(), 0);
  runtime.start({pipeline("late", "endless", {}, {stage("rec")})});
  EXPECT_EQ(runtime.wait(), 0);
  EXPECT_EQ(state_of(runtime, "late"), "stopped");
  EXPECT_EQ(record->flushes.load(), 1);
}

}  // namespace
}  // namespace flowmind::testing
