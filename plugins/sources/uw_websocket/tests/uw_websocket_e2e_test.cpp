// The built flowmind executable with the uw_websocket module against uw-sim: two pipeline files in
// one process sharing a connection, the admin API's status, /metrics and reconnect, a rejected
// token, validation, the README's options table, and the token in none of the output.
#include <csignal>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "uw_sim_process.hpp"

namespace flowmind::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::chrono::milliseconds patience{30000};
const std::string secret = "Distinctive-Token-7c1e9a";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

UwSimProcess::Options sim_options(std::vector<std::string> extra = {}) {
  UwSimProcess::Options options;
  options.extra_args = {"--rate", "flow-alerts=0", "--rate", "price=0", "--rate", "news=0"};
  for (auto& arg : extra) options.extra_args.push_back(std::move(arg));
  return options;
}

std::string pipeline_yaml(const std::string& name, int port, const std::string& channels, const std::string& file) {
  return "pipeline: " + name +
         "\n"
         "source:\n"
         "  type: uw_websocket\n"
         "  url: ws://127.0.0.1:" +
         std::to_string(port) +
         "/socket\n"
         "  token: ${UW_API_TOKEN}\n"
         "  channels: " +
         channels +
         "\n"
         "  reconnect_initial: 100ms\n"
         "sinks:\n"
         "  - type: file_writer\n"
         "    path: " +
         file +
         "\n"
         "    fsync_interval: 10ms\n";
}

nlohmann::json pipelines(int port) {
  const auto response = http_get(port, "/pipelines");
  if (response.status != 200) return nlohmann::json::array();
  return nlohmann::json::parse(response.body).value("pipelines", nlohmann::json::array());
}

bool joined(const nlohmann::json& list, std::size_t expected) {
  std::size_t seen = 0;
  for (const auto& pipeline : list) {
    const auto& status = pipeline["stages"][0]["status"];
    if (!status.is_object() || !status.contains("channels") || status["channels"].empty()) return false;
    for (const auto& [name, channel] : status["channels"].items()) {
      if (channel.value("join", "") != "joined") return false;
    }
    ++seen;
  }
  return seen == expected;
}

std::size_t count_of(const nlohmann::json& list, const std::string& value) {
  std::size_t n = 0;
  for (const auto& item : list) n += item == value ? 1 : 0;
  return n;
}

std::vector<nlohmann::json> accepted(const UwSimProcess& sim) {
  std::vector<nlohmann::json> out;
  const auto log = sim.log();  // not in the loop header: the temporary would die before the loop
  for (const auto& connection : log.at("connections")) {
    if (connection.value("status", 0) == 101) out.push_back(connection);
  }
  return out;
}

