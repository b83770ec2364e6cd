// Tests of the generator's emit loop: exact counts, seeds, pacing, stop, config checks.
#include "generator.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "collecting_source_context.hpp"
#include "generator_test_config.hpp"
#include "test_support.hpp"

namespace flowmind {
namespace {

using flowmind::testing::CollectingSourceContext;
using flowmind::testing::generator_config;
using flowmind::testing::wait_until;
using namespace std::chrono_literals;

std::vector<Event> run_to_end(const Config& config) {
  GeneratorSource source(config);
  CollectingSourceContext ctx;
  source.run(ctx);
  return ctx.take();
}

std::vector<std::string> raw_texts(const std::vector<Event>& events) {
  std::vector<std::string> texts;
  for (const auto& event : events) texts.emplace_back(event.raw());
  return texts;
}

TEST(GeneratorSource, EmitsExactlyCountCounterEventsThenReturns) {
  GeneratorSource source(generator_config({{"count", 25}, {"rate", 0}}));
  CollectingSourceContext ctx;
  source.run(ctx);
  EXPECT_FALSE(ctx.stopping());  // run() returned because the count was reached
  const auto events = ctx.take();
  ASSERT_EQ(events.size(), 25U);
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].channel(), "counter");
    EXPECT_EQ(events[i].payload(), nlohmann::json({{"n", i}}));
  }
  EXPECT_EQ(source.status().at("emitted"), 25);
  EXPECT_EQ(source.status().at("shape"), "counter");
}

TEST(GeneratorSource, CountIsExactForEveryShape) {
  for (const auto& shape : generator_shape_names()) {
    const auto events = run_to_end(generator_config({{"count", 137}, {"rate", 0}, {"shape", shape}}));
    EXPECT_EQ(events.size(), 137U) << shape;
  }
}

TEST(GeneratorSource, ChannelDefaultsToTheShapeAndCanBeSet) {
  EXPECT_EQ(run_to_end(generator_config({{"count", 1}, {"rate", 0}, {"shape", "flow-alerts"}})).at(0).channel(),
            "flow-alerts");
  EXPECT_EQ(run_to_end(generator_config({{"count", 1}, {"rate", 0}, {"shape", "off_lit_trades"}})).at(0).channel(),
            "off_lit_trades");
  EXPECT_EQ(run_to_end(generator_config({{"count", 1}, {"rate", 0}, {"channel", "demo"}})).at(0).channel(), "demo");
}

TEST(GeneratorSource, SameSeedGivesTheSameEventsWithTheSimulatedClock) {
  for (const std::string shape : {"flow-alerts", "off_lit_trades"}) {
    const auto config =
        generator_config({{"count", 300}, {"rate", 0}, {"shape", shape}, {"seed", 7}, {"clock", "simulated"}});
    const auto first = raw_texts(run_to_end(config));
    const auto second = raw_texts(run_to_end(config));
    ASSERT_EQ(first.size(), 300U);
    EXPECT_EQ(first, second) << shape;
    const auto other_seed = raw_texts(run_to_end(
        generator_config({{"count", 300}, {"rate", 0}, {"shape", shape}, {"seed", 8}, {"clock", "simulated"}})));
    EXPECT_NE(first, other_seed) << shape;
    // Not one event repeated within a run either.
    auto sorted = first;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end()) << shape;
  }
}

TEST(GeneratorSource, SameSeedGivesTheSameEventsApartFromWallClockTimes) {
  const auto config = generator_config({{"count", 100}, {"rate", 0}, {"shape", "flow-alerts"}, {"seed", 3}});
  const auto first = run_to_end(config);
  const auto second = run_to_end(config);
  ASSERT_EQ(first.size(), second.size());
  const auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch() - std::chrono::hours(1))
                          .count();
  for (std::size_t i = 0; i < first.size(); ++i) {
    auto a = first[i].payload();
    auto b = second[i].payload();
    EXPECT_GT(a.at("executed_at").get<std::int64_t>(), before);  // wall clock: now, not 2024
    for (const char* key : {"executed_at", "start_time", "end_time"}) {
      a.erase(key);
      b.erase(key);
    }
    EXPECT_EQ(a, b) << i;
  }
}

