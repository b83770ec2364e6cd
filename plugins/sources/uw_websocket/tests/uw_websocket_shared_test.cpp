// Pipelines sharing one UW connection: reference-counted joins and leaves seen from uw-sim, exact
// channel routing, the 3-connections-per-token limit, and a slow pipeline not stalling the others.
#include <string>

#include <gtest/gtest.h>

#include "uw_sim_fixture.hpp"
#include "uw_source_harness.hpp"

namespace flowmind::uw_websocket::testing {
namespace {

bool all_joined(const RunningSource& source) {
  const auto channels = source.status().value("channels", nlohmann::json::object());
  if (channels.empty()) return false;
  for (const auto& [name, channel] : channels.items()) {
    if (channel.value("join", "") != "joined") return false;
  }
  return true;
}

class UwWebSocketShared : public ::testing::Test {
 protected:
  IoThreads io_;
};

TEST_F(UwWebSocketShared, TwoPipelinesShareOneConnectionWithReferenceCountedJoins) {
  UwSimProcess sim(quiet_sim());
  RunningSource a(io_.io(), sim_options(sim, {"flow-alerts", "price:SPY"}), "pipeline-a");
  ASSERT_TRUE(wait_until([&] { return all_joined(a); }, patience));
  RunningSource b(io_.io(), sim_options(sim, {"flow-alerts", "news"}), "pipeline-b");
  ASSERT_TRUE(wait_until([&] { return all_joined(b); }, patience));

  auto log = accepted(sim);
  ASSERT_EQ(log.size(), 1U) << sim.log().dump();
  EXPECT_EQ(count_of(log[0]["joins"], "flow-alerts"), 1U);
  EXPECT_EQ(count_of(log[0]["joins"], "price:SPY"), 1U);
  EXPECT_EQ(count_of(log[0]["joins"], "news"), 1U);
  EXPECT_EQ(a.status()["connection"]["pipelines"], 2);

  // Each pipeline gets exactly its channels.
  EXPECT_EQ(sim.emit("flow-alerts", {{"id", "both"}}), 1);
  EXPECT_EQ(sim.emit("price:SPY", {{"close", "1"}}), 1);
  EXPECT_EQ(sim.emit("news", {{"headline", "h"}}), 1);
  ASSERT_TRUE(wait_until([&] { return a.ctx().events().size() == 2 && b.ctx().events().size() == 2; }, patience));
  EXPECT_EQ(a.ctx().count("flow-alerts"), 1U);
  EXPECT_EQ(a.ctx().count("price:SPY"), 1U);
  EXPECT_EQ(a.ctx().count("news"), 0U);
  EXPECT_EQ(b.ctx().count("flow-alerts"), 1U);
  EXPECT_EQ(b.ctx().count("news"), 1U);
  EXPECT_EQ(b.ctx().count("price:SPY"), 0U);

  // The first pipeline stops: only its own channel is left; flow-alerts stays joined for b.
  a.stop();
  ASSERT_TRUE(wait_until([&] { return count_of(accepted(sim)[0]["leaves"], "price:SPY") == 1; }, patience));
  log = accepted(sim);
  EXPECT_EQ(count_of(log[0]["leaves"], "flow-alerts"), 0U);
  EXPECT_TRUE(log[0]["closed_at_ms"].is_null());
  EXPECT_EQ(sim.emit("flow-alerts", {{"id", "b only"}}), 1);
  ASSERT_TRUE(wait_until([&] { return b.ctx().count("flow-alerts") == 2; }, patience));
  EXPECT_EQ(a.ctx().count("flow-alerts"), 1U);

  // The last one stops: everything is left and the connection closed.
  b.stop();
  ASSERT_TRUE(wait_until(
      [&] {
        const auto last = accepted(sim)[0];
        return count_of(last["leaves"], "flow-alerts") == 1 && count_of(last["leaves"], "news") == 1 &&
               !last["closed_at_ms"].is_null();
      },
      patience))
      << sim.log().dump();
  EXPECT_EQ(accepted(sim).size(), 1U);
}

TEST_F(UwWebSocketShared, ADifferentTokenGetsItsOwnConnection) {
  UwSimProcess sim(quiet_sim());
  RunningSource a(io_.io(), sim_options(sim, {"news"}, "token-one"));
  RunningSource b(io_.io(), sim_options(sim, {"news"}, "token-two"));
  ASSERT_TRUE(wait_until([&] { return all_joined(a) && all_joined(b); }, patience));
  EXPECT_EQ(accepted(sim).size(), 2U);
  EXPECT_EQ(sim.emit("news", {{"headline", "h"}}), 2);
}

TEST_F(UwWebSocketShared, AFourthConnectionForOneTokenIsRefused) {
  UwSimProcess sim(quiet_sim());
  const auto port = std::to_string(sim.port());
  auto first = sim_options(sim, {"news"});
  auto second = sim_options(sim, {"news"}, "test-token", "localhost");
  auto third = sim_options(sim, {"news"});
  third.url += "?variant=3";
  RunningSource a(io_.io(), first);
  RunningSource b(io_.io(), second);
  RunningSource c(io_.io(), third);
  ASSERT_TRUE(wait_until([&] { return all_joined(a) && all_joined(b) && all_joined(c); }, patience));

  auto fourth = sim_options(sim, {"news"});
  fourth.url += "?variant=4";
  RunningSource d(io_.io(), fourth, "fourth");
  ASSERT_TRUE(wait_until([&] { return d.done(); }, patience));
  ASSERT_TRUE(d.failed_fatally());
  EXPECT_NE(d.failure()->find("UW allows 3 WebSocket connections per token"), std::string::npos) << *d.failure();
  EXPECT_EQ(d.failure()->find("test-token"), std::string::npos);
  EXPECT_EQ(accepted(sim).size(), 3U);

  // Pipelines with the same url as an open connection still share it, and a freed slot can be used.
  RunningSource shared(io_.io(), first, "shares-a");
  ASSERT_TRUE(wait_until([&] { return all_joined(shared); }, patience));
  EXPECT_EQ(accepted(sim).size(), 3U);
  c.stop();
  RunningSource again(io_.io(), fourth, "fourth-again");
  ASSERT_TRUE(wait_until([&] { return all_joined(again); }, patience)) << again.status().dump();
}

TEST_F(UwWebSocketShared, TooManyConnectionsOnTheServerSideIsRetriedUntilASlotFrees) {
  UwSimProcess sim(quiet_sim({"--max-connections-per-token", "1"}));
  RunningSource first(io_.io(), sim_options(sim, {"news"}));
  ASSERT_TRUE(wait_until([&] { return all_joined(first); }, patience));
  auto options = sim_options(sim, {"news"}, "test-token", "localhost");  // another url: its own connection
  RunningSource second(io_.io(), options);
  ASSERT_TRUE(wait_until([&] { return second.status()["connection"].value("connect_failures", 0) >= 2; }, patience));
  EXPECT_NE(second.status()["connection"]["last_error"].get<std::string>().find("HTTP 429"), std::string::npos)
      << second.status().dump();
  EXPECT_FALSE(second.done());
  first.stop();
  ASSERT_TRUE(wait_until([&] { return all_joined(second); }, patience)) << second.status().dump();
}

TEST_F(UwWebSocketShared, ASlowPipelineDropsItsOwnOldestMessagesWithoutStallingTheOthers) {
  UwSimProcess sim(quiet_sim());
  auto slow_options = sim_options(sim, {"flow-alerts"});
  slow_options.queue_limit = 5;
  RunningSource slow(io_.io(), slow_options, "slow");
  RunningSource fast(io_.io(), sim_options(sim, {"flow-alerts"}), "fast");
  ASSERT_TRUE(wait_until([&] { return all_joined(slow) && all_joined(fast); }, patience));
  slow.ctx().hold(true);  // its emit() blocks, like a pipeline under backpressure
  for (int i = 0; i < 40; ++i) EXPECT_EQ(sim.emit("flow-alerts", {{"n", i}}), 1);
  ASSERT_TRUE(wait_until([&] { return fast.ctx().count("flow-alerts") == 40; }, patience));
  ASSERT_TRUE(wait_until([&] { return slow.status()["queue"]["dropped"].get<int>() >= 30; }, patience))
      << slow.status().dump();
  slow.ctx().hold(false);
  ASSERT_TRUE(wait_until([&] { return slow.status()["queue"]["size"] == 0; }, patience));
  const auto status = slow.status();
  const auto received = slow.ctx().count("flow-alerts");
  EXPECT_EQ(received + status["queue"]["dropped"].get<std::size_t>(), 40U);
  EXPECT_EQ(status["channels"]["flow-alerts"]["dropped"], status["queue"]["dropped"]);
  // The newest message always survives drop-oldest.
  EXPECT_EQ(nlohmann::json::parse(slow.ctx().events().back().payload)["n"], 39);
}

}  // namespace
}  // namespace flowmind::uw_websocket::testing
