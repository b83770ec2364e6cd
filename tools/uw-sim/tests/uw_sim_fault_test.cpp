// uw-sim fault injection: each fault from /_sim/fault (and --fault) seen from a real client.
#include <gtest/gtest.h>

#include "test_support.hpp"
#include "uw_sim_process.hpp"
#include "ws_test_client.hpp"

namespace flowmind::uwsim::testing {
namespace {

using flowmind::testing::http_request;
using flowmind::testing::UwSimProcess;
using flowmind::testing::wait_until;
using nlohmann::json;
using namespace std::chrono_literals;

std::vector<std::string> quiet(std::vector<std::string> extra = {}) {
  std::vector<std::string> args;
  for (const char* channel : {"flow-alerts", "option_trades", "off_lit_trades", "lit_trades", "price", "gex",
                              "gex_strike", "gex_strike_expiry", "news", "market_tide"}) {
    args.insert(args.end(), {"--rate", std::string(channel) + "=0"});
  }
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// A connected client joined to `channel` (ack consumed).
std::unique_ptr<WsTestClient> joined_client(const UwSimProcess& sim, const std::string& channel) {
  auto client = std::make_unique<WsTestClient>(sim.port());
  if (!client->connect()) throw std::runtime_error("connect failed: " + client->error());
  client->join(channel);
  if (!client->wait_ack(channel)) throw std::runtime_error("no ack for " + channel);
  return client;
}

TEST(UwSimFaults, DropAllClosesEveryConnection) {
  UwSimProcess sim({.extra_args = quiet()});
  auto first = joined_client(sim, "news");
  auto second = joined_client(sim, "flow-alerts");
  sim.fault({{"fault", "drop_all"}});
  EXPECT_TRUE(first->wait_closed(10s));
  EXPECT_TRUE(second->wait_closed(10s));
  ASSERT_TRUE(wait_until([&] { return sim.stats()["active_connections"] == 0; }, 10s));
  const auto log = sim.log();
  for (const auto& connection : log["connections"]) EXPECT_FALSE(connection["closed_at_ms"].is_null());
  auto again = joined_client(sim, "news");  // the server forgot the joins, new connections work
  EXPECT_EQ(sim.emit("news", json{{"headline", "x"}}), 1);
}

TEST(UwSimFaults, StallStopsDataAndPongsUntilCleared) {
  UwSimProcess sim({.extra_args = quiet()});
  auto client = joined_client(sim, "news");
  client->ping();
  ASSERT_TRUE(client->wait_pongs(1, 10s));  // before the stall pings are answered
  sim.fault({{"fault", "stall"}, {"seconds", 0}});
  EXPECT_EQ(sim.emit("news", json{{"headline", "held"}}), 1);
  client->ping();
  // A negative can only be observed over a window: nothing may arrive while stalled.
  client->pump(1500ms);
  EXPECT_EQ(client->pongs(), 1);
  EXPECT_EQ(client->buffered(), 0u);
  EXPECT_EQ(sim.log()["connections"][0]["pings_received"], 1);
  sim.fault({{"fault", "clear"}});
  EXPECT_TRUE(client->wait_pongs(2, 10s));
  const auto held = client->read_json();
  ASSERT_TRUE(held);
  EXPECT_EQ((*held)[1]["headline"], "held");
}

TEST(UwSimFaults, TimedStallEndsByItself) {
  UwSimProcess sim({.extra_args = quiet()});
  auto client = joined_client(sim, "news");
  sim.fault({{"fault", "stall"}, {"seconds", 2}});
  EXPECT_EQ(sim.faults()["faults"][0]["fault"], "stall");
  EXPECT_EQ(sim.emit("news", json{{"headline", "later"}}), 1);
  client->ping();
  EXPECT_TRUE(client->wait_pongs(1, 15s));
  const auto later = client->read_json(15s);
  ASSERT_TRUE(later);
  EXPECT_EQ((*later)[1]["headline"], "later");
}

TEST(UwSimFaults, StallAlsoHoldsNewConnections) {
  UwSimProcess sim({.extra_args = quiet()});
  sim.fault({{"fault", "stall"}, {"seconds", 0}});
  WsTestClient client(sim.port());
  ASSERT_TRUE(client.connect()) << client.error();  // the upgrade itself still works
  client.join("news");
  client.ping();
  client.pump(1000ms);
  EXPECT_EQ(client.pongs(), 0);
  EXPECT_EQ(client.buffered(), 0u);
  sim.reset();
  EXPECT_TRUE(client.wait_ack("news"));
  EXPECT_TRUE(client.wait_pongs(1, 10s));
}

TEST(UwSimFaults, MalformedFramesOfEveryKind) {
  UwSimProcess sim({.extra_args = quiet()});
  auto client = joined_client(sim, "news");
  for (const std::string kind : {"not_json", "not_array", "wrong_arity", "payload_not_object"}) {
    SCOPED_TRACE(kind);
    sim.fault({{"fault", "malformed"}, {"kind", kind}, {"count", 2}});
    for (int index = 0; index < 3; ++index) EXPECT_EQ(sim.emit("news", json{{"n", index}}), 1);
    for (int index = 0; index < 2; ++index) {
      const auto text = client->read();
      ASSERT_TRUE(text);
      const auto parsed = json::parse(*text, nullptr, false);
      if (kind == "not_json") {
        EXPECT_TRUE(parsed.is_discarded()) << *text;
      } else if (kind == "not_array") {
        EXPECT_TRUE(parsed.is_object()) << *text;
      } else if (kind == "wrong_arity") {
        EXPECT_TRUE(parsed.is_array() && parsed.size() != 2) << *text;
      } else {
        EXPECT_TRUE(parsed.is_array() && parsed.size() == 2 && !parsed[1].is_object()) << *text;
      }
    }
    const auto good = client->read_json();
    ASSERT_TRUE(good);
    EXPECT_EQ(*good, json::array({"news", {{"n", 2}}}));
  }
}

TEST(UwSimFaults, MalformedCountsPerConnection) {
  UwSimProcess sim({.extra_args = quiet()});
  auto first = joined_client(sim, "news");
  auto second = joined_client(sim, "news");
  sim.fault({{"fault", "malformed"}, {"kind", "not_array"}, {"count", 1}});
  EXPECT_EQ(sim.emit("news", json{{"n", 1}}), 2);
  EXPECT_EQ(sim.emit("news", json{{"n", 2}}), 2);
  for (auto* client : {first.get(), second.get()}) {
    const auto bad = client->read_json();
    ASSERT_TRUE(bad);
    EXPECT_TRUE(bad->is_object());
    const auto good = client->read_json();
    ASSERT_TRUE(good);
    EXPECT_EQ(*good, json::array({"news", {{"n", 2}}}));
  }
}

TEST(UwSimFaults, OversizedFramesArePaddedValidMessages) {
  UwSimProcess sim({.extra_args = quiet()});
  auto client = joined_client(sim, "flow-alerts");
  const std::size_t bytes = 5 * 1024 * 1024;
  sim.fault({{"fault", "oversized"}, {"bytes", bytes}, {"count", 1}});
  EXPECT_EQ(sim.emit("flow-alerts", json{{"ticker", "SPY"}}), 1);
  EXPECT_EQ(sim.emit("flow-alerts", json{{"ticker", "QQQ"}}), 1);
  const auto big = client->read(20s);
  ASSERT_TRUE(big);
  EXPECT_EQ(big->size(), bytes);
  const auto parsed = json::parse(*big);
  ASSERT_TRUE(parsed.is_array() && parsed.size() == 2);
  EXPECT_EQ(parsed[0], "flow-alerts");
  EXPECT_EQ(parsed[1]["ticker"], "SPY");
  const auto normal = client->read_json();
  ASSERT_TRUE(normal);
  EXPECT_EQ(*normal, json::array({"flow-alerts", {{"ticker", "QQQ"}}}));
}

TEST(UwSimFaults, RefuseUpgradeCountedAndUntilCleared) {
  UwSimProcess sim({.extra_args = quiet()});
  sim.fault({{"fault", "refuse_upgrade"}, {"status", 500}, {"count", 1}});
  WsTestClient refused(sim.port());
  EXPECT_FALSE(refused.connect());
  EXPECT_EQ(refused.status(), 500);
  WsTestClient accepted(sim.port());
  EXPECT_TRUE(accepted.connect()) << accepted.error();
  sim.fault({{"fault", "refuse_upgrade"}, {"status", 403}, {"count", 0}});
  for (int index = 0; index < 3; ++index) {
    WsTestClient client(sim.port());
    EXPECT_FALSE(client.connect());
    EXPECT_EQ(client.status(), 403);
  }
  sim.fault({{"fault", "clear"}});
  WsTestClient after(sim.port());
  EXPECT_TRUE(after.connect()) << after.error();
  std::vector<int> statuses;
  const auto log = sim.log();
  for (const auto& connection : log["connections"]) statuses.push_back(connection["status"]);
  EXPECT_EQ(statuses, (std::vector<int>{500, 101, 403, 403, 403, 101}));
}

TEST(UwSimFaults, FaultFromTheCommandLine) {
  UwSimProcess sim({.extra_args = quiet({"--fault", R"({"fault":"refuse_upgrade","status":401,"count":0})"})});
  WsTestClient client(sim.port());
  EXPECT_FALSE(client.connect());
  EXPECT_EQ(client.status(), 401);
  sim.reset();
  WsTestClient after(sim.port());
  EXPECT_TRUE(after.connect()) << after.error();
}

TEST(UwSimFaults, IgnoredJoinsAreNeitherAckedNorHonoured) {
  UwSimProcess sim({.extra_args = quiet()});
  WsTestClient client(sim.port());
  ASSERT_TRUE(client.connect()) << client.error();
  sim.fault({{"fault", "ignore_joins"}, {"count", 1}});
  client.join("news");
  client.join("flow-alerts");
  const auto first = client.read_json();  // acks come in order: news would be first if it were acked
  ASSERT_TRUE(first);
  EXPECT_EQ((*first)[0], "flow-alerts");
  EXPECT_EQ(sim.emit("news", json::object()), 0);
  EXPECT_EQ(sim.log()["connections"][0]["joins"], json::array({"news", "flow-alerts"}));
  client.join("news");  // the count is used up
  EXPECT_TRUE(client.wait_ack("news"));
}

TEST(UwSimFaults, LateAckDelaysTheJoin) {
  UwSimProcess sim({.extra_args = quiet()});
  WsTestClient client(sim.port());
  ASSERT_TRUE(client.connect()) << client.error();
  sim.fault({{"fault", "late_ack"}, {"ms", 4000}});
  client.join("news");
  ASSERT_TRUE(wait_until([&] { return sim.log()["connections"][0]["joins"].size() == 1; }, 10s));
  EXPECT_EQ(sim.emit("news", json::object()), 0);  // not joined before the ack
  const auto ack = client.wait_ack("news", 20s);
  ASSERT_TRUE(ack);
  EXPECT_EQ((*ack)[1]["status"], "ok");
  EXPECT_EQ(sim.emit("news", json::object()), 1);
}

TEST(UwSimFaults, RestFaults) {
  UwSimProcess sim({.extra_args = quiet()});
  auto get = [&] {
    return flowmind::testing::http_request(sim.port(), "GET", "/api/congress/recent-trades?limit=1&token=t");
  };
  sim.fault({{"fault", "rest_429"}, {"retry_after", 7}, {"count", 1}});
  auto limited = get();
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.headers["retry-after"], "7");
  EXPECT_EQ(get().status, 200);
  sim.fault({{"fault", "rest_500"}, {"count", 2}});
  EXPECT_EQ(get().status, 500);
  EXPECT_EQ(get().status, 500);
  EXPECT_EQ(get().status, 200);
  std::vector<int> statuses;
  const auto log = sim.log();
  for (const auto& request : log["rest_requests"]) statuses.push_back(request["status"]);
  EXPECT_EQ(statuses, (std::vector<int>{429, 200, 500, 500, 200}));
}

TEST(UwSimFaults, InvalidFaultsAreRejected) {
  UwSimProcess sim({.extra_args = quiet()});
  for (const std::string body : {"not json", R"({"fault":"explode"})", R"({"fault":"malformed","kind":"weird"})",
                                 R"({"fault":"stall","seconds":-1})", R"({"fault":"refuse_upgrade","status":302})",
                                 R"({"fault":"late_ack"})", R"([1,2])"}) {
    const auto response = http_request(sim.port(), "POST", "/_sim/fault", body);
    EXPECT_EQ(response.status, 400) << body;
    EXPECT_TRUE(json::parse(response.body).contains("error")) << response.body;
  }
  EXPECT_EQ(sim.faults()["faults"], json::array());
  EXPECT_THROW(sim.fault({{"fault", "nope"}}), std::runtime_error);
}

TEST(UwSimFaults, SlowClientQueueDropsOldestAndCountsIt) {
  UwSimProcess sim({.extra_args = quiet({"--queue-limit", "10"})});
  auto client = joined_client(sim, "news");
  sim.fault({{"fault", "stall"}, {"seconds", 0}});
  for (int index = 0; index < 50; ++index) EXPECT_EQ(sim.emit("news", json{{"n", index}}), 1);
  EXPECT_EQ(sim.log()["connections"][0]["dropped"], 40);
  EXPECT_EQ(sim.stats()["messages_dropped"], 40);
  sim.fault({{"fault", "clear"}});
  const auto first = client->read_json();
  ASSERT_TRUE(first);
  EXPECT_EQ((*first)[1]["n"], 40);  // the oldest were dropped
}

}  // namespace
}  // namespace flowmind::uwsim::testing
