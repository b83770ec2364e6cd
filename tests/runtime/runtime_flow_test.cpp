// Events through a running pipeline: filter order, emitted events, verdicts, fan-out, finishing.
#include "flowmind/event.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <atomic>
#include <future>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/runtime.hpp"
#include "test_plugins.hpp"
#include "test_support.hpp"

namespace flowmind::testing {
namespace {

// Appends `index` to the event's "path" annotation.
std::unique_ptr<Filter> path_marker(int index) {
  return std::make_unique<FnFilter>([index](Event& event, Emitter&, StageContext&) {
    const auto existing = event.annotation("path");
    auto path = existing ? existing->to_json() : nlohmann::json::array();
    path.push_back(index);
    event.annotate("path", path);
    return Filter::Verdict::keep;
  });
}

TEST(RuntimeFlowTest, FiltersRunInTheDeclaredOrderOnEveryEvent) {
  TestCatalog catalog;
  catalog.add_source("count", [](const Config&) { return counting_source(20); });
  for (int i = 0; i < 3; ++i) {
    catalog.add_filter("mark" + std::to_string(i), [i](const Config&) { return path_marker(i); });
  }
  auto record = add_recording_sink(catalog, "rec");
  Runtime runtime(test_options(), catalog);
  // Declared out of name order, so only the declaration can explain the order seen.
  runtime.start({pipeline("ordered", "count", {"mark2", "mark0", "mark1"}, {stage("rec")})});

  EXPECT_EQ(runtime.wait(), 0);
  EXPECT_EQ(state_of(runtime, "ordered"), "finished");
  const auto events = record->snapshot();
  ASSERT_EQ(events.size(), 20U);
  for (std::size_t k = 0; k < events.size(); ++k) {
    EXPECT_EQ(number_of(*events[k]), static_cast<int>(k));
    EXPECT_EQ(events[k]->sequence(), k + 1);
    EXPECT_EQ(events[k]->annotations().at("path"), nlohmann::json::array({2, 0, 1}));
  }
  for (const char* filter : {"filter[0]", "filter[1]", "filter[2]"}) {
    EXPECT_EQ(stage_counter(runtime, "ordered", filter, "in"), 20U) << filter;
    EXPECT_EQ(stage_counter(runtime, "ordered", filter, "out"), 20U) << filter;
  }
  EXPECT_EQ(stage_counter(runtime, "ordered", "source", "out"), 20U);
  EXPECT_EQ(stage_counter(runtime, "ordered", "sink[0]", "out"), 20U);
  EXPECT_EQ(record->flushes.load(), 1);
  EXPECT_EQ(record->stops.load(), 1);
}

TEST(RuntimeFlowTest, EveryEventReachesEverySinkAsOneSharedFrozenEvent) {
  TestCatalog catalog;
  catalog.add_source("count", [](const Config&) { return counting_source(40); });
  catalog.add_filter("mark", [](const Config&) { return path_marker(0); });
  auto threaded = add_recording_sink(catalog, "threaded", true);
  auto stranded = add_recording_sink(catalog, "stranded", false);
  auto second = add_recording_sink(catalog, "second", true);
  Runtime runtime(test_options(), catalog);
  runtime.start({pipeline("fan", "count", {"mark"}, {stage("threaded"), stage("stranded"), stage("second")})});

  EXPECT_EQ(runtime.wait(), 0);
  const auto a = threaded->snapshot();
  const auto b = stranded->snapshot();
  const auto c = second->snapshot();
  ASSERT_EQ(a.size(), 40U);
  ASSERT_EQ(b.size(), 40U);
  ASSERT_EQ(c.size(), 40U);
  for (std::size_t k = 0; k < a.size(); ++k) {
    EXPECT_EQ(number_of(*a[k]), static_cast<int>(k));
    EXPECT_EQ(a[k].get(), b[k].get());
    EXPECT_EQ(a[k].get(), c[k].get());
    // The wire text is built once and the very same string is handed to every sink.
    EXPECT_EQ(&a[k]->wire(), &b[k]->wire());
    EXPECT_NE(a[k]->wire().find(R"("annotations":{"path":[0]})"), std::string::npos);
  }
  for (const char* sink : {"sink[0]", "sink[1]", "sink[2]"}) {
    EXPECT_EQ(stage_counter(runtime, "fan", sink, "in"), 40U) << sink;
    EXPECT_EQ(stage_counter(runtime, "fan", sink, "out"), 40U) << sink;
  }
}

TEST(RuntimeFlowTest, EmittedEventsFollowTheirOriginAndContinueFromTheNextFilter) {
  TestCatalog catalog;
  catalog.add_source("count", [](const Config&) { return counting_source(10); });
  catalog.add_filter("fork", [](const Config&) {
    return std::make_unique<FnFilter>([](Event& event, Emitter& out, StageContext&) {
      auto copy = event.clone();
      copy.annotate("copy", true);
      out.emit(std::move(copy));
      return Filter::Verdict::keep;
    });
  });
  catalog.add_filter("mark", [](const Config&) { return path_marker(1); });
  auto record = add_recording_sink(catalog, "rec");
  Runtime runtime(test_options(), catalog);
  runtime.start({pipeline("fork", "count", {"fork", "mark"}, {stage("rec")})});

  EXPECT_EQ(runtime.wait(), 0);
  const auto events = record->snapshot();
  ASSERT_EQ(events.size(), 20U);
  for (std::size_t k = 0; k < events.size(); ++k) {
    const bool is_copy = k % 2 == 1;
    EXPECT_EQ(number_of(*events[k]), static_cast<int>(k / 2));
    EXPECT_EQ(events[k]->annotation("copy").has_value(), is_copy);
    // Copies skipped the filter that emitted them but went through the next one.
    EXPECT_EQ(events[k]->annotations().at("path"), nlohmann::json::array({1}));
  }
  EXPECT_EQ(stage_counter(runtime, "fork", "filter[0]", "in"), 10U);
  EXPECT_EQ(stage_counter(runtime, "fork", "filter[0]", "out"), 20U);
  EXPECT_EQ(stage_counter(runtime, "fork", "filter[1]", "in"), 20U);
}

TEST(RuntimeFlowTest, DropVerdictIsCountedAsFiltered) {
  TestCatalog catalog;
  catalog.add_source("count", [](const Config&) { return counting_source(30); });
  catalog.add_filter("evens", [](const Config&) {
    return std::make_unique<FnFilter>([](Event& event, Emitter&, StageContext&) {
      return number_of(event) % 2 == 0 ? Filter::Verdict::keep : Filter::Verdict::drop;
    });
  });
  auto record = add_recording_sink(catalog, "rec", false);
  Runtime runtime(test_options(), catalog);
  runtime.start({pipeline("evens", "count", {"evens"}, {stage("rec")})});

  EXPECT_EQ(runtime.wait(), 0);
  std::vector<int> expected;
  for (int i = 0; i < 30; i += 2) expected.push_back(i);
  EXPECT_EQ(record->numbers(), expected);
  EXPECT_EQ(stage_counter(runtime, "evens", "filter[0]", "in"), 30U);
  EXPECT_EQ(stage_counter(runtime, "evens", "filter[0]", "out"), 15U);
  EXPECT_EQ(stage_counter(runtime, "evens", "filter[0]", "filtered"), 15U);
  EXPECT_EQ(stage_counter(runtime, "evens", "filter[0]", "failed"), 0U);
  EXPECT_EQ(stage_counter(runtime, "evens", "sink[0]", "in"), 15U);
}

TEST(RuntimeFlowTest, FiniteSourcesFinishAndWaitReturnsZero) {
  TestCatalog catalog;
  catalog.add_source("ten", [](const Config&) { return counting_source(10); });
  catalog.add_source("none", [](const Config&) { return counting_source(0); });
  auto first = add_recording_sink(catalog, "first");
  auto second = add_recording_sink(catalog, "second", false);
  Runtime runtime(test_options(), catalog);
  runtime.start({pipeline("ten", "ten", {}, {stage("first")}), pipeline("none", "none", {}, {stage("second")})});

  EXPECT_EQ(runtime.wait(), 0);
  EXPECT_EQ(state_of(runtime, "ten"), "finished");
  EXPECT_EQ(state_of(runtime, "none"), "finished");
  EXPECT_EQ(first->size(), 10U);
  EXPECT_EQ(second->size(), 0U);
  EXPECT_EQ(first->flushes.load(), 1);
  EXPECT_EQ(second->flushes.load(), 1);
  EXPECT_EQ(second->stops.load(), 1);
  // Finished pipelines are not running: /ready must name them.
  const auto idle = runtime.not_running();
  EXPECT_EQ(idle.size(), 2U);
  EXPECT_EQ(runtime.wait(), 0);  // and wait() stays answered
}

TEST(RuntimeFlowTest, WaitReturnsAtOnceWithoutPipelines) {
  TestCatalog catalog;
  Runtime runtime(test_options(), catalog);
  EXPECT_EQ(runtime.wait(), 0);
  EXPECT_TRUE(runtime.not_running().empty());
  EXPECT_EQ(runtime.pipelines_status(), nlohmann::json::array());
  runtime.start({});
  EXPECT_EQ(runtime.wait(), 0);
}

TEST(RuntimeFlowTest, PluginsShareTheRuntimeIoContext) {
  TestCatalog catalog;
  std::promise<boost::asio::io_context*> seen;
  auto seen_future = seen.get_future();
  catalog.add_source("count", [](const Config&) { return counting_source(1); });
  catalog.add_filter("probe", [&seen](const Config&) {
    return std::make_unique<FnFilter>(
        [&seen, once = std::make_shared<std::atomic<bool>>(false)](Event&, Emitter&, StageContext& ctx) {
          if (!once->exchange(true)) seen.set_value(&ctx.io_context());
          return Filter::Verdict::keep;
        });
  });
  add_recording_sink(catalog, "rec");
  Runtime runtime(test_options(), catalog);

  std::promise<void> ran;
  boost::asio::post(runtime.io_context(), [&ran] { ran.set_value(); });
  EXPECT_EQ(ran.get_future().wait_for(patience), std::future_status::ready);

  runtime.start({pipeline("probe", "count", {"probe"}, {stage("rec")})});
  EXPECT_EQ(runtime.wait(), 0);
  ASSERT_EQ(seen_future.wait_for(patience), std::future_status::ready);
  EXPECT_EQ(seen_future.get(), &runtime.io_context());
}

}  // namespace
}  // namespace flowmind::testing