TEST(UwWebSocketE2e, TwoPipelineFilesShareOneConnectionAndTheTokenAppearsNowhere) {
  UwSimProcess sim(sim_options({"--token", secret}));
  TempDir dir;
  const auto alpha_out = (dir.path() / "alpha.jsonl").string();
  const auto beta_out = (dir.path() / "beta.jsonl").string();
  const auto alpha = dir.write("alpha.yaml", pipeline_yaml("alpha", sim.port(), "[flow-alerts, price:SPY]", alpha_out));
  const auto beta = dir.write("beta.yaml", pipeline_yaml("beta", sim.port(), "[flow-alerts, news]", beta_out));
  const int admin = free_port();
  const auto out = dir.path() / "stdout.txt";
  const auto err = dir.path() / "stderr.txt";
  ChildProcess child({flowmind_executable().string(), "--log-level", "debug", "run", "--admin-listen",
                      "127.0.0.1:" + std::to_string(admin), alpha.string(), beta.string()},
                     out, err, {{"UW_API_TOKEN", secret}});
  ASSERT_TRUE(wait_until([&] { return joined(pipelines(admin), 2); }, patience))
      << pipelines(admin).dump(2) << read_file(err);

  auto log = accepted(sim);
  ASSERT_EQ(log.size(), 1U) << sim.log().dump();
  EXPECT_EQ(count_of(log[0]["joins"], "flow-alerts"), 1U);
  EXPECT_EQ(count_of(log[0]["joins"], "price:SPY"), 1U);
  EXPECT_EQ(count_of(log[0]["joins"], "news"), 1U);

  EXPECT_EQ(sim.emit("flow-alerts", {{"id", "fa-1"}, {"total_premium", 250000}}), 1);
  EXPECT_EQ(sim.emit("price:SPY", {{"close", "562.82"}, {"time", 1726670327692}}), 1);
  EXPECT_EQ(sim.emit("news", {{"headline", "Fed holds"}}), 1);
  ASSERT_TRUE(wait_until(
      [&] { return lines_of(read_file(alpha_out)).size() == 2 && lines_of(read_file(beta_out)).size() == 2; },
      patience))
      << read_file(err);
  const auto alpha_lines = lines_of(read_file(alpha_out));
  EXPECT_EQ(nlohmann::json::parse(alpha_lines[0])["channel"], "flow-alerts");
  EXPECT_EQ(nlohmann::json::parse(alpha_lines[0])["data"]["id"], "fa-1");
  EXPECT_EQ(nlohmann::json::parse(alpha_lines[1])["channel"], "price:SPY");
  const auto beta_lines = lines_of(read_file(beta_out));
  EXPECT_EQ(nlohmann::json::parse(beta_lines[0])["channel"], "flow-alerts");
  EXPECT_EQ(nlohmann::json::parse(beta_lines[1])["channel"], "news");

  const auto status = pipelines(admin);
  const auto& source = status[0]["stages"][0]["status"];
  EXPECT_EQ(source["connection"]["state"], "connected");
  EXPECT_EQ(source["connection"]["pipelines"], 2);
  EXPECT_NE(source["connection"]["url"].get<std::string>().find("token=***"), std::string::npos);

  const auto metrics = http_get(admin, "/metrics").body;
  EXPECT_NE(metrics.find("# TYPE flowmind_uw_messages_total counter"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("flowmind_uw_messages_total{pipeline=\"alpha\",stage=\"source\",type=\"uw_websocket\",channel="
                         "\"price:SPY\"} 1"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("flowmind_uw_connected{pipeline=\"beta\",stage=\"source\",type=\"uw_websocket\"} 1"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("flowmind_uw_reconnects_total{"), std::string::npos);
  EXPECT_NE(metrics.find("flowmind_uw_last_message_age_seconds{"), std::string::npos);

  // The operator's reconnect renews the shared connection; every channel is joined again.
  EXPECT_EQ(http_request(admin, "POST", "/pipelines/alpha/reconnect").status, 200);
  ASSERT_TRUE(wait_until(
      [&] {
        const auto now = accepted(sim);
        return now.size() == 2 && now[1]["joins"].size() == 3 && joined(pipelines(admin), 2);
      },
      patience))
      << sim.log().dump();

  const auto status_text = http_get(admin, "/pipelines").body;
  const auto metrics_text = http_get(admin, "/metrics").body;
  child.send_signal(SIGTERM);
  const auto code = child.wait(patience);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << read_file(err);

  // The last pipeline out left every channel and closed the connection.
  const auto last = accepted(sim).back();
  EXPECT_EQ(count_of(last["leaves"], "flow-alerts"), 1U) << last.dump();
  EXPECT_EQ(count_of(last["leaves"], "price:SPY"), 1U);
  EXPECT_EQ(count_of(last["leaves"], "news"), 1U);
  EXPECT_FALSE(last["closed_at_ms"].is_null());

  const auto stderr_text = read_file(err);
  EXPECT_NE(stderr_text.find("token=***"), std::string::npos) << stderr_text;  // the URL is logged, redacted
  for (const auto* text : {&stderr_text, &status_text, &metrics_text}) {
    EXPECT_EQ(text->find(secret), std::string::npos) << *text;
  }
  EXPECT_EQ(read_file(out).find(secret), std::string::npos);
}

TEST(UwWebSocketE2e, ARejectedTokenFailsThePipelineOnceWithAClearMessage) {
  UwSimProcess sim(sim_options({"--token", "the-accepted-token"}));
  TempDir dir;
  const auto file = dir.write(
      "bad.yaml", pipeline_yaml("bad-token", sim.port(), "[flow-alerts]", (dir.path() / "out.jsonl").string()));
  const auto result = run_process(
      {flowmind_executable().string(), "--log-level", "debug", "run", "--admin-listen", "off", file.string()}, patience,
      {{"UW_API_TOKEN", secret}});
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.err.find("UW rejected the token (HTTP 401"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find(secret), std::string::npos) << result.err;
  EXPECT_EQ(result.out.find(secret), std::string::npos);
  const auto connections = sim.log()["connections"];
  ASSERT_EQ(connections.size(), 1U) << connections.dump();
  EXPECT_EQ(connections[0]["status"], 401);
}

TEST(UwWebSocketE2e, ValidateWarnsAboutUnknownChannelsAndRefusesPlainWsToRemoteHosts) {
  TempDir dir;
  const auto warn = dir.write("warn.yaml",
                              "pipeline: w\nsource:\n  type: uw_websocket\n  token: abc\n"
                              "  channels: [flow-alerts, gex:SPY, flow_alerts]\nsinks: [{type: stdout}]\n");
  auto result = run_process({flowmind_executable().string(), "validate", warn.string()}, patience);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE((result.out + result.err).find("unknown UW channel 'flow_alerts'"), std::string::npos)
      << result.out << result.err;
  EXPECT_NE((result.out + result.err).find("1 warning"), std::string::npos) << result.out << result.err;

  const auto bad = dir.write("bad.yaml",
                             "pipeline: b\nsource:\n  type: uw_websocket\n  url: ws://api.unusualwhales.com/socket\n"
                             "  token: abc\n  channels: [news]\nsinks: [{type: stdout}]\n");
  result = run_process({flowmind_executable().string(), "validate", bad.string()}, patience);
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE((result.out + result.err).find("only allowed for loopback"), std::string::npos) << result.out << result.err;
  EXPECT_NE((result.out + result.err).find("bad.yaml:4:"), std::string::npos) << result.out << result.err;
}

TEST(UwWebSocketE2e, TheReadmeOptionsTableIsTheSchemasRendering) {
  const auto readme = read_file(source_dir() / "plugins" / "sources" / "uw_websocket" / "README.md");
  const std::string begin = "<!-- options:begin -->\n";
  const auto from = readme.find(begin);
  const auto to = readme.find("<!-- options:end -->");
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  const auto result = run_process({flowmind_executable().string(), "plugins", "uw_websocket", "--markdown"}, patience);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(readme.substr(from + begin.size(), to - from - begin.size()), result.out);
}

}  // namespace
}  // namespace flowmind::testing