TEST(GeneratorSource, SimulatedClockAdvancesOneIntervalPerEvent) {
  const auto events =
      run_to_end(generator_config({{"count", 3}, {"rate", 0}, {"shape", "off_lit_trades"}, {"clock", "simulated"}}));
  ASSERT_EQ(events.size(), 3U);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(events[i].payload().at("executed_at").get<std::int64_t>(),
              generator_simulated_start_ms + static_cast<std::int64_t>(i));  // rate 0: 1 ms apart
  }
  // At rate 1000 the nominal interval is 1 ms as well; at rate 4 it is 250 ms.
  GeneratorSource paced(
      generator_config({{"count", 3}, {"rate", 1000}, {"shape", "flow-alerts"}, {"clock", "simulated"}}));
  CollectingSourceContext ctx;
  paced.run(ctx);
  const auto paced_events = ctx.take();
  ASSERT_EQ(paced_events.size(), 3U);
  EXPECT_EQ(paced_events[2].payload().at("executed_at").get<std::int64_t>(), generator_simulated_start_ms + 2);
}

TEST(GeneratorSource, RateZeroRunsAsFastAsPossible) {
  GeneratorSource source(generator_config({{"count", 20000}, {"rate", 0}}));
  CollectingSourceContext ctx;
  std::thread runner([&] { source.run(ctx); });
  // 20000 events at the default 10/s would take more than half an hour.
  EXPECT_TRUE(wait_until([&] { return ctx.size() == 20000; }, 60s));
  ctx.request_stop();
  runner.join();
  EXPECT_EQ(ctx.size(), 20000U);
}

TEST(GeneratorSource, FiftyEventsAtRateThousandFinish) {
  GeneratorSource source(generator_config({{"count", 50}, {"rate", 1000}, {"shape", "flow-alerts"}}));
  CollectingSourceContext ctx;
  std::atomic<bool> done{false};
  std::thread runner([&] {
    source.run(ctx);
    done = true;
  });
  EXPECT_TRUE(wait_until([&] { return done.load(); }, 30s));
  ctx.request_stop();
  runner.join();
  EXPECT_EQ(ctx.size(), 50U);
}

TEST(GeneratorSource, PacingNeverRunsAheadOfTheRate) {
  // Absolute deadlines: by time t at most floor(t * rate) + 1 events can have gone out. A slow
  // machine only emits fewer, so this bound cannot flake.
  GeneratorSource source(generator_config({{"rate", 20}}));
  CollectingSourceContext ctx;
  const auto started = std::chrono::steady_clock::now();
  std::thread runner([&] { source.run(ctx); });
  EXPECT_TRUE(wait_until([&] { return ctx.size() >= 3; }, 30s));
  std::this_thread::sleep_for(300ms);
  ctx.request_stop();
  runner.join();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_LE(static_cast<double>(ctx.size()), elapsed * 20 + 1);
  EXPECT_GE(ctx.size(), 3U);
}

TEST(GeneratorSource, StopWakesASourceWaitingForItsNextEvent) {
  // One event every 1000 s: the first goes out at once, the second would take a quarter hour.
  GeneratorSource source(generator_config({{"rate", 0.001}}));
  CollectingSourceContext ctx;
  std::atomic<bool> done{false};
  std::thread runner([&] {
    source.run(ctx);
    done = true;
  });
  EXPECT_TRUE(wait_until([&] { return ctx.size() == 1; }, 30s));
  EXPECT_FALSE(done.load());
  ctx.request_stop();
  EXPECT_TRUE(wait_until([&] { return done.load(); }, 10s));
  runner.join();
  EXPECT_EQ(ctx.size(), 1U);
}

