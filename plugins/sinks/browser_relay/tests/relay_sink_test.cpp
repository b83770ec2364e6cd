// The relay sink in-process on real loopback sockets: fan-out, endpoints, HTTP API, static files,
// slow clients, policies, Origin, tokens, pings, limits, TLS, demand and shared servers.
#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "flowmind/plugin.hpp"
#include "relay_server.hpp"
#include "relay_test_client.hpp"
#include "relay_test_context.hpp"
#include "send_batch.hpp"
#include "test_support.hpp"
#include "uw_sim_process.hpp"

namespace flowmind::browser_relay::testing {
namespace {

using namespace std::chrono_literals;
using flowmind::testing::free_port;
using flowmind::testing::http_get;
using flowmind::testing::http_request;
using flowmind::testing::TempDir;
using flowmind::testing::wait_until;

constexpr std::chrono::milliseconds patience{20000};

std::string payload(int n) { return R"({"n":)" + std::to_string(n) + R"(,"ticker":"SPY","premium":"125000.50"})"; }

nlohmann::json get_json(int port, const std::string& target) {
  const auto response = http_get(port, target);
  return nlohmann::json::parse(response.body, nullptr, false);
}

nlohmann::json endpoint_status(TestRelay& relay, const std::string& path) { return relay.status()["endpoints"][path]; }

// The fan-out tests run with both ways of writing to clients: batched through io_uring (the
// default) and one sendmsg per client (io_uring: false, also what a kernel without io_uring gets).
class RelayWrites : public ::testing::TestWithParam<bool> {
 protected:
  [[nodiscard]] nlohmann::json options(nlohmann::json options) const {
    options["io_uring"] = GetParam();
    return options;
  }
  void expect_send_path(TestRelay& relay) const {
    const auto path = relay.status()["server"]["fan_out"].get<std::string>();
    std::string why_not;
    if (!GetParam()) {
      EXPECT_EQ(path, "one sendmsg per client (io_uring: false)");
    } else if (SendBatch::create(1, 1, why_not)) {
      EXPECT_EQ(path.rfind("io_uring, ", 0), 0U) << path;
    } else {
      EXPECT_NE(path.find("io_uring unavailable"), std::string::npos) << path;
    }
  }
};
INSTANTIATE_TEST_SUITE_P(Writes, RelayWrites, ::testing::Bool(), [](const ::testing::TestParamInfo<bool>& param) {
  return param.param ? "io_uring" : "sendmsg";
});

TEST_P(RelayWrites, ManyClientsReceiveIdenticalEventsInIdenticalOrder) {
  TestRelay relay(options({}));
  expect_send_path(relay);
  // Clients are spread over the shards (one per core): more than one walk step's worth on each.
  const int clients = static_cast<int>((walk_step_clients + 8) * shard_count_for_host());
  constexpr int events = 300;
  std::vector<std::unique_ptr<RelayTestClient>> browsers;
  for (int i = 0; i < clients; ++i) {
    browsers.push_back(std::make_unique<RelayTestClient>(relay.port(), "/api/stream/ws/flow"));
    ASSERT_TRUE(browsers.back()->connect()) << browsers.back()->error();
  }
  ASSERT_TRUE(wait_until([&] { return relay.context().last_demand() == static_cast<std::size_t>(clients); }, patience));
  for (int n = 0; n < events; ++n) {
    std::map<std::string, nlohmann::json> annotations;
    if (n % 2 == 0) annotations["sentiment"] = "bullish";
    relay.emit("flow-alerts", payload(n), annotations);
  }
  std::vector<std::string> first;
  for (int i = 0; i < clients; ++i) {
    std::vector<std::string> texts;
    for (int n = 0; n < events; ++n) {
      auto text = browsers[i]->read();
      ASSERT_TRUE(text) << "client " << i << " got only " << n;
      texts.push_back(*text);
    }
    if (i == 0) {
      first = texts;
    } else {
      EXPECT_EQ(texts, first) << "client " << i;
    }
  }
  const std::regex iso(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  for (int n = 0; n < events; ++n) {
    // The envelope, with the payload exactly as received.
    EXPECT_NE(first[n].find(R"("data":)" + payload(n)), std::string::npos) << first[n];
    const auto message = nlohmann::json::parse(first[n]);
    EXPECT_EQ(message["channel"], "flow-alerts");
    EXPECT_TRUE(std::regex_match(message["timestamp"].get<std::string>(), iso)) << message["timestamp"];
    EXPECT_EQ(message["data"]["n"], n);
    if (n % 2 == 0) {
      EXPECT_EQ(message["annotations"]["sentiment"], "bullish");
    } else {
      EXPECT_FALSE(message.contains("annotations"));
    }
  }
  const auto status = endpoint_status(relay, "/api/stream/ws/flow");
  EXPECT_EQ(status["messages_sent"], clients * events);
  EXPECT_EQ(status["dropped"], 0);
  EXPECT_EQ(status["clients"], clients);
}

TEST(RelaySink, EachDefaultEndpointRelaysItsChannels) {
  TestRelay relay({});
  std::map<std::string, std::unique_ptr<RelayTestClient>> browsers;
  for (const auto* path :
       {"/api/stream/ws/flow", "/api/stream/ws/dark-pool", "/api/stream/ws/market-movers", "/api/stream/ws/congress",
        "/api/stream/ws/gex/spy", "/api/stream/ws/gex/QQQ", "/api/stream/ws/option-trades/SPY"}) {
    browsers[path] = std::make_unique<RelayTestClient>(relay.port(), path);
    ASSERT_TRUE(browsers[path]->connect()) << path << ": " << browsers[path]->error();
  }
  for (const auto* channel : {"flow-alerts", "off_lit_trades", "price:SPY", "movers", "congress-trades", "gex:SPY",
                              "gex:QQQ", "option_trades:SPY", "option_trades:QQQ", "news"}) {
    relay.emit(channel, R"({"c":")" + std::string(channel) + R"("})");
  }
  const std::map<std::string, std::vector<std::string>> expected{
      {"/api/stream/ws/flow", {"flow-alerts"}},
      {"/api/stream/ws/dark-pool", {"off_lit_trades"}},
      {"/api/stream/ws/market-movers", {"price:SPY", "movers"}},
      {"/api/stream/ws/congress", {"congress-trades"}},
      {"/api/stream/ws/gex/spy", {"gex:SPY"}},
      {"/api/stream/ws/gex/QQQ", {"gex:QQQ"}},
      {"/api/stream/ws/option-trades/SPY", {"option_trades:SPY"}},
  };
  for (const auto& [path, channels] : expected) {
    std::vector<std::string> got;
    for (const auto& message : browsers[path]->read_many(channels.size())) got.push_back(message["channel"]);
    EXPECT_EQ(got, channels) << path;
    EXPECT_TRUE(browsers[path]->drain(200ms).empty()) << path << " got more";
  }
  EXPECT_EQ(relay.status()["unrouted"], 1);  // news; option_trades:QQQ is routed (kept for its backlog)
}

TEST(RelaySink, BacklogGivesANewClientTheLastEvents) {
  TestRelay relay(nlohmann::json{{"backlog", 3}});
  for (int n = 0; n < 10; ++n) relay.emit("flow-alerts", payload(n));
  RelayTestClient late(relay.port(), "/api/stream/ws/flow");
  ASSERT_TRUE(late.connect());
  relay.emit("flow-alerts", payload(10));
  std::vector<int> got;
  for (const auto& message : late.read_many(4)) got.push_back(message["data"]["n"]);
  EXPECT_EQ(got, (std::vector<int>{7, 8, 9, 10}));
}

TEST_P(RelayWrites, AStalledClientNeitherDelaysTheOthersNorGrowsPastItsQueue) {
  TestRelay relay(options({{"queue_messages", 20}, {"queue_bytes", "1MiB"}}));
  expect_send_path(relay);
  RawClient stalled(relay.port(), "/api/stream/ws/flow", {}, 4096);
  ASSERT_EQ(stalled.status(), 101) << stalled.response_head();
  RelayTestClient reader(relay.port(), "/api/stream/ws/flow");
  ASSERT_TRUE(reader.connect());
  ASSERT_TRUE(wait_until([&] { return relay.context().last_demand() == 2; }, patience));
  const std::string big(64 * 1024, 'x');
  constexpr int events = 400;
  for (int n = 0; n < events; ++n) {
    relay.emit("flow-alerts", R"({"n":)" + std::to_string(n) + R"(,"pad":")" + big + R"("})");
    // The reader gets each event while the stalled client is never read.
    const auto message = reader.read_json();
    ASSERT_TRUE(message) << "the reader was held up at " << n;
    ASSERT_EQ((*message)["data"]["n"], n);
  }
  // Everything the stalled client did not get into its socket buffers is counted as dropped, but
  // for what its queue holds (20 messages at most).
  const auto accounted = [&] {
    const auto status = endpoint_status(relay, "/api/stream/ws/flow");
    return status["messages_sent"].get<int>() + status["dropped"].get<int>();
  };
  ASSERT_TRUE(wait_until([&] { return accounted() >= 2 * events - 20; }, patience)) << relay.status().dump();
  const auto status = endpoint_status(relay, "/api/stream/ws/flow");
  EXPECT_LE(accounted(), 2 * events);
  EXPECT_GT(status["dropped"].get<int>(), 100) << status.dump();
  EXPECT_EQ(status["clients"], 2);
  EXPECT_EQ(status["slow_disconnects"], 0);
  const auto full = relay.status();
  bool exported = false;
  for (const auto& metric : full["metrics"]) {
    if (metric["name"] == "relay_dropped_total" && metric["labels"]["path"] == "/api/stream/ws/flow") {
      exported = metric["value"] == full["endpoints"]["/api/stream/ws/flow"]["dropped"];
    }
  }
  EXPECT_TRUE(exported);
}

TEST_P(RelayWrites, DisconnectPolicyClosesTheSlowClientOnly) {
  TestRelay relay(options({{"queue_messages", 10}, {"when_full", "disconnect"}}));
  expect_send_path(relay);
  RawClient stalled(relay.port(), "/api/stream/ws/flow", {}, 4096);
  ASSERT_EQ(stalled.status(), 101);
  RelayTestClient reader(relay.port(), "/api/stream/ws/flow");
  ASSERT_TRUE(reader.connect());
  const std::string big(64 * 1024, 'x');
  for (int n = 0; n < 200; ++n) {
    relay.emit("flow-alerts", R"({"n":)" + std::to_string(n) + R"(,"pad":")" + big + R"("})");
    ASSERT_TRUE(reader.read()) << n;
  }
  ASSERT_TRUE(
      wait_until([&] { return endpoint_status(relay, "/api/stream/ws/flow")["slow_disconnects"] == 1; }, patience))
      << relay.status().dump();
  EXPECT_TRUE(stalled.wait_eof(patience));
  EXPECT_EQ(endpoint_status(relay, "/api/stream/ws/flow")["clients"], 1);
  relay.emit("flow-alerts", payload(1000));
  const auto last = reader.read_json();
  ASSERT_TRUE(last);
  EXPECT_EQ((*last)["data"]["n"], 1000);
}

TEST(RelaySink, ForeignOriginsAreRefusedBeforeTheUpgrade) {
  TestRelay relay({});
  const auto own = "http://127.0.0.1:" + std::to_string(relay.port());
  RelayTestClient evil(relay.port(), "/api/stream/ws/flow", {.headers = {{"Origin", "http://evil.example"}}});
  EXPECT_FALSE(evil.connect());
  EXPECT_EQ(evil.status(), 403);
  RawClient raw_evil(relay.port(), "/api/stream/ws/flow", {{"Origin", "http://127.0.0.1.evil.example"}});
  EXPECT_EQ(raw_evil.status(), 403);
  RelayTestClient same(relay.port(), "/api/stream/ws/flow", {.headers = {{"Origin", own}}});
  EXPECT_TRUE(same.connect()) << same.error();
  RelayTestClient local(relay.port(), "/api/stream/ws/flow",
                        {.headers = {{"Origin", "http://localhost:" + std::to_string(relay.port())}}});
  EXPECT_TRUE(local.connect());
  RelayTestClient no_origin(relay.port(), "/api/stream/ws/flow");
  EXPECT_TRUE(no_origin.connect());
  EXPECT_EQ(relay.status()["server"]["refused"]["origin"], 2);
  EXPECT_EQ(endpoint_status(relay, "/api/stream/ws/flow")["clients"], 3);

  TestRelay listed(nlohmann::json{{"allowed_origins", {"https://desk.example.com"}}});
  RelayTestClient desk(listed.port(), "/api/stream/ws/flow", {.headers = {{"Origin", "https://desk.example.com"}}});
  EXPECT_TRUE(desk.connect());
  RelayTestClient now_foreign(listed.port(), "/api/stream/ws/flow",
                              {.headers = {{"Origin", "http://127.0.0.1:" + std::to_string(listed.port())}}});
  EXPECT_FALSE(now_foreign.connect());
  EXPECT_EQ(now_foreign.status(), 403);
}

TEST(RelaySink, TokenIsRequiredAndAccepted) {
  TestRelay relay(nlohmann::json{{"token", "Relay-Token-9f3"}});
  RelayTestClient none(relay.port(), "/api/stream/ws/flow");
  EXPECT_FALSE(none.connect());
  EXPECT_EQ(none.status(), 401);
  RelayTestClient wrong(relay.port(), "/api/stream/ws/flow", {.headers = {{"Authorization", "Bearer nope"}}});
  EXPECT_FALSE(wrong.connect());
  EXPECT_EQ(wrong.status(), 401);
  RelayTestClient header(relay.port(), "/api/stream/ws/flow",
                         {.headers = {{"Authorization", "Bearer Relay-Token-9f3"}}});
  EXPECT_TRUE(header.connect());
  RelayTestClient query(relay.port(), "/api/stream/ws/flow?access_token=Relay-Token-9f3");
  EXPECT_TRUE(query.connect());
  relay.emit("flow-alerts", payload(1));
  EXPECT_TRUE(header.read());
  EXPECT_TRUE(query.read());
  EXPECT_EQ(http_get(relay.port(), "/api/stream/status").status, 401);
  EXPECT_EQ(http_get(relay.port(), "/api/stream/status?access_token=Relay-Token-9f3").status, 200);
  EXPECT_EQ(http_get(relay.port(), "/api/stream/health").status, 200);  // probes need no token
  EXPECT_EQ(relay.context().log_text().find("Relay-Token-9f3"), std::string::npos);
}

TEST(RelaySink, HttpApiAnswersWithTheDocumentedFields) {
  TestRelay relay({});
  relay.context().set_source_status(
      {{"type", "uw_websocket"}, {"state", "running"}, {"status", {{"connection", {{"connected", true}}}}}});
  RelayTestClient one(relay.port(), "/api/stream/ws/flow");
  ASSERT_TRUE(one.connect());
  RelayTestClient two(relay.port(), "/api/stream/ws/gex/SPY");
  ASSERT_TRUE(two.connect());
  relay.emit("flow-alerts", payload(1));
  ASSERT_TRUE(one.read());

  const auto status = get_json(relay.port(), "/api/stream/status");
  EXPECT_EQ(status["status"], "running");
  EXPECT_EQ(status["enabled"], true);
  EXPECT_EQ(status["total_clients"], 2);
  EXPECT_EQ(status["uw_connection"]["connected"], true);
  EXPECT_EQ(status["uw_connection"]["sources"][0]["pipeline"], "test");
  const auto& clients = status["client_connections"];
  EXPECT_EQ(clients["total_connections"], 2);
  EXPECT_EQ(clients["total_connects"], 2);
  EXPECT_EQ(clients["total_disconnects"], 0);
  EXPECT_EQ(clients["total_messages_sent"], 1);
  EXPECT_EQ(clients["active_channels"], 2);
  EXPECT_EQ(clients["channels"]["flow"], 1);
  EXPECT_EQ(clients["channels"]["gex:SPY"], 1);
  EXPECT_EQ(clients["channels"]["dark-pool"], 0);
  EXPECT_TRUE(clients["uptime_seconds"].is_number());
  EXPECT_TRUE(clients["messages_per_second"].is_number());

  const auto channels = get_json(relay.port(), "/api/stream/channels");
  EXPECT_EQ(channels["enabled"], true);
  EXPECT_EQ(channels["total_channels"], 6);
  std::map<std::string, nlohmann::json> by_id;
  for (const auto& channel : channels["channels"]) by_id[channel["id"]] = channel;
  EXPECT_EQ(by_id["flow"]["endpoint"], "/api/stream/ws/flow");
  EXPECT_EQ(by_id["flow"]["name"], "Options Flow");
  EXPECT_FALSE(by_id["flow"]["description"].get<std::string>().empty());
  EXPECT_EQ(by_id["flow"]["active_subscribers"], 1);
  EXPECT_EQ(by_id["gex"]["endpoint"], "/api/stream/ws/gex/{TICKER}");
  EXPECT_EQ(by_id["gex"]["active_subscribers"], 1);
  EXPECT_EQ(by_id["gex"]["tickers"]["SPY"], 1);

  auto health = http_get(relay.port(), "/api/stream/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(nlohmann::json::parse(health.body)["status"], "healthy");
  relay.context().set_source_status({{"type", "uw_websocket"}, {"state", "failed"}, {"status", nullptr}});
  health = http_get(relay.port(), "/api/stream/health");
  EXPECT_EQ(health.status, 503);
  EXPECT_EQ(nlohmann::json::parse(health.body)["status"], "unhealthy");

  auto reconnect = http_request(relay.port(), "POST", "/api/stream/reconnect");
  EXPECT_EQ(reconnect.status, 200) << reconnect.body;
  EXPECT_EQ(nlohmann::json::parse(reconnect.body)["status"], "success");
  EXPECT_EQ(relay.context().reconnects(), 1);
  relay.context().set_reconnect_result(false);
  EXPECT_EQ(http_request(relay.port(), "POST", "/api/stream/reconnect").status, 409);
  EXPECT_EQ(http_get(relay.port(), "/api/stream/reconnect").status, 405);
  EXPECT_EQ(http_request(relay.port(), "POST", "/api/stream/status").status, 405);
  EXPECT_EQ(http_get(relay.port(), "/api/stream/nothing").status, 404);
  EXPECT_EQ(http_get(relay.port(), "/api/stream/ws/flow").status, 426);
  EXPECT_EQ(http_request(relay.port(), "GET", "/api/stream/status", std::string(40000, 'x')).status, 413);
}

TEST(RelaySink, ReconnectNeedsTheAdminTokenWhenConfigured) {
  TestRelay relay(nlohmann::json{{"admin_token", "Admin-7"}});
  EXPECT_EQ(http_request(relay.port(), "POST", "/api/stream/reconnect").status, 401);
  EXPECT_EQ(relay.context().reconnects(), 0);
}

TEST(RelaySink, StaticFilesAreServedSafely) {
  TempDir root;
  root.write("index.html", "<html>relay</html>");
  std::filesystem::create_directories(root.path() / "js");
  root.write("js/app.js", "export {};");
  root.write(".hidden", "no");
  std::filesystem::create_directories(root.path() / "sub");
  TestRelay relay(nlohmann::json{{"static_dir", root.path().string()}});
  auto response = http_get(relay.port(), "/");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "<html>relay</html>");
  EXPECT_EQ(response.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_EQ(response.headers["x-content-type-options"], "nosniff");
  response = http_get(relay.port(), "/js/app.js");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers["content-type"], "text/javascript; charset=utf-8");
  for (const auto* target :
       {"/../relay_sink_test.cpp", "/%2e%2e/%2e%2e/etc/passwd", "/js/%2e%2e/%2e%2e/x", "/.hidden", "/sub/", "/nope"}) {
    EXPECT_EQ(http_get(relay.port(), target).status, 404) << target;
  }
  EXPECT_EQ(http_request(relay.port(), "POST", "/").status, 405);
}

TEST(RelaySink, TheShippedDashboardIsTheDefault) {
  TestRelay relay({});
  const auto response = http_get(relay.port(), "/");
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(response.body.find("<html"), std::string::npos);
  EXPECT_EQ(http_get(relay.port(), "/config.json").headers["content-type"], "application/json; charset=utf-8");
}

TEST(RelaySink, DemandFollowsTheConnectedClients) {
  TestRelay relay({});
  EXPECT_EQ(relay.context().demands(), std::vector<std::size_t>{0});
  {
    RelayTestClient a(relay.port(), "/api/stream/ws/flow");
    ASSERT_TRUE(a.connect());
    RelayTestClient b(relay.port(), "/api/stream/ws/dark-pool");
    ASSERT_TRUE(b.connect());
    ASSERT_TRUE(wait_until([&] { return relay.context().last_demand() == 2; }, patience));
    a.close();
    ASSERT_TRUE(wait_until([&] { return relay.context().last_demand() == 1; }, patience));
  }
  ASSERT_TRUE(wait_until([&] { return relay.context().last_demand() == 0; }, patience));
  EXPECT_EQ(relay.context().demands(), (std::vector<std::size_t>{0, 1, 2, 1, 0}));
}

TEST(RelaySink, PipelinesShareOneServerAndEachOwnsItsPaths) {
  const int port = free_port();
  const auto listen = "127.0.0.1:" + std::to_string(port);
  const auto loop = std::make_shared<TestLoop>();  // one engine: its pipelines share the io_context
  TestRelay flow(nlohmann::json{{"listen", listen}, {"path", "/api/stream/ws/flow"}}, "flow-pipeline", loop);
  TestRelay dark(nlohmann::json{{"listen", listen}, {"path", "/api/stream/ws/dark-pool"}, {"ping_interval", "5s"}},
                 "dark-pipeline", loop);
  EXPECT_NE(dark.context().log_text().find("settings win for: ping_interval"), std::string::npos)
      << dark.context().log_text();
  RelayTestClient a(port, "/api/stream/ws/flow");
  ASSERT_TRUE(a.connect());
  RelayTestClient b(port, "/api/stream/ws/dark-pool");
  ASSERT_TRUE(b.connect());
  flow.emit("anything", payload(1));
  dark.emit("off_lit_trades", payload(2));
  EXPECT_EQ((*a.read_json())["data"]["n"], 1);
  EXPECT_EQ((*b.read_json())["data"]["n"], 2);
  EXPECT_EQ(flow.context().last_demand(), 1U);
  EXPECT_EQ(dark.context().last_demand(), 1U);
  const auto status = get_json(port, "/api/stream/status");
  EXPECT_EQ(status["uw_connection"]["sources"].size(), 2U);
  EXPECT_EQ(get_json(port, "/api/stream/channels")["total_channels"], 2);

  try {
    TestRelay clash(nlohmann::json{{"listen", listen}, {"path", "/api/stream/ws/flow"}}, "third", loop);
    FAIL() << "a second sink took /api/stream/ws/flow";
  } catch (const PluginError& error) {
    EXPECT_NE(std::string(error.what()).find("already served by pipeline 'flow-pipeline'"), std::string::npos)
        << error.what();
  }
  // One pipeline stops: its clients are closed, the other's stay.
  flow.stop();
  EXPECT_TRUE(a.wait_closed());
  EXPECT_EQ(a.close_code(), 1001);
  dark.emit("off_lit_trades", payload(3));
  EXPECT_EQ((*b.read_json())["data"]["n"], 3);
  dark.stop();
  EXPECT_TRUE(b.wait_closed());
  // The last one out closed the server: the port is free again.
  TestRelay again(nlohmann::json{{"listen", listen}}, "again", loop);
  EXPECT_EQ(again.port(), port);
}

TEST(RelaySink, DifferentTlsSettingsOnOneAddressAreAnError) {
  flowmind::testing::UwSimProcess sim({.tls = true});
  const int port = free_port();
  const auto listen = "127.0.0.1:" + std::to_string(port);
  const auto loop = std::make_shared<TestLoop>();
  TestRelay plain(nlohmann::json{{"listen", listen}, {"path", "/a"}}, "plain", loop);
  try {
    TestRelay tls(nlohmann::json{{"listen", listen},
                                 {"path", "/b"},
                                 {"tls_cert", (sim.cert_dir() / "server.pem").string()},
                                 {"tls_key", (sim.cert_dir() / "server.key").string()}},
                  "tls", loop);
    FAIL() << "TLS and plain sinks shared " << listen;
  } catch (const PluginError& error) {
    EXPECT_NE(std::string(error.what()).find("TLS"), std::string::npos) << error.what();
  }
}

TEST(RelaySink, ClientsThatDoNotAnswerPingsAreClosed) {
  TestRelay relay(nlohmann::json{{"ping_interval", "100ms"}});
  RawClient silent(relay.port(), "/api/stream/ws/flow");
  ASSERT_EQ(silent.status(), 101);
  RawClient answering(relay.port(), "/api/stream/ws/flow");  // answers pings, like a browser
  ASSERT_EQ(answering.status(), 101);
  const auto frames = silent.read_frames(patience, 1);
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0].first, 9);  // a ping
  int pongs = 0;
  bool silent_closed = false;
  for (const auto deadline = std::chrono::steady_clock::now() + patience;
       !silent_closed && std::chrono::steady_clock::now() < deadline;) {
    pongs += answering.answer_pings(50ms).pings;
    silent_closed = silent.wait_eof(50ms);
  }
  EXPECT_TRUE(silent_closed);
  // Several more intervals, answered: the browser stays.
  while (pongs < 8) {
    const auto served = answering.answer_pings(patience / 8);
    ASSERT_FALSE(served.closed);
    ASSERT_GT(served.pings, 0) << relay.context().log_text();
    pongs += served.pings;
  }
  relay.emit("flow-alerts", payload(5));
  bool got = false;
  for (int i = 0; i < 100 && !got; ++i) got = !answering.answer_pings(100ms).texts.empty();
  EXPECT_TRUE(got);
  const auto status = endpoint_status(relay, "/api/stream/ws/flow");
  EXPECT_EQ(status["ping_timeouts"], 1);
  EXPECT_EQ(status["clients"], 1);
}

TEST(RelaySink, WhatClientsSendIsIgnoredButBounded) {
  TestRelay relay(nlohmann::json{{"max_message_size", "1KiB"}});
  RawClient chatty(relay.port(), "/api/stream/ws/flow");
  ASSERT_EQ(chatty.status(), 101);
  chatty.send_bytes(RawClient::masked_frame(1, R"({"hello":"relay"})"));
  chatty.send_bytes(RawClient::masked_frame(9, "are you there"));
  auto frames = chatty.read_frames(patience, 1);
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0].first, 10);  // the pong
  EXPECT_EQ(frames[0].second, "are you there");
  relay.emit("flow-alerts", payload(1));
  frames = chatty.read_frames(patience, 1);
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0].first, 1);
  chatty.send_bytes(RawClient::masked_frame(1, std::string(2000, 'x')));
  frames = chatty.read_frames(patience);
  ASSERT_FALSE(frames.empty());
  EXPECT_EQ(frames.back().first, 8);
  ASSERT_GE(frames.back().second.size(), 2U);
  EXPECT_EQ(
      (static_cast<unsigned char>(frames.back().second[0]) << 8) | static_cast<unsigned char>(frames.back().second[1]),
      1009);
  EXPECT_TRUE(chatty.wait_eof(patience));

  RawClient unmasked(relay.port(), "/api/stream/ws/flow");
  unmasked.send_bytes(std::string("\x81\x02hi", 4));
  frames = unmasked.read_frames(patience);
  ASSERT_FALSE(frames.empty());
  EXPECT_EQ(frames.back().first, 8);
  EXPECT_EQ(static_cast<unsigned char>(frames.back().second[1]), 1002 & 0xff);
}

