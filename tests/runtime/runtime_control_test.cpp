// Engine control of running stages: fatal source errors, reconnect requests, plugin metrics, sink cancel.
#include <atomic>
#include <chrono>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/runtime.hpp"
#include "test_plugins.hpp"
#include "test_support.hpp"

namespace flowmind::testing {
namespace {

TEST(RuntimeControlTest, AFatalSourceErrorFailsThePipelineWithoutARestart) {
  TestCatalog catalog;
  auto runs = std::make_shared<Tally>();
  catalog.add_source("rejected", [runs](const Config&) {
    return std::make_unique<FnSource>([runs](SourceContext& ctx) {
      runs->add();
      ctx.emit(numbered(7));
      throw FatalSourceError("UW rejected the token (HTTP 401)");
    });
  });
  auto record = add_recording_sink(catalog, "rec");
  auto options = test_options();
  options.restart_initial = std::chrono::milliseconds(10);
  Runtime runtime(options, catalog);
  runtime.start({pipeline("fatal", "rejected", {}, {stage("rec")})});

  EXPECT_EQ(runtime.wait(), 1);
  EXPECT_EQ(state_of(runtime, "fatal"), "failed");
  EXPECT_EQ(runs->value(), 1);
  const auto status = pipeline_status(runtime, "fatal");
  EXPECT_EQ(status.at("source_restarts"), 0);
  EXPECT_EQ(status.at("error"), "source (rejected): UW rejected the token (HTTP 401)");
  EXPECT_EQ(stage_counter(runtime, "fatal", "source", "failed"), 1U);
  // What the source emitted before failing still reaches the sinks.
  EXPECT_EQ(record->numbers(), (std::vector<int>{7}));
  EXPECT_EQ(record->flushes.load(), 1);
}

class ReconnectableSource final : public Source {
 public:
  explicit ReconnectableSource(std::shared_ptr<Tally> reconnects) : reconnects_(std::move(reconnects)) {}
  void run(SourceContext& ctx) override {
    while (!ctx.wait_for_stop(std::chrono::hours(1))) {
    }
  }
  bool reconnect() override {
    reconnects_->add();
    return true;
  }

 private:
  std::shared_ptr<Tally> reconnects_;
};

TEST(RuntimeControlTest, ReconnectReachesARunningSourceOnly) {
  TestCatalog catalog;
  auto reconnects = std::make_shared<Tally>();
  catalog.add_source("upstream",
                     [reconnects](const Config&) { return std::make_unique<ReconnectableSource>(reconnects); });
  catalog.add_source("plain", [](const Config&) { return endless_source(); });
  add_recording_sink(catalog, "rec");
  Runtime runtime(test_options(), catalog);
  runtime.start({pipeline("ws", "upstream", {}, {stage("rec")}), pipeline("gen", "plain", {}, {stage("rec")})});
  ASSERT_TRUE(wait_until([&] { return runtime.not_running().empty(); }, patience));

  EXPECT_EQ(runtime.reconnect("nope"), std::nullopt);
  EXPECT_EQ(runtime.reconnect("gen"), std::optional<bool>(false));  // nothing to reconnect
  EXPECT_EQ(runtime.reconnect("ws"), std::optional<bool>(true));
  EXPECT_EQ(reconnects->value(), 1);

  runtime.request_stop();
  EXPECT_EQ(runtime.wait(), 0);
  EXPECT_EQ(runtime.reconnect("ws"), std::optional<bool>(false));  // stopped
  EXPECT_EQ(reconnects->value(), 1);
}

TEST(RuntimeControlTest, MetricsFromPluginStatusAreExportedAndBadOnesSkipped) {
  TestCatalog catalog;
  catalog.add_source("emit3", [](const Config&) { return emit_then_wait_source(3, std::make_shared<Tally>()); });
  const auto status = nlohmann::json::parse(R"({"metrics": [
    {"name": "uw_messages_total", "type": "counter", "help": "Messages received.", "labels": {"channel": "flow-alerts"}, "value": 12},
    {"name": "uw_messages_total", "type": "counter", "labels": {"channel": "price:SPY"}, "value": 3},
    {"name": "uw_connected", "type": "gauge", "help": "1 when connected.\nSecond line.", "value": 1},
    {"name": "Bad-Name", "value": 1},
    {"name": "stage_events_in_total", "value": 999},
    {"name": "no_value", "type": "gauge"},
    {"name": "text_value", "value": "5"},
    "not an object"
  ]})");
  catalog.add_filter("reporter", [status](const Config&) {
    return std::make_unique<FnFilter>([](Event&, Emitter&, StageContext&) { return Filter::Verdict::keep; }, status);
  });
  add_recording_sink(catalog, "rec");
  Runtime runtime(test_options(), catalog);
  runtime.start({pipeline("m", "emit3", {"reporter"}, {stage("rec")})});
  ASSERT_TRUE(wait_until([&] { return runtime.not_running().empty(); }, patience));

