// on_demand pipelines: sinks report consumers through PipelineControl and the source follows them.
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/runtime.hpp"
#include "test_plugins.hpp"
#include "test_support.hpp"

namespace flowmind::testing {
namespace {

// How many source instances exist and run, shared with the test.
struct SourceLife {
  std::atomic<int> created{0};
  std::atomic<int> destroyed{0};
  std::atomic<int> runs{0};
  std::atomic<int> running{0};
  std::atomic<int> stops{0};
};

class TrackedSource final : public Source {
 public:
  explicit TrackedSource(std::shared_ptr<SourceLife> life) : life_(std::move(life)) { life_->created.fetch_add(1); }
  ~TrackedSource() override { life_->destroyed.fetch_add(1); }
  TrackedSource(const TrackedSource&) = delete;
  TrackedSource& operator=(const TrackedSource&) = delete;

  void run(SourceContext& ctx) override {
    life_->runs.fetch_add(1);
    life_->running.fetch_add(1);
    int number = 0;
    while (!ctx.wait_for_stop(std::chrono::milliseconds(5))) ctx.emit(numbered(number++));
    life_->running.fetch_sub(1);
  }
  void stop() override { life_->stops.fetch_add(1); }
  bool reconnect() override { return true; }

 private:
  std::shared_ptr<SourceLife> life_;
};

// A sink that hands its PipelineControl to the test, like a relay with browsers would use it.
struct ControlHandle {
  std::atomic<PipelineControl*> control{nullptr};
};

class ControlSink final : public Sink {
 public:
  explicit ControlSink(std::shared_ptr<ControlHandle> handle) : handle_(std::move(handle)) {}
  void start(StageContext& ctx) override { handle_->control = pipeline_control(ctx); }
  void consume(const EventPtr& /*event*/) override {}
  void stop() override { handle_->control = nullptr; }

 private:
  std::shared_ptr<ControlHandle> handle_;
};

class RuntimeDemandTest : public ::testing::Test {
 protected:
  RuntimeDemandTest() {
    catalog_.add_source("tracked", [life = life_](const Config&) { return std::make_unique<TrackedSource>(life); });
    catalog_.add_sink("control_a", [handle = sink_a_](const Config&) { return std::make_unique<ControlSink>(handle); });
    catalog_.add_sink("control_b", [handle = sink_b_](const Config&) { return std::make_unique<ControlSink>(handle); });
  }

  PipelineSpec on_demand(std::chrono::milliseconds linger, std::vector<std::string> sinks = {"control_a"}) {
    std::vector<StageSpec> stages;
    for (const auto& sink : sinks) stages.push_back(stage(sink));
    auto spec = pipeline("ondemand", "tracked", {}, std::move(stages));
    spec.on_demand = true;
    spec.on_demand_linger = linger;
    return spec;
  }

  static std::string source_mode(const Runtime& runtime) {
    return pipeline_status(runtime, "ondemand").at("on_demand").at("source").get<std::string>();
  }

