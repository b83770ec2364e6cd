// The uw_websocket source against a real uw-sim process: joins, acks, data, reconnects, health,
// malformed and oversized frames, rejected tokens, TLS, unacknowledged joins, the reconnect hook.
#include <string>

#include <gtest/gtest.h>

#include "uw_sim_fixture.hpp"
#include "uw_source_harness.hpp"

namespace flowmind::uw_websocket::testing {
namespace {

bool all_joined(const RunningSource& source) {
  const auto status = source.status();
  const auto channels = status.find("channels");
  if (channels == status.end() || channels->empty()) return false;
  for (const auto& [name, channel] : channels->items()) {
    if (channel.value("join", "") != "joined") return false;
  }
  return true;
}

std::string join_of(const RunningSource& source, const std::string& channel) {
  const auto status = source.status();
  const auto channels = status.find("channels");
  if (channels == status.end()) return {};
  const auto found = channels->find(channel);
  return found == channels->end() ? std::string() : found->value("join", "");
}

std::uint64_t connection_stat(const RunningSource& source, const char* key) {
  return source.status().at("connection").value(key, std::uint64_t{0});
}

class UwWebSocketSim : public ::testing::Test {
 protected:
  IoThreads io_;
};

TEST_F(UwWebSocketSim, JoinsSeveralChannelsAndEmitsTheirDataButNotTheAcks) {
  UwSimProcess sim(quiet_sim());
  RunningSource source(io_.io(), sim_options(sim, {"flow-alerts", "price:SPY", "news"}));
  ASSERT_TRUE(wait_until([&] { return all_joined(source); }, patience)) << source.status().dump();

  const auto log = accepted(sim);
  ASSERT_EQ(log.size(), 1U);
  EXPECT_TRUE(has_all(log[0].at("joins"), {"flow-alerts", "price:SPY", "news"})) << log[0].dump();
  EXPECT_EQ(log[0].at("joins").size(), 3U);

  const nlohmann::json price = {{"close", "562.82"}, {"time", 1726670327692}, {"vol", 6015555}};
  const nlohmann::json alert = {{"ticker", "SPY"}, {"total_premium", 1250000}, {"option_chain", "SPY241018C00580000"}};
  EXPECT_EQ(sim.emit("price:SPY", price), 1);
  EXPECT_EQ(sim.emit("flow-alerts", alert), 1);
  EXPECT_EQ(sim.emit("news", {{"headline", "x"}}), 1);
  EXPECT_EQ(sim.emit("price:QQQ", price), 0);  // not joined: the simulator has nobody to send it to
  ASSERT_TRUE(wait_until([&] { return source.ctx().events().size() >= 3; }, patience));

  const auto events = source.ctx().events();
  ASSERT_EQ(events.size(), 3U);  // the three acks were not events
  EXPECT_EQ(events[0].channel, "price:SPY");
  EXPECT_EQ(nlohmann::json::parse(events[0].payload), price);
  EXPECT_EQ(events[1].channel, "flow-alerts");
  EXPECT_EQ(nlohmann::json::parse(events[1].payload), alert);
  EXPECT_EQ(events[2].channel, "news");

  const auto status = source.status();
  EXPECT_EQ(status["connection"]["state"], "connected");
  EXPECT_TRUE(status["connection"]["connected_since"].is_string());
  EXPECT_EQ(status["channels"]["price:SPY"]["messages"], 1);
  EXPECT_GT(status["channels"]["price:SPY"]["bytes"].get<int>(), 40);
  EXPECT_TRUE(status["channels"]["price:SPY"]["last_message_age_ms"].is_number());
  EXPECT_EQ(status["channels"]["flow-alerts"]["delivered"], 1);
  EXPECT_EQ(status["connection"]["parse_errors"], 0);
  EXPECT_EQ(status["connection"]["reconnects"], 0);
}

TEST_F(UwWebSocketSim, ReconnectsAfterADroppedConnectionAndRejoinsEveryChannel) {
  UwSimProcess sim(quiet_sim());
  RunningSource source(io_.io(), sim_options(sim, {"flow-alerts", "gex:SPY"}));
  ASSERT_TRUE(wait_until([&] { return all_joined(source); }, patience));
  sim.fault({{"fault", "drop_all"}});
  ASSERT_TRUE(wait_until(
      [&] {
        const auto log = accepted(sim);
        return log.size() == 2 && has_all(log[1].at("joins"), {"flow-alerts", "gex:SPY"}) && all_joined(source) &&
               connection_stat(source, "reconnects") == 1;
      },
      patience))
      << sim.log().dump() << source.status().dump();
  EXPECT_EQ(sim.emit("gex:SPY", {{"gamma_per_one_percent_move_oi", "123"}}), 1);
  ASSERT_TRUE(wait_until([&] { return source.ctx().count("gex:SPY") == 1; }, patience));
  EXPECT_NE(source.ctx().all_logs().find("reconnecting in"), std::string::npos);
}

TEST_F(UwWebSocketSim, AStalledConnectionIsFoundDeadByThePingDeadlineAndReplaced) {
  UwSimProcess sim(quiet_sim());
  auto options = sim_options(sim, {"flow-alerts"});
  options.ping_after = 200ms;
  options.pong_timeout = 300ms;
  RunningSource source(io_.io(), options);
  ASSERT_TRUE(wait_until([&] { return all_joined(source); }, patience));
  // Silence alone is not death: the simulator answers the pings.
  ASSERT_TRUE(wait_until([&] { return connection_stat(source, "pings") >= 2; }, patience));
  EXPECT_EQ(connection_stat(source, "ping_timeouts"), 0U);
  sim.fault({{"fault", "stall"}, {"seconds", 2}});
  ASSERT_TRUE(wait_until([&] { return connection_stat(source, "ping_timeouts") >= 1; }, patience))
      << source.status().dump();
  ASSERT_TRUE(wait_until(
      [&] {
        return connection_stat(source, "reconnects") >= 1 && all_joined(source) &&
               sim.emit("flow-alerts", {{"id", "after"}}) == 1;
      },
      patience))
      << source.status().dump();
  ASSERT_TRUE(wait_until([&] { return source.ctx().count("flow-alerts") >= 1; }, patience));
  EXPECT_NE(source.ctx().all_logs().find("no pong within 300 ms"), std::string::npos) << source.ctx().all_logs();
}

TEST_F(UwWebSocketSim, MalformedFramesAreCountedAndGoodOnesKeepFlowing) {
  UwSimProcess sim(quiet_sim());
  RunningSource source(io_.io(), sim_options(sim, {"flow-alerts"}));
  ASSERT_TRUE(wait_until([&] { return all_joined(source); }, patience));
  int good = 0;
  for (const char* kind : {"not_json", "not_array", "wrong_arity", "payload_not_object"}) {
    sim.fault({{"fault", "malformed"}, {"kind", kind}, {"count", 1}});
    EXPECT_EQ(sim.emit("flow-alerts", {{"id", std::string("bad-") + kind}}), 1);
    EXPECT_EQ(sim.emit("flow-alerts", {{"id", "good-" + std::to_string(++good)}}), 1);
  }
  ASSERT_TRUE(wait_until([&] { return source.ctx().count("flow-alerts") == 4; }, patience)) << source.status().dump();
  ASSERT_TRUE(wait_until([&] { return connection_stat(source, "parse_errors") == 4; }, patience));
  for (const auto& event : source.ctx().events()) {
    EXPECT_EQ(nlohmann::json::parse(event.payload)["id"].get<std::string>().rfind("good-", 0), 0U) << event.payload;
  }
  EXPECT_EQ(connection_stat(source, "reconnects"), 0U);
  EXPECT_EQ(accepted(sim).size(), 1U);
  // Logged (rate-limited) without the frame's content.
  const auto logs = source.ctx().all_logs();
  EXPECT_NE(logs.find("malformed frame"), std::string::npos);
  EXPECT_EQ(logs.find("bad-"), std::string::npos);
}

TEST_F(UwWebSocketSim, AFrameOverTheReceiveLimitDropsTheConnectionWhichComesBack) {
  UwSimProcess sim(quiet_sim());
  auto options = sim_options(sim, {"off_lit_trades"});
  options.receive_limit = 4096;
  RunningSource source(io_.io(), options);
  ASSERT_TRUE(wait_until([&] { return all_joined(source); }, patience));
  sim.fault({{"fault", "oversized"}, {"bytes", 20000}, {"count", 1}});
  EXPECT_EQ(sim.emit("off_lit_trades", {{"id", "big"}}), 1);
  ASSERT_TRUE(wait_until(
      [&] {
        return connection_stat(source, "oversized_frames") == 1 && connection_stat(source, "reconnects") == 1 &&
               all_joined(source);
      },
      patience))
      << source.status().dump();
  // The simulator's fault applies to each connection's next frames, the new one's too.
  sim.fault({{"fault", "clear"}});
  EXPECT_EQ(sim.emit("off_lit_trades", {{"id", "small"}}), 1);
  ASSERT_TRUE(wait_until([&] { return source.ctx().count("off_lit_trades") == 1; }, patience));
  EXPECT_EQ(nlohmann::json::parse(source.ctx().events()[0].payload)["id"], "small");
  EXPECT_NE(source.ctx().all_logs().find("receive_limit"), std::string::npos);
}

TEST_F(UwWebSocketSim, ARejectedTokenIsFatalAfterExactlyOneAttempt) {
  UwSimProcess sim(quiet_sim({"--token", "the-good-token"}));
  RunningSource source(io_.io(), sim_options(sim, {"flow-alerts"}, "Wrong-Token-4711"));
  ASSERT_TRUE(wait_until([&] { return source.done(); }, patience));
  ASSERT_TRUE(source.failed_fatally());
  const auto message = *source.failure();
  EXPECT_NE(message.find("UW rejected the token (HTTP 401"), std::string::npos) << message;
  EXPECT_EQ(message.find("Wrong-Token-4711"), std::string::npos) << message;
  const auto status = source.status();
  EXPECT_EQ(status["connection"]["state"], "failed");
  EXPECT_EQ(status.dump().find("Wrong-Token-4711"), std::string::npos) << status.dump();
  EXPECT_EQ(source.ctx().all_logs().find("Wrong-Token-4711"), std::string::npos);
  // No retry storm: still one attempt a while later.
  std::this_thread::sleep_for(500ms);
  const auto log = connections(sim);
  ASSERT_EQ(log.size(), 1U) << log.dump();
  EXPECT_EQ(log[0]["status"], 401);
}

TEST_F(UwWebSocketSim, AForbiddenPlanIsFatalToo) {
  UwSimProcess sim(quiet_sim({"--forbidden-token", "no-ws-plan"}));
  RunningSource source(io_.io(), sim_options(sim, {"flow-alerts"}, "no-ws-plan"));
  ASSERT_TRUE(wait_until([&] { return source.done(); }, patience));
  ASSERT_TRUE(source.failed_fatally());
  EXPECT_NE(source.failure()->find("HTTP 403"), std::string::npos) << *source.failure();
  EXPECT_EQ(source.failure()->find("no-ws-plan"), std::string::npos);
  EXPECT_EQ(connections(sim).size(), 1U);
}

TEST_F(UwWebSocketSim, ServerErrorsAreRetriedWithBackoff) {
  UwSimProcess sim(quiet_sim());
  sim.fault({{"fault", "refuse_upgrade"}, {"status", 500}, {"count", 2}});
  RunningSource source(io_.io(), sim_options(sim, {"news"}));
  ASSERT_TRUE(wait_until([&] { return all_joined(source); }, patience)) << source.status().dump();
  EXPECT_EQ(connection_stat(source, "connect_failures"), 2U);
  const auto log = connections(sim);
  ASSERT_EQ(log.size(), 3U);
  EXPECT_EQ(log[0]["status"], 500);
  EXPECT_EQ(log[2]["status"], 101);
  EXPECT_FALSE(source.done());
}

TEST_F(UwWebSocketSim, GivesUpAfterReconnectAttemptsWhenLimited) {
  UwSimProcess sim(quiet_sim());
  sim.fault({{"fault", "refuse_upgrade"}, {"status", 500}, {"count", 0}});
  auto options = sim_options(sim, {"news"});
  options.reconnect_attempts = 2;
  RunningSource source(io_.io(), options);
  ASSERT_TRUE(wait_until([&] { return source.done(); }, patience));
  ASSERT_TRUE(source.failed_fatally());
  EXPECT_NE(source.failure()->find("after 2 failed reconnect attempt"), std::string::npos) << *source.failure();
  EXPECT_EQ(connections(sim).size(), 3U);  // the first try and two reconnects
}

TEST_F(UwWebSocketSim, TlsIsAcceptedWithTheSimulatorsCaAndRefusedWithAnotherOne) {
  UwSimProcess sim(quiet_sim({}, true));
  UwSimProcess other(quiet_sim({}, true));  // its own cert dir, so its own CA
  RunningSource good(io_.io(), sim_options(sim, {"flow-alerts"}));
  ASSERT_TRUE(wait_until([&] { return all_joined(good); }, patience)) << good.status().dump();
  EXPECT_EQ(sim.emit("flow-alerts", {{"id", "tls"}}), 1);
  ASSERT_TRUE(wait_until([&] { return good.ctx().count("flow-alerts") == 1; }, patience));
  EXPECT_EQ(accepted(sim).at(0).value("tls", false), true);

  auto options = sim_options(sim, {"flow-alerts"}, "other-token");
  options.ca_file = other.ca_file().string();
  RunningSource bad(io_.io(), options);
  ASSERT_TRUE(wait_until([&] { return connection_stat(bad, "connect_failures") >= 2; }, patience));
  const auto status = bad.status();
  EXPECT_EQ(status["connection"]["connected"], false);
  EXPECT_NE(status["connection"]["last_error"].get<std::string>().find("certificate verification failed"),
            std::string::npos)
      << status.dump();
  EXPECT_EQ(bad.ctx().count("flow-alerts"), 0U);
  EXPECT_FALSE(bad.done());  // a TLS failure is retried (it may be a transient interception)
}

TEST_F(UwWebSocketSim, AWssHostNameMustMatchTheCertificate) {
  UwSimProcess sim(quiet_sim({}, true));
  // The certificate names 127.0.0.1 and localhost, so "localhost" verifies as a host name.
  RunningSource named(io_.io(), sim_options(sim, {"news"}, "test-token", "localhost"));
  ASSERT_TRUE(wait_until([&] { return all_joined(named); }, patience)) << named.status().dump();
  // "127.1" reaches the same server (glibc resolves it to 127.0.0.1) but is not a name the
  // certificate lists: the trusted CA alone is not enough.
  RunningSource other_name(io_.io(), sim_options(sim, {"news"}, "test-token", "127.1"));
  ASSERT_TRUE(wait_until([&] { return connection_stat(other_name, "connect_failures") >= 1; }, patience));
  EXPECT_NE(other_name.status()["connection"]["last_error"].get<std::string>().find("hostname mismatch"),
            std::string::npos)
      << other_name.status().dump();
  EXPECT_EQ(other_name.status()["connection"]["connected"], false);
}

TEST_F(UwWebSocketSim, AnUnacknowledgedJoinIsRetriedAndThenReported) {
  UwSimProcess sim(quiet_sim());
  auto options = sim_options(sim, {"flow-alerts", "news"});
  options.ack_timeout = 300ms;
  options.join_retries = 2;
  sim.fault({{"fault", "ignore_joins"}, {"count", 1}});  // the first join (flow-alerts) goes unanswered
  RunningSource retried(io_.io(), options);
  ASSERT_TRUE(wait_until([&] { return all_joined(retried); }, patience)) << retried.status().dump();
  EXPECT_EQ(retried.status()["channels"]["flow-alerts"]["join_attempts"], 2);
  EXPECT_EQ(retried.status()["channels"]["news"]["join_attempts"], 1);
  retried.stop();

  sim.fault({{"fault", "ignore_joins"}, {"count", 3}});
  options.channels = {"market_tide"};
  RunningSource reported(io_.io(), options);
  ASSERT_TRUE(wait_until([&] { return join_of(reported, "market_tide") == "failed"; }, patience))
      << reported.status().dump();
  const auto status = reported.status();
  EXPECT_EQ(status["channels"]["market_tide"]["join_attempts"], 3);
  EXPECT_EQ(status["connection"]["join_failures"], 1);
  bool error_logged = false;
  for (const auto& [level, message] : reported.ctx().logs()) {
    error_logged = error_logged || (level == LogLevel::error && message.find("market_tide") != std::string::npos &&
                                    message.find("not acknowledged after 3") != std::string::npos);
  }
  EXPECT_TRUE(error_logged) << reported.ctx().all_logs();
  EXPECT_FALSE(reported.done());  // reported, not fatal
}

TEST_F(UwWebSocketSim, AnUnknownChannelRefusedByTheServerIsReported) {
  UwSimProcess sim(quiet_sim());
  RunningSource source(io_.io(), sim_options(sim, {"no_such_channel", "news"}));
  ASSERT_TRUE(wait_until(
      [&] { return join_of(source, "no_such_channel") == "refused" && join_of(source, "news") == "joined"; }, patience))
      << source.status().dump();
  EXPECT_NE(source.ctx().all_logs().find("refused to join channel 'no_such_channel'"), std::string::npos);
}

TEST_F(UwWebSocketSim, TheReconnectHookRenewsTheConnection) {
  UwSimProcess sim(quiet_sim());
  auto options = sim_options(sim, {"price:AAPL"});
  options.reconnect_initial = 10s;  // a requested reconnect does not wait for the backoff
  RunningSource source(io_.io(), options);
  ASSERT_TRUE(wait_until([&] { return all_joined(source); }, patience));
  EXPECT_TRUE(source.source().reconnect());
  ASSERT_TRUE(wait_until(
      [&] {
        const auto log = accepted(sim);
        return log.size() == 2 && !log[0]["closed_at_ms"].is_null() && count_of(log[1]["joins"], "price:AAPL") == 1 &&
               all_joined(source);
      },
      patience))
      << sim.log().dump();
  EXPECT_EQ(source.status()["connection"]["requested_reconnects"], 1);
  EXPECT_EQ(sim.emit("price:AAPL", {{"close", "1"}}), 1);
  ASSERT_TRUE(wait_until([&] { return source.ctx().count("price:AAPL") == 1; }, patience));
  source.stop();
  EXPECT_FALSE(source.source().reconnect());  // nothing left to reconnect
}

TEST_F(UwWebSocketSim, StopReturnsPromptlyAndClosesTheConnection) {
  UwSimProcess sim(quiet_sim());
  RunningSource source(io_.io(), sim_options(sim, {"news"}));
  ASSERT_TRUE(wait_until([&] { return all_joined(source); }, patience));
  source.stop();
  EXPECT_TRUE(source.done());
  EXPECT_EQ(source.status()["connection"]["state"], "released");
  ASSERT_TRUE(wait_until([&] { return !accepted(sim).at(0)["closed_at_ms"].is_null(); }, patience));
  EXPECT_EQ(count_of(accepted(sim).at(0)["leaves"], "news"), 1U);
}

}  // namespace
}  // namespace flowmind::uw_websocket::testing