TEST(GeneratorSource, StopEndsAnUnlimitedFastSource) {
  GeneratorSource source(generator_config({{"rate", 0}, {"shape", "off_lit_trades"}}));
  CollectingSourceContext ctx;
  std::atomic<bool> done{false};
  std::thread runner([&] {
    source.run(ctx);
    done = true;
  });
  EXPECT_TRUE(wait_until([&] { return ctx.size() >= 100; }, 30s));
  ctx.request_stop();
  EXPECT_TRUE(wait_until([&] { return done.load(); }, 10s));
  runner.join();
}

TEST(GeneratorSource, ReturnsWhenEmitRefusesAnEvent) {
  GeneratorSource source(generator_config({{"rate", 0}}));
  CollectingSourceContext ctx(/*stop_after=*/40);
  source.run(ctx);  // must return by itself: emit() returns false after 40 events
  EXPECT_EQ(ctx.size(), 40U);
  EXPECT_EQ(source.status().at("emitted"), 40);
}

TEST(GeneratorConfig, ValidConfigsHaveNoIssues) {
  EXPECT_TRUE(validate_generator_config(generator_config()).empty());
  EXPECT_TRUE(validate_generator_config(generator_config({{"tickers", {"BRK.B", "SPY"}}, {"channel", "x"}})).empty());
}

TEST(GeneratorConfig, ReportsBadTickersAndChannelWithPaths) {
  auto issues = validate_generator_config(generator_config({{"tickers", nlohmann::json::array()}}));
  ASSERT_EQ(issues.size(), 1U);
  EXPECT_EQ(issues[0].path, "tickers");
  EXPECT_EQ(issues[0].severity, ConfigIssue::Severity::error);

  issues = validate_generator_config(generator_config({{"tickers", {"SPY", "spy", "TOOLONGX", 5}}, {"channel", ""}}));
  ASSERT_EQ(issues.size(), 4U);
  EXPECT_EQ(issues[0].path, "tickers/1");
  EXPECT_NE(issues[0].message.find("'spy'"), std::string::npos);
  EXPECT_EQ(issues[1].path, "tickers/2");
  EXPECT_EQ(issues[2].path, "tickers/3");
  EXPECT_EQ(issues[3].path, "channel");
}

TEST(GeneratorConfig, ConstructorRefusesWhatValidateRefuses) {
  EXPECT_THROW(GeneratorSource{generator_config({{"tickers", {"bad ticker"}}})}, PluginError);
  EXPECT_THROW(GeneratorSource{generator_config({{"shape", "nope"}})}, PluginError);
  EXPECT_THROW(GeneratorSource{generator_config({{"rate", -1}})}, PluginError);
  EXPECT_THROW(GeneratorSource{generator_config({{"count", -1}})}, PluginError);
  // A key the engine always fills in (defaults) is missing: a plugin bug, reported as such.
  nlohmann::json without_rate = generator_config().json();
  without_rate.erase("rate");
  EXPECT_THROW(GeneratorSource{Config(without_rate)}, ConfigAccessError);
}

TEST(GeneratorConfig, ReadsEveryOption) {
  GeneratorSource source(generator_config({{"rate", 2.5},
                                           {"count", 9},
                                           {"seed", -5},
                                           {"shape", "off_lit_trades"},
                                           {"tickers", {"ABC"}},
                                           {"clock", "simulated"},
                                           {"channel", "dp"}}));
  const auto& options = source.options();
  EXPECT_EQ(options.rate, 2.5);
  EXPECT_EQ(options.count, 9U);
  EXPECT_EQ(options.seed, static_cast<std::uint64_t>(-5));
  EXPECT_EQ(options.shape, GeneratorShape::off_lit_trades);
  EXPECT_EQ(options.tickers, std::vector<std::string>{"ABC"});
  EXPECT_EQ(options.clock, GeneratorClock::simulated);
  EXPECT_EQ(options.channel, "dp");
}

}  // namespace
}  // namespace flowmind
