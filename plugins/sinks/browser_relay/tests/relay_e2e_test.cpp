// The flowmind executable with the relay module, fed by uw_websocket from a real uw-sim: browsers
// (a C++ client and Python's websockets) receive UW events, two pipeline files share one port, the
// reconnect endpoint and on-demand joins are observed at the simulator, the dashboard is served.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "relay_test_client.hpp"
#include "test_support.hpp"
#include "uw_sim_process.hpp"

namespace flowmind::browser_relay::testing {
namespace {

using namespace std::chrono_literals;
using flowmind::testing::ChildProcess;
using flowmind::testing::flowmind_executable;
using flowmind::testing::free_port;
using flowmind::testing::http_get;
using flowmind::testing::http_request;
using flowmind::testing::read_file;
using flowmind::testing::run_process;
using flowmind::testing::source_dir;
using flowmind::testing::TempDir;
using flowmind::testing::UwSimProcess;
using flowmind::testing::wait_until;

constexpr std::chrono::milliseconds patience{30000};

UwSimProcess::Options quiet_sim() {
  UwSimProcess::Options options;
  options.extra_args = {"--rate", "flow-alerts=0", "--rate", "off_lit_trades=0",
                        "--rate", "price=0",       "--rate", "news=0"};
  return options;
}

std::string pipeline_yaml(const std::string& name, int sim_port, const std::string& channel, int relay_port,
                          const std::string& relay_extra, const std::string& pipeline_extra = "") {
  return "pipeline: " + name + "\n" + pipeline_extra +
         "source:\n"
         "  type: uw_websocket\n"
         "  url: ws://127.0.0.1:" +
         std::to_string(sim_port) +
         "/socket\n"
         "  token: ${UW_API_TOKEN}\n"
         "  channels: [" +
         channel +
         "]\n"
         "  reconnect_initial: 100ms\n"
         "sinks:\n"
         "  - type: browser_relay\n"
         "    listen: 127.0.0.1:" +
         std::to_string(relay_port) + "\n" + relay_extra;
}

// The simulator's connections that were accepted (101).
std::vector<nlohmann::json> accepted(const UwSimProcess& sim) {
  std::vector<nlohmann::json> out;
  const auto log = sim.log();
  for (const auto& connection : log.at("connections")) {
    if (connection.value("status", 0) == 101) out.push_back(connection);
  }
  return out;
}

bool joined_now(const UwSimProcess& sim, const std::string& channel) {
  for (const auto& connection : accepted(sim)) {
    for (const auto& active : connection["active_channels"]) {
      if (active == channel) return true;
    }
  }
  return false;
}

class Flowmind {
 public:
  Flowmind(const TempDir& dir, const std::vector<std::filesystem::path>& files) : admin_(free_port()) {
    std::vector<std::string> argv{flowmind_executable().string(),       "--log-level", "debug", "run", "--admin-listen",
                                  "127.0.0.1:" + std::to_string(admin_)};
    for (const auto& file : files) argv.push_back(file.string());
    err_ = dir.path() / "flowmind-stderr.txt";
    child_ = std::make_unique<ChildProcess>(argv, dir.path() / "flowmind-stdout.txt", err_,
                                            std::map<std::string, std::string>{{"UW_API_TOKEN", "relay-e2e-token"}});
  }
  [[nodiscard]] int admin() const { return admin_; }
  [[nodiscard]] std::string log() const { return read_file(err_); }