  const auto text = runtime.metrics_text();
  const std::string labels = R"(pipeline="m",stage="filter[0]",type="reporter")";
  for (const std::string& expected : std::vector<std::string>{
           "# HELP flowmind_uw_messages_total Messages received.",
           "# TYPE flowmind_uw_messages_total counter",
           "flowmind_uw_messages_total{" + labels + R"(,channel="flow-alerts"} 12)",
           "flowmind_uw_messages_total{" + labels + R"(,channel="price:SPY"} 3)",
           "# HELP flowmind_uw_connected 1 when connected. Second line.",
           "# TYPE flowmind_uw_connected gauge",
           "flowmind_uw_connected{" + labels + "} 1",
       }) {
    EXPECT_NE(text.find(expected + "\n"), std::string::npos) << "missing: " << expected << "\n" << text;
  }
  for (const char* absent : {"Bad-Name", "no_value", "text_value", "} 999\n"}) {
    EXPECT_EQ(text.find(absent), std::string::npos) << absent << "\n" << text;
  }
  std::istringstream lines(text);
  std::string line;
  int announced = 0;
  while (std::getline(lines, line)) announced += line == "# TYPE flowmind_uw_messages_total counter" ? 1 : 0;
  EXPECT_EQ(announced, 1);
}

// A blocking sink whose consume() waits until cancel(): a write retried on a dead disk.
class StuckUntilCancelled final : public Sink {
 public:
  explicit StuckUntilCancelled(std::shared_ptr<std::atomic<int>> cancels) : cancels_(std::move(cancels)) {}
  void consume(const EventPtr&) override {
    std::unique_lock lock(mutex_);
    cancelled_.wait(lock, [this] { return cancelled_flag_; });
  }
  void cancel() override {
    cancels_->fetch_add(1);
    {
      std::lock_guard lock(mutex_);
      cancelled_flag_ = true;
    }
    cancelled_.notify_all();
  }
  [[nodiscard]] bool blocking() const override { return true; }

 private:
  std::shared_ptr<std::atomic<int>> cancels_;
  std::mutex mutex_;
  std::condition_variable cancelled_;
  bool cancelled_flag_ = false;
};

TEST(RuntimeControlTest, TheGracePeriodCancelsASinkStuckInConsume) {
  TestCatalog catalog;
  auto emitted = std::make_shared<Tally>();
  auto cancels = std::make_shared<std::atomic<int>>(0);
  catalog.add_source("emit5", [emitted](const Config&) { return emit_then_wait_source(5, emitted); });
  catalog.add_sink("stuck", [cancels](const Config&) { return std::make_unique<StuckUntilCancelled>(cancels); });
  auto options = test_options();
  options.grace_period = std::chrono::milliseconds(200);
  const auto began = std::chrono::steady_clock::now();
  {
    Runtime runtime(options, catalog);
    runtime.start({pipeline("dead-disk", "emit5", {}, {stage("stuck")})});
    ASSERT_TRUE(emitted->wait_for(5));
    runtime.request_stop();
    EXPECT_EQ(runtime.wait(), 0);
    EXPECT_EQ(state_of(runtime, "dead-disk"), "stopped");
    EXPECT_GE(cancels->load(), 1);
  }  // the destructor joins the sink thread: it returns only because cancel() freed it
  EXPECT_LT(std::chrono::steady_clock::now() - began, patience);
}

}  // namespace
}  // namespace flowmind::testing
