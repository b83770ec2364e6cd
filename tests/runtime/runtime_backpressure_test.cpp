// Bounded queues under load: drop_oldest, drop_newest and block, at the input and at sinks.
#include <algorithm>
#include <atomic>
#include <memory>
#include <numeric>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/runtime.hpp"
#include "test_plugins.hpp"
#include "test_support.hpp"

namespace flowmind::testing {
namespace {

// Emits event 0, waits until the sink is busy with it, then emits 1..count-1 and returns, so
// everything after event 0 meets a sink that is not consuming.
std::unique_ptr<Source> first_then_burst(int count, std::shared_ptr<SinkRecord> sink,
                                         std::shared_ptr<Tally> done = nullptr) {
  return std::make_unique<FnSource>([count, sink, done](SourceContext& ctx) {
    ctx.emit(numbered(0));
    sink->wait_for_entered(1);
    for (int i = 1; i < count; ++i) ctx.emit(numbered(i));
    if (done) done->add();
  });
}

std::vector<int> range(int first, int last) {  // [first, last]
  std::vector<int> values(static_cast<std::size_t>(last - first + 1));
  std::iota(values.begin(), values.end(), first);
  return values;
}

// Waits until the sink's queue has taken all `count` events, checking the bound on every look.
void expect_queue_bounded_until_offered(const Runtime& runtime, const std::string& name, std::size_t bound,
                                        std::uint64_t count) {
  std::size_t largest = 0;
  ASSERT_TRUE(wait_until(
      [&] {
        const auto sink = stage_status(runtime, name, "sink[0]");
        largest = std::max(largest, sink.at("queue").at("size").get<std::size_t>());
        return sink.at("in").get<std::uint64_t>() == count;
      },
      patience));
  EXPECT_LE(largest, bound);
  EXPECT_EQ(queue_size(runtime, name, "sink[0]"), bound);
}

TEST(RuntimeBackpressureTest, SlowSinkWithDropOldestKeepsTheNewestAndCountsDrops) {
  TestCatalog catalog;
  auto record = add_recording_sink(catalog, "slow");
  record->gate = std::make_shared<Gate>();
  record->delay = std::chrono::milliseconds(1);
  catalog.add_source("burst", [record](const Config&) { return first_then_burst(100, record); });
  Runtime runtime(test_options(), catalog);
  runtime.start(
      {pipeline("oldest", "burst", {}, {stage("slow", {4, WhenFull::drop_oldest})}, {1000, WhenFull::block})});

  expect_queue_bounded_until_offered(runtime, "oldest", 4, 100);
  EXPECT_EQ(stage_counter(runtime, "oldest", "sink[0]", "dropped"), 95U);
  record->gate->open();

  EXPECT_EQ(runtime.wait(), 0);
  std::vector<int> expected{0};
  const auto newest = range(96, 99);
  expected.insert(expected.end(), newest.begin(), newest.end());
  EXPECT_EQ(record->numbers(), expected);
  EXPECT_EQ(stage_counter(runtime, "oldest", "sink[0]", "out"), 5U);
  EXPECT_EQ(stage_counter(runtime, "oldest", "sink[0]", "dropped"), 95U);
  EXPECT_EQ(stage_counter(runtime, "oldest", "source", "dropped"), 0U);
  EXPECT_EQ(stage_counter(runtime, "oldest", "source", "out"), 100U);
}

TEST(RuntimeBackpressureTest, SlowSinkWithDropNewestKeepsTheOldestAndCountsDrops) {
  TestCatalog catalog;
  auto record = add_recording_sink(catalog, "slow");
  record->gate = std::make_shared<Gate>();
  record->delay = std::chrono::milliseconds(1);
  catalog.add_source("burst", [record](const Config&) { return first_then_burst(100, record); });
  Runtime runtime(test_options(), catalog);
  runtime.start(
      {pipeline("newest", "burst", {}, {stage("slow", {4, WhenFull::drop_newest})}, {1000, WhenFull::block})});

  expect_queue_bounded_until_offered(runtime, "newest", 4, 100);
  record->gate->open();

  EXPECT_EQ(runtime.wait(), 0);
  EXPECT_EQ(record->numbers(), range(0, 4));
  EXPECT_EQ(stage_counter(runtime, "newest", "sink[0]", "out"), 5U);
  EXPECT_EQ(stage_counter(runtime, "newest", "sink[0]", "dropped"), 95U);
  EXPECT_EQ(stage_counter(runtime, "newest", "source", "dropped"), 0U);
}

TEST(RuntimeBackpressureTest, BlockPolicyHoldsTheSourceBackAndLosesNothing) {
  constexpr int total = 200;
  TestCatalog catalog;
  auto record = add_recording_sink(catalog, "slow");
  record->gate = std::make_shared<Gate>();
  auto emitted = std::make_shared<std::atomic<int>>(0);
  auto in_emit = std::make_shared<std::atomic<bool>>(false);
  catalog.add_source("eager", [emitted, in_emit](const Config&) {
    return std::make_unique<FnSource>([emitted, in_emit](SourceContext& ctx) {
      for (int i = 0; i < total; ++i) {
        *in_emit = true;
        if (!ctx.emit(numbered(i))) return;
        *in_emit = false;
        ++*emitted;
      }
    });
  });
  Runtime runtime(test_options(), catalog);
  runtime.start({pipeline("held", "eager", {}, {stage("slow", {2, WhenFull::block})}, {4, WhenFull::block})});

  // The sink holds one event, its queue two, the strand one parked event, the input queue four:
  // after that the source can only be waiting inside emit().
  std::size_t largest_input = 0;
  std::size_t largest_sink = 0;
  ASSERT_TRUE(wait_until(
      [&] {
        const auto input = queue_size(runtime, "held", "source");
        const auto sink = queue_size(runtime, "held", "sink[0]");
        largest_input = std::max(largest_input, input);
        largest_sink = std::max(largest_sink, sink);
        return *in_emit && input == 4 && sink == 2;
      },
      patience));
  EXPECT_LE(emitted->load(), 1 + 2 + 1 + 4);
  EXPECT_TRUE(*in_emit);
  EXPECT_EQ(state_of(runtime, "held"), "running");
  record->gate->open();

  EXPECT_EQ(runtime.wait(), 0);
  EXPECT_EQ(emitted->load(), total);
  EXPECT_LE(largest_input, 4U);
  EXPECT_LE(largest_sink, 2U);
  EXPECT_EQ(record->numbers(), range(0, total - 1));
  std::vector<std::uint64_t> sequences(total);
  std::iota(sequences.begin(), sequences.end(), 1U);
  EXPECT_EQ(record->sequences(), sequences);
  EXPECT_EQ(stage_counter(runtime, "held", "source", "dropped"), 0U);
  EXPECT_EQ(stage_counter(runtime, "held", "sink[0]", "dropped"), 0U);
  EXPECT_EQ(stage_counter(runtime, "held", "sink[0]", "out"), static_cast<std::uint64_t>(total));
}

TEST(RuntimeBackpressureTest, InputQueueDropOldestKeepsTheNewestEvent) {
  TestCatalog catalog;
  auto record = add_recording_sink(catalog, "slow");
  record->gate = std::make_shared<Gate>();
  auto done = std::make_shared<Tally>();
  catalog.add_source("burst", [record, done](const Config&) { return first_then_burst(100, record, done); });
  Runtime runtime(test_options(), catalog);
  runtime.start(
      {pipeline("in-oldest", "burst", {}, {stage("slow", {1, WhenFull::block})}, {4, WhenFull::drop_oldest})});

  ASSERT_TRUE(done->wait_for(1));
  EXPECT_LE(queue_size(runtime, "in-oldest", "source"), 4U);
  EXPECT_EQ(stage_counter(runtime, "in-oldest", "source", "out"), 100U);
  record->gate->open();

  EXPECT_EQ(runtime.wait(), 0);
  const auto numbers = record->numbers();
  const auto dropped = stage_counter(runtime, "in-oldest", "source", "dropped");
  EXPECT_EQ(numbers.size() + dropped, 100U);
  EXPECT_GE(dropped, 100U - 7U);  // at most 1 consuming + 1 queued + 1 parked + 4 in the input
  ASSERT_FALSE(numbers.empty());
  EXPECT_EQ(numbers.front(), 0);
  EXPECT_EQ(numbers.back(), 99);
  EXPECT_TRUE(std::is_sorted(numbers.begin(), numbers.end()));
  for (const auto& event : record->snapshot()) {
    EXPECT_EQ(event->sequence(), static_cast<std::uint64_t>(number_of(*event)) + 1);
  }
}

TEST(RuntimeBackpressureTest, InputQueueDropNewestKeepsTheFirstEventsWithGaplessSequences) {
  TestCatalog catalog;
  auto record = add_recording_sink(catalog, "slow");
  record->gate = std::make_shared<Gate>();
  auto done = std::make_shared<Tally>();
  catalog.add_source("burst", [record, done](const Config&) { return first_then_burst(100, record, done); });
  Runtime runtime(test_options(), catalog);
  runtime.start(
      {pipeline("in-newest", "burst", {}, {stage("slow", {1, WhenFull::block})}, {4, WhenFull::drop_newest})});

  ASSERT_TRUE(done->wait_for(1));
  record->gate->open();

  EXPECT_EQ(runtime.wait(), 0);
  const auto numbers = record->numbers();
  const auto dropped = stage_counter(runtime, "in-newest", "source", "dropped");
  EXPECT_EQ(numbers.size() + dropped, 100U);
  EXPECT_EQ(stage_counter(runtime, "in-newest", "source", "out"), numbers.size());
  EXPECT_GE(dropped, 100U - 7U);
  ASSERT_FALSE(numbers.empty());
  EXPECT_EQ(numbers.front(), 0);
  EXPECT_TRUE(std::is_sorted(numbers.begin(), numbers.end()));
  std::vector<std::uint64_t> sequences(numbers.size());
  std::iota(sequences.begin(), sequences.end(), 1U);
  EXPECT_EQ(record->sequences(), sequences);
}

TEST(RuntimeBackpressureTest, TryEmitReportsFullUnderBlockAndLeavesTheEventWithTheSource) {
  struct Seen {
    std::atomic<int> accepted{0};
    std::atomic<bool> full{false};
    std::atomic<bool> kept_payload{false};
    std::atomic<bool> stopping_after_stop{false};
    std::atomic<bool> emit_refused_after_stop{false};
  };
  auto seen = std::make_shared<Seen>();
  auto reached_full = std::make_shared<Tally>();
  TestCatalog catalog;
  auto record = add_recording_sink(catalog, "slow");
  record->gate = std::make_shared<Gate>();
  catalog.add_source("polite", [seen, reached_full, record](const Config&) {
    return std::make_unique<FnSource>([seen, reached_full, record](SourceContext& ctx) {
      ctx.emit(numbered(0));
      record->wait_for_entered(1);
      // The strand keeps taking events while it can; within a handful the queues are full.
      for (int i = 1; i < 1000; ++i) {
        auto event = numbered(i);
        const auto result = ctx.try_emit(event);
        if (result == SourceContext::EmitResult::accepted) {
          ++seen->accepted;
          continue;
        }
        seen->full = result == SourceContext::EmitResult::full;
        seen->kept_payload = number_of(event) == i && event.sequence() == 0;
        break;
      }
      reached_full->add();
      while (!ctx.wait_for_stop(std::chrono::hours(1))) {
      }
      auto late = numbered(-1);
      seen->stopping_after_stop = ctx.try_emit(late) == SourceContext::EmitResult::stopping;
      seen->emit_refused_after_stop = !ctx.emit(numbered(-2));
    });
  });
  Runtime runtime(test_options(), catalog);
  runtime.start({pipeline("polite", "polite", {}, {stage("slow", {1, WhenFull::block})}, {2, WhenFull::block})});

  ASSERT_TRUE(reached_full->wait_for(1));
  EXPECT_TRUE(seen->full);
  EXPECT_TRUE(seen->kept_payload);
  EXPECT_LE(seen->accepted.load(), 1 + 1 + 2);  // queued at the sink, parked, input queue
  runtime.request_stop();
  record->gate->open();

  EXPECT_EQ(runtime.wait(), 0);
  EXPECT_TRUE(seen->stopping_after_stop);
  EXPECT_TRUE(seen->emit_refused_after_stop);
  EXPECT_EQ(record->size(), static_cast<std::size_t>(1 + seen->accepted.load()));
  EXPECT_EQ(stage_counter(runtime, "polite", "source", "dropped"), 0U);
}

TEST(RuntimeBackpressureTest, ABlockedPipelineDoesNotHoldTheOnlyIoThread) {
  TestCatalog catalog;
  auto stuck = add_recording_sink(catalog, "stuck");
  stuck->gate = std::make_shared<Gate>();
  auto free_flowing = add_recording_sink(catalog, "free", false);
  catalog.add_source("endless", [](const Config&) { return endless_source(std::chrono::milliseconds(0)); });
  catalog.add_source("count", [](const Config&) { return counting_source(50); });
  auto options = test_options();
  options.threads = 1;
  Runtime runtime(options, catalog);
  runtime.start({pipeline("blocked", "endless", {}, {stage("stuck", {2, WhenFull::block})}, {4, WhenFull::block})});
  ASSERT_TRUE(wait_until([&] { return queue_size(runtime, "blocked", "source") == 4; }, patience));

  runtime.start({pipeline("flowing", "count", {}, {stage("free")})});
  EXPECT_TRUE(wait_until([&] { return state_of(runtime, "flowing") == "finished"; }, patience));
  EXPECT_EQ(free_flowing->numbers(), range(0, 49));
  EXPECT_EQ(state_of(runtime, "blocked"), "running");

  stuck->gate->open();
  runtime.request_stop();
  EXPECT_EQ(runtime.wait(), 0);
  EXPECT_EQ(state_of(runtime, "blocked"), "stopped");
  EXPECT_EQ(stage_counter(runtime, "blocked", "sink[0]", "dropped"), 0U);
  EXPECT_EQ(stage_counter(runtime, "blocked", "source", "out"), stuck->size());
}

}  // namespace
}  // namespace flowmind::testing