 private:
  int admin_;
  std::filesystem::path err_;
  std::unique_ptr<ChildProcess> child_;
};

bool serving(int port) { return http_get(port, "/api/stream/health").status != 0; }

TEST(RelayE2e, UwEventsReachBrowsersThroughFlowmind) {
  UwSimProcess sim(quiet_sim());
  TempDir dir;
  const int port = free_port();
  const auto file = dir.write("flow.yaml", pipeline_yaml("flow", sim.port(), "flow-alerts", port, ""));
  Flowmind flowmind(dir, {file});
  ASSERT_TRUE(wait_until([&] { return serving(port); }, patience)) << flowmind.log();
  RelayTestClient browser(port, "/api/stream/ws/flow");
  ASSERT_TRUE(browser.connect()) << browser.error();
  ASSERT_TRUE(wait_until([&] { return joined_now(sim, "flow-alerts"); }, patience)) << flowmind.log();

  const nlohmann::json alert = {{"id", "fa-1"}, {"ticker", "SPY"}, {"total_premium", 250000}, {"bid", "1.20"}};
  EXPECT_EQ(sim.emit("flow-alerts", alert), 1);
  const auto message = browser.read_json(patience);
  ASSERT_TRUE(message) << flowmind.log();
  EXPECT_EQ((*message)["channel"], "flow-alerts");
  EXPECT_EQ((*message)["data"], alert);
  EXPECT_TRUE((*message)["timestamp"].is_string());

  // The shipped dashboard, copied into the build tree beside the module.
  const auto page = http_get(port, "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body, read_file(source_dir() / "plugins/sinks/browser_relay/dashboard/index.html"));
  EXPECT_EQ(http_get(port, "/js/app.js").status, 200);
  EXPECT_EQ(http_get(port, "/package.json").status, 404);  // development files are not shipped

  const auto metrics = http_get(flowmind.admin(), "/metrics");
  EXPECT_NE(metrics.body.find("flowmind_relay_clients{pipeline=\"flow\""), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("flowmind_relay_messages_sent_total"), std::string::npos);
  EXPECT_EQ(flowmind.log().find("relay-e2e-token"), std::string::npos);
}

TEST(RelayE2e, APythonWebsocketsClientReceivesTheBacklog) {
  const auto python = std::filesystem::path("/usr/bin/python3");
  ASSERT_TRUE(std::filesystem::exists(python)) << "install python3 (tools/install-deps.sh)";
  const auto probe = run_process({python.string(), "-c", "import websockets"}, 30s);
  ASSERT_EQ(probe.exit_code, 0) << "install python3-websockets (tools/install-deps.sh): " << probe.err;

  UwSimProcess sim(quiet_sim());
  TempDir dir;
  const int port = free_port();
  const auto file = dir.write("flow.yaml", pipeline_yaml("flow", sim.port(), "off_lit_trades", port,
                                                         "    path: /api/stream/ws/dark-pool\n    backlog: 3\n"));
  Flowmind flowmind(dir, {file});
  ASSERT_TRUE(wait_until([&] { return joined_now(sim, "off_lit_trades"); }, patience)) << flowmind.log();
  for (int n = 0; n < 5; ++n) EXPECT_EQ(sim.emit("off_lit_trades", {{"n", n}, {"size", 100 * n}}), 1);
  ASSERT_TRUE(wait_until(
      [&] {
        const auto status = http_get(flowmind.admin(), "/pipelines");
        return status.body.find("\"events\":5") != std::string::npos;
      },
      patience))
      << http_get(flowmind.admin(), "/pipelines").body;

  const auto script = dir.write("client.py", R"(
import asyncio, json, sys
import websockets

async def main():
    url = sys.argv[1]
    async with websockets.connect(url, origin="http://127.0.0.1:" + sys.argv[2]) as ws:
        for _ in range(3):
            message = json.loads(await asyncio.wait_for(ws.recv(), 20))
            print(json.dumps(message), flush=True)

asyncio.run(main())
)");
  const auto result =
      run_process({python.string(), script.string(),
                   "ws://127.0.0.1:" + std::to_string(port) + "/api/stream/ws/dark-pool", std::to_string(port)},
                  60s);
  ASSERT_EQ(result.exit_code, 0) << result.err << flowmind.log();
  std::istringstream lines(result.out);
  std::vector<int> got;
  for (std::string line; std::getline(lines, line);) {
    const auto message = nlohmann::json::parse(line);
    EXPECT_EQ(message["channel"], "off_lit_trades");
    got.push_back(message["data"]["n"]);
  }
  EXPECT_EQ(got, (std::vector<int>{2, 3, 4}));
}

TEST(RelayE2e, TwoPipelineFilesShareOnePort) {
  UwSimProcess sim(quiet_sim());
  TempDir dir;
  const int port = free_port();
  const auto flow =
      dir.write("flow.yaml", pipeline_yaml("flow", sim.port(), "flow-alerts", port, "    path: /api/stream/ws/flow\n"));
  const auto dark = dir.write(
      "dark.yaml", pipeline_yaml("dark", sim.port(), "off_lit_trades", port, "    path: /api/stream/ws/dark-pool\n"));
  Flowmind flowmind(dir, {flow, dark});
  ASSERT_TRUE(wait_until([&] { return joined_now(sim, "flow-alerts") && joined_now(sim, "off_lit_trades"); }, patience))
      << flowmind.log();
  RelayTestClient flow_browser(port, "/api/stream/ws/flow");
  ASSERT_TRUE(flow_browser.connect());
  RelayTestClient dark_browser(port, "/api/stream/ws/dark-pool");
  ASSERT_TRUE(dark_browser.connect());
  EXPECT_EQ(sim.emit("flow-alerts", {{"id", "f"}}), 1);
  EXPECT_EQ(sim.emit("off_lit_trades", {{"id", "d"}}), 1);
  const auto f = flow_browser.read_json(patience);
  const auto d = dark_browser.read_json(patience);
  ASSERT_TRUE(f && d);
  EXPECT_EQ((*f)["data"]["id"], "f");
  EXPECT_EQ((*d)["data"]["id"], "d");
  EXPECT_TRUE(flow_browser.drain(300ms).empty());
  const auto channels = nlohmann::json::parse(http_get(port, "/api/stream/channels").body);
  EXPECT_EQ(channels["total_channels"], 2);
  const auto status = nlohmann::json::parse(http_get(port, "/api/stream/status").body);
  EXPECT_EQ(status["uw_connection"]["sources"].size(), 2U);
  EXPECT_EQ(status["total_clients"], 2);
}

// Needs the engine's PipelineControl (SDK 1.2).
TEST(RelayE2e, ReconnectEndpointReconnectsTheUpstream) {
  UwSimProcess sim(quiet_sim());
  TempDir dir;
  const int port = free_port();
  const auto file = dir.write("flow.yaml", pipeline_yaml("flow", sim.port(), "flow-alerts", port, ""));
  Flowmind flowmind(dir, {file});
  ASSERT_TRUE(wait_until([&] { return joined_now(sim, "flow-alerts"); }, patience)) << flowmind.log();
  ASSERT_EQ(accepted(sim).size(), 1U);
  const auto status = nlohmann::json::parse(http_get(port, "/api/stream/status").body);
  EXPECT_EQ(status["uw_connection"]["connected"], true) << status.dump();

  const auto reply = http_request(port, "POST", "/api/stream/reconnect");
  ASSERT_EQ(reply.status, 200) << reply.body << flowmind.log();
  EXPECT_EQ(nlohmann::json::parse(reply.body)["status"], "success");
  ASSERT_TRUE(wait_until(
      [&] {
        const auto connections = accepted(sim);
        return connections.size() == 2 && !connections[0]["closed_at_ms"].is_null() && joined_now(sim, "flow-alerts");
      },
      patience))
      << sim.log().dump() << flowmind.log();
  RelayTestClient browser(port, "/api/stream/ws/flow");
  ASSERT_TRUE(browser.connect());
  EXPECT_EQ(sim.emit("flow-alerts", {{"id", "after"}}), 1);
  const auto message = browser.read_json(patience);
  ASSERT_TRUE(message);
  EXPECT_EQ((*message)["data"]["id"], "after");
}

// Needs the engine's on_demand pipelines and PipelineControl (SDK 1.2).
TEST(RelayE2e, OnDemandJoinsAndLeavesFollowTheBrowsers) {
  UwSimProcess sim(quiet_sim());
  TempDir dir;
  const int port = free_port();
  const auto file =
      dir.write("flow.yaml", pipeline_yaml("flow", sim.port(), "flow-alerts", port, "    path: /api/stream/ws/flow\n",
                                           "on_demand: true\non_demand_linger: 200ms\n"));
  Flowmind flowmind(dir, {file});
  ASSERT_TRUE(wait_until([&] { return serving(port); }, patience)) << flowmind.log();
  // No browser: the source stays idle and never joins.
  ASSERT_TRUE(wait_until(
      [&] { return http_get(flowmind.admin(), "/pipelines").body.find("idle") != std::string::npos; }, patience))
      << http_get(flowmind.admin(), "/pipelines").body;
  EXPECT_FALSE(joined_now(sim, "flow-alerts"));

  {
    RelayTestClient browser(port, "/api/stream/ws/flow");
    ASSERT_TRUE(browser.connect());
    ASSERT_TRUE(wait_until([&] { return joined_now(sim, "flow-alerts"); }, patience)) << flowmind.log();
    EXPECT_EQ(sim.emit("flow-alerts", {{"id", "wanted"}}), 1);
    const auto message = browser.read_json(patience);
    ASSERT_TRUE(message);
    EXPECT_EQ((*message)["data"]["id"], "wanted");
    browser.close();
  }
  // The last browser left: after the linger the channel is left (the connection closes with it).
  ASSERT_TRUE(wait_until([&] { return !joined_now(sim, "flow-alerts"); }, patience)) << sim.log().dump();
  const auto connections = accepted(sim);
  ASSERT_FALSE(connections.empty());
  bool left = false;
  for (const auto& connection : connections) {
    for (const auto& leave : connection["leaves"]) left = left || leave == "flow-alerts";
  }
  EXPECT_TRUE(left) << sim.log().dump();

  // A new browser brings it back.
  RelayTestClient again(port, "/api/stream/ws/flow");
  ASSERT_TRUE(again.connect());
  EXPECT_TRUE(wait_until([&] { return joined_now(sim, "flow-alerts"); }, patience)) << flowmind.log();
}

}  // namespace
}  // namespace flowmind::browser_relay::testing