TEST(RelaySink, LimitsOnClientsAndRequests) {
  TestRelay relay(nlohmann::json{{"max_clients", 2}, {"header_timeout", "200ms"}});
  RelayTestClient a(relay.port(), "/api/stream/ws/flow");
  ASSERT_TRUE(a.connect());
  RelayTestClient b(relay.port(), "/api/stream/ws/flow");
  ASSERT_TRUE(b.connect());
  RelayTestClient c(relay.port(), "/api/stream/ws/flow");
  EXPECT_FALSE(c.connect());
  EXPECT_EQ(c.status(), 503);
  RawClient wrong_path(relay.port(), "/api/stream/ws/nothing");
  EXPECT_EQ(wrong_path.status(), 404);
  // A connection that never sends its request is closed after header_timeout.
  RawClient idle(relay.port(), "");
  EXPECT_TRUE(idle.wait_eof(patience));
  a.close();
  ASSERT_TRUE(wait_until([&] { return relay.status()["clients"] == 1; }, patience));
  RelayTestClient d(relay.port(), "/api/stream/ws/flow");
  EXPECT_TRUE(d.connect());

  TestRelay per_ip(nlohmann::json{{"max_connections_per_ip", 1}});
  RelayTestClient first(per_ip.port(), "/api/stream/ws/flow");
  ASSERT_TRUE(first.connect());
  RelayTestClient second(per_ip.port(), "/api/stream/ws/flow");
  EXPECT_FALSE(second.connect());
  EXPECT_EQ(second.status(), 429);
}

