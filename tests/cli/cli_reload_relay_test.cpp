// A reload that replaces a UW -> browser_relay pipeline: the browser stays connected and keeps
// receiving from the new instance, and uw-sim sees no reconnect, only the changed joins and leaves.
#include <algorithm>
#include <csignal>
#include <filesystem>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "admin_client.hpp"
#include "relay_test_client.hpp"
#include "uw_sim_process.hpp"

namespace flowmind::testing {
namespace {

using browser_relay::testing::RelayTestClient;

UwSimProcess::Options quiet_sim() {
  UwSimProcess::Options options;
  options.extra_args = {"--rate", "flow-alerts=0", "--rate", "off_lit_trades=0",
                        "--rate", "price=0",       "--rate", "news=0"};
  return options;
}

std::string relay_pipeline(const std::string& name, int sim_port, const std::string& channels, int relay_port,
                           const std::string& path, const std::string& filters = "") {
  return "pipeline: " + name + "\nsource:\n  type: uw_websocket\n  url: ws://127.0.0.1:" + std::to_string(sim_port) +
         "/socket\n  token: ${UW_API_TOKEN}\n  channels: [" + channels + "]\n  reconnect_initial: 100ms\n" + filters +
         "sinks:\n  - type: browser_relay\n    listen: 127.0.0.1:" + std::to_string(relay_port) +
         "\n    path: " + path + "\n";
}

std::vector<nlohmann::json> accepted(const UwSimProcess& sim) {
  std::vector<nlohmann::json> out;
  const auto log = sim.log();  // kept: the loop below refers into it
  for (const auto& connection : log.at("connections")) {
    if (connection.value("status", 0) == 101) out.push_back(connection);
  }
  return out;
}

std::set<std::string> active_channels(const UwSimProcess& sim) {
  std::set<std::string> channels;
  for (const auto& connection : accepted(sim)) {
    for (const auto& channel : connection["active_channels"]) channels.insert(channel.get<std::string>());
  }
  return channels;
}

std::vector<std::string> strings(const nlohmann::json& list) { return list.get<std::vector<std::string>>(); }

TEST(CliReloadRelay, BrowsersStayConnectedAndTheUpstreamOnlySeesTheChannelDifference) {
  UwSimProcess sim(quiet_sim());
  TempDir dir;
  const int relay_port = free_port();
  // A folder, not the files: a reload reads what the folder holds, so deleting a file removes its
  // pipeline (a file named on the command line that disappears is an error instead).
  const auto folder = dir.path() / "pipelines";
  std::filesystem::create_directory(folder);
  const auto flow_file = dir.write("pipelines/flow.yaml", relay_pipeline("flow", sim.port(), "flow-alerts, news",
                                                                         relay_port, "/api/stream/ws/flow"));
  dir.write("pipelines/dark.yaml",
            relay_pipeline("dark", sim.port(), "off_lit_trades", relay_port, "/api/stream/ws/dark-pool"));
  FlowmindRun flowmind(dir, {folder}, {.env = {{"UW_API_TOKEN", "reload-relay-token"}}});
  ASSERT_TRUE(flowmind.wait_ready()) << flowmind.log();
  const std::set<std::string> before{"flow-alerts", "news", "off_lit_trades"};
  ASSERT_TRUE(wait_until([&] { return active_channels(sim) == before; }, patience)) << flowmind.log();

  RelayTestClient flow_browser(relay_port, "/api/stream/ws/flow");
  ASSERT_TRUE(flow_browser.connect()) << flow_browser.error();
  RelayTestClient dark_browser(relay_port, "/api/stream/ws/dark-pool");
  ASSERT_TRUE(dark_browser.connect()) << dark_browser.error();
  ASSERT_TRUE(wait_until([&] { return flowmind.pipeline("flow")["stages"][1]["status"]["clients"] == 1; }, patience));
  ASSERT_EQ(sim.emit("flow-alerts", {{"id", "before"}}), 1);
  const auto first = flow_browser.read_json(patience);
  ASSERT_TRUE(first) << flowmind.log();
  EXPECT_EQ((*first)["data"]["id"], "before");

  // The change: news is dropped, price:SPY added, and a filter put in front of the relay.
  dir.write("pipelines/flow.yaml",
            relay_pipeline("flow", sim.port(), "flow-alerts, \"price:SPY\"", relay_port, "/api/stream/ws/flow",
                           "filters:\n  - type: match\n    conditions:\n      - {field: id, op: ne, "
                           "value: dropped-by-filter}\n"));
  flowmind.child().send_signal(SIGHUP);
  nlohmann::json result;
  ASSERT_TRUE(wait_until(
      [&] {
        const auto status = flowmind.reload_status();
        if (status.is_null() || status["reloads"] != 1) return false;
        result = status["last"];
        return true;
      },
      patience))
      << flowmind.log();
  ASSERT_TRUE(result["ok"].get<bool>()) << result.dump(2);
  EXPECT_EQ(strings(result["changed"]), std::vector<std::string>{"flow"});
  EXPECT_EQ(strings(result["unchanged"]), std::vector<std::string>{"dark"});
  const std::set<std::string> after{"flow-alerts", "price:SPY", "off_lit_trades"};
  ASSERT_TRUE(wait_until([&] { return active_channels(sim) == after; }, patience)) << sim.log().dump(2);

  // The simulator: one connection all along; flow-alerts and off_lit_trades joined once and never
  // left; news left, price:SPY joined.
  const auto connections = accepted(sim);
  ASSERT_EQ(connections.size(), 1U) << sim.log().dump(2);
  EXPECT_TRUE(connections[0]["closed_at_ms"].is_null());
  EXPECT_EQ(sim.stats()["total_connections"], 1);
  auto joins = strings(connections[0]["joins"]);
  std::sort(joins.begin(), joins.end());
  EXPECT_EQ(joins, (std::vector<std::string>{"flow-alerts", "news", "off_lit_trades", "price:SPY"}));
  EXPECT_EQ(strings(connections[0]["leaves"]), std::vector<std::string>{"news"});

  // The browsers: still connected, fed by the new instance (its filter applies).
  ASSERT_TRUE(wait_until([&] { return flowmind.pipeline("flow")["stages"].size() == 3; }, patience));
  ASSERT_TRUE(wait_until([&] { return flowmind.pipeline("flow")["stages"][2]["status"]["clients"] == 1; }, patience))
      << flowmind.pipeline("flow").dump(2);
  EXPECT_EQ(sim.emit("flow-alerts", {{"id", "dropped-by-filter"}}), 1);
  EXPECT_EQ(sim.emit("flow-alerts", {{"id", "after"}}), 1);
  const auto second = flow_browser.read_json(patience);
  ASSERT_TRUE(second) << flowmind.log();
  EXPECT_EQ((*second)["data"]["id"], "after");
  EXPECT_EQ(sim.emit("off_lit_trades", {{"id", "dark-after"}}), 1);
  const auto dark = dark_browser.read_json(patience);
  ASSERT_TRUE(dark) << flowmind.log();
  EXPECT_EQ((*dark)["data"]["id"], "dark-after");
  const auto relay_status = flowmind.pipeline("flow")["stages"][2]["status"];
  EXPECT_EQ(relay_status["endpoints"]["/api/stream/ws/flow"]["connects"], 1) << relay_status.dump(2);

  // An invalid change: nothing happens, upstream or downstream.
  dir.write("pipelines/flow.yaml",
            "pipeline: flow\nsource:\n  type: uw_websocket\n  channels: [flow-alerts]\n  bogus: 1\n"
            "sinks: [{type: stdout}]\n");
  flowmind.child().send_signal(SIGHUP);
  ASSERT_TRUE(wait_until([&] { return flowmind.reload_status()["reloads"] == 2; }, patience));
  EXPECT_FALSE(flowmind.reload_status()["last"]["ok"].get<bool>());
  EXPECT_EQ(sim.emit("flow-alerts", {{"id", "still"}}), 1);
  const auto third = flow_browser.read_json(patience);
  ASSERT_TRUE(third) << flowmind.log();
  EXPECT_EQ((*third)["data"]["id"], "still");
  EXPECT_EQ(accepted(sim).size(), 1U);
  EXPECT_EQ(strings(accepted(sim)[0]["leaves"]), std::vector<std::string>{"news"});

  // Removing the pipeline closes its browsers; the other pipeline keeps its own.
  std::filesystem::remove(flow_file);
  flowmind.child().send_signal(SIGHUP);
  ASSERT_TRUE(wait_until([&] { return flowmind.reload_status()["reloads"] == 3; }, patience));
  EXPECT_EQ(strings(flowmind.reload_status()["last"]["removed"]), std::vector<std::string>{"flow"});
  EXPECT_TRUE(flow_browser.wait_closed(patience));
  ASSERT_TRUE(wait_until([&] { return active_channels(sim) == std::set<std::string>{"off_lit_trades"}; }, patience))
      << sim.log().dump(2);
  EXPECT_EQ(sim.emit("off_lit_trades", {{"id", "dark-last"}}), 1);
  const auto last = dark_browser.read_json(patience);
  ASSERT_TRUE(last);
  EXPECT_EQ((*last)["data"]["id"], "dark-last");
  EXPECT_EQ(accepted(sim).size(), 1U);
  EXPECT_EQ(flowmind.stop(), 0) << flowmind.log();
  EXPECT_EQ(flowmind.log().find("reload-relay-token"), std::string::npos);
}

}  // namespace
}  // namespace flowmind::testing
