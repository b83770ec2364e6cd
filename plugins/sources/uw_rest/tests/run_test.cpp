// A real `flowmind run` of a uw_rest pipeline against uw-sim: events on stdout, the token nowhere else.
#include <csignal>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "uw_sim_process.hpp"

namespace flowmind::uw_rest {
namespace {

using namespace std::chrono_literals;
using namespace flowmind::testing;

const std::string secret = "e2e-secret-token-9f8e7d6c";

std::string pipeline_yaml(const std::string& base_url) {
  return "pipeline: uw-rest-e2e\n"
         "source:\n"
         "  type: uw_rest\n"
         "  base_url: " +
         base_url +
         "\n"
         "  path: /api/darkpool/recent\n"
         "  query: {limit: 5}\n"
         "  token: ${UW_API_TOKEN}\n"
         "  channel: off_lit_trades\n"
         "  interval: 200ms\n"
         "  backoff_initial: 50ms\n"
         "sinks:\n"
         "  - type: stdout\n";
}

TEST(UwRestRun, TheTokenIsInNoLogStatusOrMetric) {
  UwSimProcess sim(UwSimProcess::Options{});
  sim.fault({{"fault", "rest_500"}, {"count", 1}});  // so that an error is logged too
  TempDir dir;
  const auto file = dir.write("uw-rest.yaml", pipeline_yaml(sim.http_url()));
  const int port = free_port();
  const auto out = dir.path() / "out.txt";
  const auto err = dir.path() / "err.txt";
  ChildProcess child({flowmind_executable().string(), "--log-level", "debug", "run", "--admin-listen",
                      "127.0.0.1:" + std::to_string(port), file.string()},
                     out, err, {{"UW_API_TOKEN", secret}});

  nlohmann::json source;
  ASSERT_TRUE(wait_until(
      [&] {
        const auto response = http_get(port, "/pipelines");
        if (response.status != 200) return false;
        const auto body = nlohmann::json::parse(response.body, nullptr, false);
        if (body.is_discarded() || body["pipelines"].empty()) return false;
        source = body["pipelines"][0]["stages"][0]["status"];
        return source.is_object() && source["records_emitted"].get<int>() >= 5 && source["requests"].contains("500");
      },
      60s))
      << source.dump(2) << read_file(err);
  const auto pipelines = http_get(port, "/pipelines");
  const auto metrics = http_get(port, "/metrics");
  EXPECT_EQ(pipelines.body.find(secret), std::string::npos) << pipelines.body;
  EXPECT_EQ(metrics.body.find(secret), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("flowmind_uw_rest_records_total{pipeline=\"uw-rest-e2e\""), std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("status=\"500\"} 1"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("flowmind_uw_rest_budget_remaining{"), std::string::npos) << metrics.body;

  child.send_signal(SIGTERM);
  ASSERT_EQ(child.wait(60s), 0) << read_file(err);
  const auto log = read_file(err);
  EXPECT_NE(log.find("answered HTTP 500"), std::string::npos) << log;
  EXPECT_EQ(log.find(secret), std::string::npos) << log;
  const auto stdout_text = read_file(out);
  EXPECT_NE(stdout_text.find("\"channel\":\"off_lit_trades\""), std::string::npos);
  EXPECT_EQ(stdout_text.find(secret), std::string::npos);
}

TEST(UwRestRun, ARejectedTokenFailsThePipelineOnceAndClearly) {
  UwSimProcess::Options options;
  options.extra_args = {"--token", "a-different-token"};
  UwSimProcess sim(options);
  TempDir dir;
  const auto file = dir.write("uw-rest.yaml", pipeline_yaml(sim.http_url()));
  const auto result = run_process({flowmind_executable().string(), "run", "--admin-listen", "off", file.string()}, 60s,
                                  {{"UW_API_TOKEN", secret}});
  ASSERT_FALSE(result.timed_out) << result.err;
  EXPECT_NE(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("401"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("UW_API_TOKEN"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find(secret), std::string::npos) << result.err;
  EXPECT_EQ(sim.log()["rest_requests"].size(), 1U);
}

TEST(UwRestRun, TwoPipelinesOfOneProcessShareTheTokensBudget) {
  UwSimProcess sim(UwSimProcess::Options{});
  TempDir dir;
  const auto pipeline_yaml_for = [&](const std::string& name, const std::string& path) {
    return "pipeline: " + name + "\nsource:\n  type: uw_rest\n  base_url: " + sim.http_url() + "\n  path: " + path +
           "\n  token: ${UW_API_TOKEN}\n  channel: c\n  interval: 100ms\n  budget_per_minute: 3\n"
           "sinks:\n  - type: stdout\n";
  };
  const std::string yaml = pipeline_yaml_for("congress", "/api/congress/recent-trades") + "---\n" +
                           pipeline_yaml_for("darkpool", "/api/darkpool/recent");
  const auto file = dir.write("two.yaml", yaml);
  const int port = free_port();
  const auto err = dir.path() / "err.txt";
  ChildProcess child(
      {flowmind_executable().string(), "run", "--admin-listen", "127.0.0.1:" + std::to_string(port), file.string()},
      dir.path() / "out.txt", err, {{"UW_API_TOKEN", secret}});
  const auto waiting = [&] {
    const auto response = http_get(port, "/pipelines");
    if (response.status != 200) return 0;
    const auto body = nlohmann::json::parse(response.body, nullptr, false);
    if (body.is_discarded()) return 0;
    int count = 0;
    for (const auto& pipeline : body["pipelines"]) {
      count += pipeline["stages"][0]["status"].value("state", "") == "waiting_for_budget" ? 1 : 0;
    }
    return count;
  };
  ASSERT_TRUE(wait_until([&] { return waiting() == 2; }, 60s)) << read_file(err);
  // Both keep asking; the simulator sees no more than the one budget of the token.
  EXPECT_FALSE(wait_until([&] { return sim.log()["rest_requests"].size() > 3; }, 2s));
  EXPECT_EQ(sim.log()["rest_requests"].size(), 3U);
  child.send_signal(SIGTERM);
  EXPECT_EQ(child.wait(60s), 0) << read_file(err);
  EXPECT_EQ(read_file(err).find(secret), std::string::npos);
}

}  // namespace
}  // namespace flowmind::uw_rest