TEST(RelaySink, ServesWssAndHttpsWithACertificate) {
  flowmind::testing::UwSimProcess sim({.tls = true});  // makes a test CA and a certificate for 127.0.0.1
  TestRelay relay(nlohmann::json{{"tls_cert", (sim.cert_dir() / "server.pem").string()},
                                 {"tls_key", (sim.cert_dir() / "server.key").string()}});
  RelayTestClient secure(relay.port(), "/api/stream/ws/flow", {.tls = true, .ca_file = sim.ca_file()});
  ASSERT_TRUE(secure.connect()) << secure.error();
  RelayTestClient own_origin(relay.port(), "/api/stream/ws/flow",
                             {.headers = {{"Origin", "https://127.0.0.1:" + std::to_string(relay.port())}},
                              .tls = true,
                              .ca_file = sim.ca_file()});
  ASSERT_TRUE(own_origin.connect()) << own_origin.error();
  for (int n = 0; n < 50; ++n) relay.emit("flow-alerts", payload(n));
  const auto messages = secure.read_many(50);
  ASSERT_EQ(messages.size(), 50U);
  EXPECT_EQ(messages.back()["data"]["n"], 49);
  RelayTestClient plain(relay.port(), "/api/stream/ws/flow");
  EXPECT_FALSE(plain.connect(5s));
  EXPECT_TRUE(wait_until([&] { return relay.status()["server"]["tls_failures"] >= 1; }, patience));
}