  TestCatalog catalog_;
  std::shared_ptr<SourceLife> life_ = std::make_shared<SourceLife>();
  std::shared_ptr<ControlHandle> sink_a_ = std::make_shared<ControlHandle>();
  std::shared_ptr<ControlHandle> sink_b_ = std::make_shared<ControlHandle>();
};

TEST_F(RuntimeDemandTest, TheSourceRunsOnlyWhileAConsumerIsConnected) {
  Runtime runtime(test_options(), catalog_);
  runtime.start({on_demand(std::chrono::milliseconds(50))});
  ASSERT_TRUE(wait_until([&] { return sink_a_->control.load() != nullptr; }, patience));
  auto& control = *sink_a_->control.load();

  // Idle until someone connects: created (the config is proven at start) but never run.
  EXPECT_EQ(state_of(runtime, "ondemand"), "running");
  EXPECT_EQ(source_mode(runtime), "idle");
  EXPECT_EQ(control.source_status().at("state"), "idle");
  EXPECT_FALSE(control.request_reconnect());
  EXPECT_EQ(life_->runs.load(), 0);

  control.set_demand(1);
  ASSERT_TRUE(wait_until([&] { return life_->running.load() == 1; }, patience));
  ASSERT_TRUE(wait_until([&] { return stage_counter(runtime, "ondemand", "sink[0]", "in") > 3; }, patience));
  EXPECT_EQ(source_mode(runtime), "active");
  EXPECT_EQ(pipeline_status(runtime, "ondemand").at("on_demand").at("consumers"), 1);
  EXPECT_EQ(control.source_status().at("state"), "running");
  EXPECT_EQ(control.source_status().at("type"), "tracked");
  EXPECT_TRUE(control.request_reconnect());

  // The last consumer leaves: after the linger the instance is stopped and destroyed.
  control.set_demand(0);
  ASSERT_TRUE(wait_until([&] { return life_->destroyed.load() == 1; }, patience));
  EXPECT_EQ(life_->running.load(), 0);
  EXPECT_EQ(life_->stops.load(), 1);
  ASSERT_TRUE(wait_until([&] { return source_mode(runtime) == "idle"; }, patience));
  EXPECT_EQ(state_of(runtime, "ondemand"), "running");

  // A new consumer gets a fresh instance.
  control.set_demand(2);
  ASSERT_TRUE(wait_until([&] { return life_->running.load() == 1; }, patience));
  EXPECT_EQ(life_->created.load(), 2);
  EXPECT_EQ(life_->runs.load(), 2);

  runtime.request_stop();
  EXPECT_EQ(runtime.wait(), 0);
  EXPECT_EQ(state_of(runtime, "ondemand"), "stopped");
  EXPECT_EQ(life_->running.load(), 0);
}

TEST_F(RuntimeDemandTest, TheLingerKeepsTheSourceThroughAReconnectingConsumer) {
  Runtime runtime(test_options(), catalog_);
  runtime.start({on_demand(std::chrono::hours(1))});
  ASSERT_TRUE(wait_until([&] { return sink_a_->control.load() != nullptr; }, patience));
  auto& control = *sink_a_->control.load();

  control.set_demand(1);
  ASSERT_TRUE(wait_until([&] { return life_->running.load() == 1; }, patience));
  control.set_demand(0);  // a page reload: gone for a moment...
  EXPECT_EQ(source_mode(runtime), "active");
  control.set_demand(1);  // ...and back within the linger
  EXPECT_EQ(source_mode(runtime), "active");
  EXPECT_EQ(life_->runs.load(), 1);
  EXPECT_EQ(life_->stops.load(), 0);

  runtime.request_stop();
  EXPECT_EQ(runtime.wait(), 0);
  EXPECT_EQ(life_->running.load(), 0);
}

TEST_F(RuntimeDemandTest, DemandIsSummedOverThePipelinesSinks) {
  Runtime runtime(test_options(), catalog_);
  runtime.start({on_demand(std::chrono::milliseconds(0), {"control_a", "control_b"})});
  ASSERT_TRUE(
      wait_until([&] { return sink_a_->control.load() != nullptr && sink_b_->control.load() != nullptr; }, patience));
  auto& a = *sink_a_->control.load();
  auto& b = *sink_b_->control.load();

  a.set_demand(1);
  ASSERT_TRUE(wait_until([&] { return life_->running.load() == 1; }, patience));
  b.set_demand(2);
  a.set_demand(0);  // b still has two: with no linger at all, the source must stay
  EXPECT_EQ(pipeline_status(runtime, "ondemand").at("on_demand").at("consumers"), 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(life_->runs.load(), 1);
  EXPECT_EQ(life_->stops.load(), 0);

  b.set_demand(0);
  ASSERT_TRUE(wait_until([&] { return life_->destroyed.load() == 1; }, patience));
  const auto metrics = runtime.metrics_text();
  EXPECT_NE(metrics.find("flowmind_pipeline_consumers{pipeline=\"ondemand\"} 0"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("flowmind_pipeline_source_active{pipeline=\"ondemand\"} 0"), std::string::npos) << metrics;

  runtime.request_stop();
  EXPECT_EQ(runtime.wait(), 0);
}

TEST_F(RuntimeDemandTest, AnIdlePipelineStopsAtOnce) {
  Runtime runtime(test_options(), catalog_);
  runtime.start({on_demand(std::chrono::milliseconds(50))});
  ASSERT_TRUE(wait_until([&] { return sink_a_->control.load() != nullptr; }, patience));
  runtime.request_stop();
  EXPECT_EQ(runtime.wait(), 0);
  EXPECT_EQ(state_of(runtime, "ondemand"), "stopped");
  EXPECT_EQ(life_->runs.load(), 0);
  EXPECT_EQ(life_->created.load(), 1);
}

TEST_F(RuntimeDemandTest, WithoutOnDemandTheSourceRunsAndTheControlStillWorks) {
  Runtime runtime(test_options(), catalog_);
  runtime.start({pipeline("always", "tracked", {}, {stage("control_a")})});
  ASSERT_TRUE(wait_until([&] { return life_->running.load() == 1; }, patience));
  ASSERT_TRUE(wait_until([&] { return sink_a_->control.load() != nullptr; }, patience));
  auto& control = *sink_a_->control.load();
  control.set_demand(0);  // bookkeeping only: the source keeps running
  EXPECT_EQ(control.source_status().at("state"), "running");
  EXPECT_TRUE(control.request_reconnect());
  EXPECT_FALSE(pipeline_status(runtime, "always").contains("on_demand"));
  EXPECT_EQ(life_->stops.load(), 0);

  runtime.request_stop();
  EXPECT_EQ(runtime.wait(), 0);
}

}  // namespace
}  // namespace flowmind::testing
