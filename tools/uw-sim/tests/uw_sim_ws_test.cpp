// uw-sim WebSocket behaviour: joins, acks, channel filtering, auth, connection limits, the client log, TLS.
#include <gtest/gtest.h>

#include <set>

#include "test_support.hpp"
#include "uw_sim_process.hpp"
#include "ws_test_client.hpp"

namespace flowmind::uwsim::testing {
namespace {

using flowmind::testing::http_request;
using flowmind::testing::TempDir;
using flowmind::testing::UwSimProcess;
using flowmind::testing::wait_until;
using nlohmann::json;
using namespace std::chrono_literals;

// Every generated channel off: data only arrives through /_sim/emit unless a test turns a rate on.
std::vector<std::string> quiet_rates(std::vector<std::string> extra = {}) {
  std::vector<std::string> args;
  for (const char* channel : {"flow-alerts", "option_trades", "off_lit_trades", "lit_trades", "price", "gex",
                              "gex_strike", "gex_strike_expiry", "news", "market_tide"}) {
    args.insert(args.end(), {"--rate", std::string(channel) + "=0"});
  }
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

bool is_data(const json& message, const std::string& channel) {
  return message.is_array() && message.size() == 2 && message[0] == channel && message[1].is_object() &&
         !message[1].contains("status");
}

TEST(UwSimWebSocket, JoinIsAckedAndOnlyJoinedChannelsArrive) {
  UwSimProcess sim({.extra_args = quiet_rates({"--rate", "flow-alerts=40", "--rate", "news=40"})});
  WsTestClient client(sim.port());
  ASSERT_TRUE(client.connect()) << client.error();
  EXPECT_EQ(client.status(), 101);
  client.join("flow-alerts");
  const auto ack = client.read_json();
  ASSERT_TRUE(ack);
  EXPECT_EQ(*ack, json::parse(R"(["flow-alerts",{"response":{},"status":"ok"}])"));
  for (int index = 0; index < 20; ++index) {
    const auto message = client.read_json();
    ASSERT_TRUE(message) << "message " << index;
    ASSERT_TRUE(is_data(*message, "flow-alerts")) << message->dump();
  }
  EXPECT_EQ(sim.emit("price:SPY", json{{"close", "1"}}), 0);
}

TEST(UwSimWebSocket, SeveralChannelsOnOneConnection) {
  UwSimProcess sim(
      {.extra_args = quiet_rates({"--rate", "flow-alerts=10", "--rate", "price=10", "--rate", "off_lit_trades=10"})});
  WsTestClient client(sim.port());
  ASSERT_TRUE(client.connect()) << client.error();
  const std::set<std::string> wanted = {"flow-alerts", "price:SPY", "off_lit_trades"};
  for (const auto& channel : wanted) client.join(channel);
  std::set<std::string> acked;
  std::set<std::string> seen;
  ASSERT_TRUE(client.read_until(
      [&](const json& message) {
        EXPECT_TRUE(message.is_array() && message.size() == 2) << message.dump();
        const auto channel = message[0].get<std::string>();
        EXPECT_TRUE(wanted.contains(channel)) << message.dump();
        (message[1].contains("status") ? acked : seen).insert(channel);
        return acked == wanted && seen == wanted;
      },
      20s));
}

TEST(UwSimWebSocket, TickerScopedChannelsCarryOnlyThatTicker) {
  UwSimProcess sim(
      {.extra_args = quiet_rates({"--rate", "price=20", "--rate", "option_trades=200", "--rate", "gex=20"})});
  WsTestClient client(sim.port());
  ASSERT_TRUE(client.connect()) << client.error();
  client.join("price:AAPL");
  client.join("option_trades:TSLA");
  client.join("gex:ZZZT");  // any ticker works, not only the watch list
  int price = 0;
  int options = 0;
  int gex = 0;
  ASSERT_TRUE(client.read_until(
      [&](const json& message) {
        if (message[1].contains("status")) {
          EXPECT_EQ(message[1]["status"], "ok") << message.dump();
          return false;
        }
        const auto channel = message[0].get<std::string>();
        if (channel == "price:AAPL") {
          ++price;
          EXPECT_TRUE(message[1]["close"].is_string());
          EXPECT_TRUE(message[1]["time"].is_number_integer());
        } else if (channel == "option_trades:TSLA") {
          ++options;
          EXPECT_EQ(message[1]["underlying_symbol"], "TSLA") << message.dump();
          EXPECT_EQ(message[1]["option_symbol"].get<std::string>().rfind("TSLA", 0), 0u);
        } else if (channel == "gex:ZZZT") {
          ++gex;
          EXPECT_EQ(message[1]["ticker"], "ZZZT");
        } else {
          ADD_FAILURE() << "unexpected channel " << message.dump();
        }
        return price >= 5 && options >= 5 && gex >= 3;
      },
      30s));
}

TEST(UwSimWebSocket, LeaveStopsData) {
  UwSimProcess sim({.extra_args = quiet_rates()});
  WsTestClient client(sim.port());
  ASSERT_TRUE(client.connect()) << client.error();
  client.join("news");
  ASSERT_TRUE(client.wait_ack("news"));
  EXPECT_EQ(sim.emit("news", json{{"headline", "one"}}), 1);
  const auto first = client.read_json();
  ASSERT_TRUE(first);
  EXPECT_EQ((*first)[1]["headline"], "one");
  client.leave("news");
  ASSERT_TRUE(wait_until([&] { return sim.log()["connections"][0]["leaves"].size() == 1; }, 10s));
  EXPECT_EQ(sim.emit("news", json{{"headline", "two"}}), 0);
  EXPECT_EQ(sim.log()["connections"][0]["active_channels"], json::array());
}

TEST(UwSimWebSocket, UnknownChannelIsAckedWithError) {
  UwSimProcess sim({.extra_args = quiet_rates()});
  WsTestClient client(sim.port());
  ASSERT_TRUE(client.connect()) << client.error();
  client.join("no-such-channel");
  const auto ack = client.wait_ack("no-such-channel");
  ASSERT_TRUE(ack);
  EXPECT_EQ((*ack)[1]["status"], "error");
  client.join("price:not a ticker");
  const auto bad_ticker = client.wait_ack("price:not a ticker");
  ASSERT_TRUE(bad_ticker);
  EXPECT_EQ((*bad_ticker)[1]["status"], "error");
  EXPECT_EQ(sim.emit("no-such-channel", json::object()), 0);
}

TEST(UwSimWebSocket, BinaryJoinsAreIgnored) {
  UwSimProcess sim({.extra_args = quiet_rates()});
  WsTestClient client(sim.port());
  ASSERT_TRUE(client.connect()) << client.error();
  client.send_binary(R"({"channel":"news","msg_type":"join"})");
  client.join("flow-alerts");
  // Acks come in join order: the first one must be the text join's.
  const auto ack = client.read_json();
  ASSERT_TRUE(ack);
  EXPECT_EQ((*ack)[0], "flow-alerts");
  EXPECT_EQ(sim.emit("news", json::object()), 0);
  EXPECT_EQ(sim.log()["connections"][0]["joins"], json::array({"flow-alerts"}));
}

TEST(UwSimWebSocket, UpgradeNeedsAValidToken) {
  UwSimProcess sim({.extra_args = quiet_rates({"--token", "good", "--token", "other", "--forbidden-token", "nows"})});
  WsTestClient missing(sim.port(), "/socket");
  EXPECT_FALSE(missing.connect());
  EXPECT_EQ(missing.status(), 401);
  WsTestClient wrong(sim.port(), "/socket?token=bad");
  EXPECT_FALSE(wrong.connect());
  EXPECT_EQ(wrong.status(), 401);
  WsTestClient forbidden(sim.port(), "/socket?token=nows");
  EXPECT_FALSE(forbidden.connect());
  EXPECT_EQ(forbidden.status(), 403);
  WsTestClient good(sim.port(), "/socket?token=good");
  EXPECT_TRUE(good.connect()) << good.error();
  WsTestClient bearer(sim.port(), "/socket", {.bearer = "other"});
  EXPECT_TRUE(bearer.connect()) << bearer.error();
  WsTestClient wrong_path(sim.port(), "/elsewhere?token=good");
  EXPECT_FALSE(wrong_path.connect());
  EXPECT_EQ(wrong_path.status(), 404);
  const auto statuses = [&] {
    std::vector<int> result;
    const auto log = sim.log();
    for (const auto& connection : log["connections"]) result.push_back(connection["status"].get<int>());
    return result;
  }();
  EXPECT_EQ(statuses, (std::vector<int>{401, 401, 403, 101, 101}));
}

TEST(UwSimWebSocket, FourthConnectionPerTokenGets429) {
  UwSimProcess sim({.extra_args = quiet_rates()});
  std::vector<std::unique_ptr<WsTestClient>> clients;
  for (int index = 0; index < 3; ++index) {
    clients.push_back(std::make_unique<WsTestClient>(sim.port(), "/socket?token=shared"));
    ASSERT_TRUE(clients.back()->connect()) << clients.back()->error();
  }
  WsTestClient fourth(sim.port(), "/socket?token=shared");
  EXPECT_FALSE(fourth.connect());
  EXPECT_EQ(fourth.status(), 429);
  WsTestClient other_token(sim.port(), "/socket?token=another");
  EXPECT_TRUE(other_token.connect()) << other_token.error();
  clients.pop_back();  // closing one frees a slot
  ASSERT_TRUE(wait_until([&] { return sim.stats()["active_connections"] == 3; }, 10s));
  WsTestClient again(sim.port(), "/socket?token=shared");
  EXPECT_TRUE(again.connect()) << again.error();
}

TEST(UwSimWebSocket, LogRecordsWhatClientsDidButNeverTheToken) {
  const std::string secret = "s3cr3t-T0KEN-value";
  UwSimProcess sim({.extra_args = quiet_rates()});
  {
    WsTestClient client(sim.port(), "/socket?token=" + secret);
    ASSERT_TRUE(client.connect()) << client.error();
    client.join("flow-alerts");
    client.join("price:SPY");
    ASSERT_TRUE(client.wait_ack("price:SPY"));
    client.leave("flow-alerts");
    client.ping();
    ASSERT_TRUE(client.wait_pongs(1, 10s));
    ASSERT_TRUE(wait_until([&] { return sim.log()["connections"][0]["leaves"].size() == 1; }, 10s));
    EXPECT_EQ(sim.emit("price:SPY", json{{"close", "1"}}), 1);
    ASSERT_TRUE(client.read_until(
        [](const json& message) { return message[0] == "price:SPY" && message[1].contains("close"); }));
    const auto connection = sim.log()["connections"][0];
    EXPECT_EQ(connection["id"], 1);
    EXPECT_EQ(connection["tls"], false);
    EXPECT_EQ(connection["status"], 101);
    EXPECT_TRUE(connection["opened_at_ms"].is_number_integer());
    EXPECT_TRUE(connection["closed_at_ms"].is_null());
    EXPECT_EQ(connection["joins"], json::array({"flow-alerts", "price:SPY"}));
    EXPECT_EQ(connection["leaves"], json::array({"flow-alerts"}));
    EXPECT_EQ(connection["active_channels"], json::array({"price:SPY"}));
    EXPECT_EQ(connection["messages_sent"], 3);  // two acks and one data frame
    EXPECT_EQ(connection["pings_received"], 1);
  }
  ASSERT_TRUE(wait_until([&] { return !sim.log()["connections"][0]["closed_at_ms"].is_null(); }, 10s));
  const auto stats = sim.stats();
  EXPECT_EQ(stats["active_connections"], 0);
  EXPECT_EQ(stats["total_connections"], 1);
  EXPECT_EQ(stats["messages_sent"], 3);
  EXPECT_EQ(sim.log().dump().find(secret), std::string::npos);
  EXPECT_EQ(sim.stderr_text().find(secret), std::string::npos);
  sim.reset();
  EXPECT_EQ(sim.log()["connections"], json::array());
}

TEST(UwSimWebSocket, TooManyChannelsClosesTheConnection) {
  UwSimProcess sim({.extra_args = quiet_rates({"--max-channels-per-connection", "3"})});
  WsTestClient client(sim.port());
  ASSERT_TRUE(client.connect()) << client.error();
  for (const char* channel : {"news", "flow-alerts", "price:SPY"}) {
    client.join(channel);
    ASSERT_TRUE(client.wait_ack(channel)) << channel;
  }
  client.join("news");  // joining a channel again does not count twice
  ASSERT_TRUE(client.wait_ack("news"));
  client.join("gex:SPY");
  EXPECT_TRUE(client.wait_closed(10s));
  ASSERT_TRUE(wait_until([&] { return !sim.log()["connections"][0]["closed_at_ms"].is_null(); }, 10s));
  EXPECT_NE(sim.log()["connections"][0]["reason"].get<std::string>().find("channels"), std::string::npos);
}

TEST(UwSimWebSocket, StopsCleanlyOnSigterm) {
  UwSimProcess sim({.extra_args = quiet_rates()});
  WsTestClient client(sim.port());
  ASSERT_TRUE(client.connect()) << client.error();
  client.join("news");
  ASSERT_TRUE(client.wait_ack("news"));
  EXPECT_EQ(sim.stop(), std::optional<int>(0));
  EXPECT_TRUE(client.wait_closed(10s));
}

TEST(UwSimTls, WssAndPlainShareOnePort) {
  UwSimProcess sim({.tls = true, .extra_args = quiet_rates()});
  ASSERT_TRUE(std::filesystem::exists(sim.ca_file()));
  WsTestClient secure(sim.port(), "/socket?token=t", {.tls = true, .ca_file = sim.ca_file()});
  ASSERT_TRUE(secure.connect()) << secure.error();
  secure.join("news");
  ASSERT_TRUE(secure.wait_ack("news"));
  WsTestClient by_name(sim.port(), "/socket?token=t",
                       {.tls = true, .ca_file = sim.ca_file(), .verify_name = "localhost"});
  ASSERT_TRUE(by_name.connect()) << by_name.error();
  WsTestClient plain(sim.port(), "/socket?token=t");
  ASSERT_TRUE(plain.connect()) << plain.error();
  plain.join("news");
  ASSERT_TRUE(plain.wait_ack("news"));
  EXPECT_EQ(sim.emit("news", json{{"headline", "both"}}), 2);
  EXPECT_TRUE(secure.read_until([](const json& message) { return message[1].contains("headline"); }));
  EXPECT_TRUE(plain.read_until([](const json& message) { return message[1].contains("headline"); }));
  const auto connections = sim.log()["connections"];
  ASSERT_EQ(connections.size(), 3u);
  EXPECT_EQ(connections[0]["tls"], true);
  EXPECT_EQ(connections[2]["tls"], false);
  EXPECT_EQ(http_request(sim.port(), "GET", "/_sim/stats").status, 200);
}

TEST(UwSimTls, HandshakeFailsAgainstAnotherCa) {
  UwSimProcess sim({.tls = true, .extra_args = quiet_rates()});
  UwSimProcess other({.tls = true, .extra_args = quiet_rates()});
  WsTestClient client(sim.port(), "/socket?token=t", {.tls = true, .ca_file = other.ca_file()});
  EXPECT_FALSE(client.connect());
  EXPECT_EQ(client.status(), 0);
  EXPECT_NE(client.error().find("certificate"), std::string::npos) << client.error();
  WsTestClient wrong_name(sim.port(), "/socket?token=t",
                          {.tls = true, .ca_file = sim.ca_file(), .verify_name = "example.com"});
  EXPECT_FALSE(wrong_name.connect());
  EXPECT_EQ(sim.log()["connections"], json::array());  // nothing got as far as an upgrade
}

TEST(UwSimTls, ExistingCertificatesAreReused) {
  TempDir dir;
  const auto cert_dir = (dir.path() / "certs").string();
  std::string first_ca;
  {
    UwSimProcess sim({.extra_args = quiet_rates({"--tls", "--cert-dir", cert_dir})});
    first_ca = flowmind::testing::read_file(dir.path() / "certs" / "ca.pem");
    EXPECT_NE(sim.stderr_text().find("generated"), std::string::npos);
  }
  UwSimProcess again({.extra_args = quiet_rates({"--tls", "--cert-dir", cert_dir})});
  EXPECT_EQ(flowmind::testing::read_file(dir.path() / "certs" / "ca.pem"), first_ca);
  EXPECT_NE(again.stderr_text().find("reused"), std::string::npos);
  WsTestClient client(again.port(), "/socket?token=t", {.tls = true, .ca_file = dir.path() / "certs" / "ca.pem"});
  EXPECT_TRUE(client.connect()) << client.error();
}

}  // namespace
}  // namespace flowmind::uwsim::testing