TEST(RelaySink, StopDoesNotWaitForAStalledClient) {
  auto relay = std::make_unique<TestRelay>(nlohmann::json{{"queue_messages", 50}});
  RawClient stalled(relay->port(), "/api/stream/ws/flow", {}, 4096);
  ASSERT_EQ(stalled.status(), 101);
  const std::string big(64 * 1024, 'x');
  for (int n = 0; n < 100; ++n) relay->emit("flow-alerts", R"({"pad":")" + big + R"("})");
  relay->stop();  // returns although the client reads nothing
  EXPECT_TRUE(stalled.wait_eof(patience));
  relay.reset();  // and every handler of the server has finished (the context's loop ran out of work)
}

TEST(RelaySink, TickerPathsAreBounded) {
  TestRelay relay(nlohmann::json{{"max_tickers", 1}});
  RelayTestClient spy(relay.port(), "/api/stream/ws/gex/SPY");
  ASSERT_TRUE(spy.connect());
  RelayTestClient qqq(relay.port(), "/api/stream/ws/gex/QQQ");
  EXPECT_FALSE(qqq.connect());
  EXPECT_EQ(qqq.status(), 404);
  relay.emit("gex:QQQ", payload(1));  // no room: not relayed, nothing grows
  relay.emit("gex:SPY", payload(2));
  EXPECT_EQ((*spy.read_json())["data"]["n"], 2);
  spy.close();
  ASSERT_TRUE(wait_until([&] { return relay.status()["clients"] == 0; }, patience));
  RelayTestClient qqq_later(relay.port(), "/api/stream/ws/gex/QQQ");  // SPY, idle now, makes room
  ASSERT_TRUE(qqq_later.connect());
  relay.emit("gex:QQQ", payload(3));  // refused before, relayed now
  const auto message = qqq_later.read_json();
  ASSERT_TRUE(message);
  EXPECT_EQ((*message)["data"]["n"], 3);
}

}  // namespace
}  // namespace flowmind::browser_relay::testing
