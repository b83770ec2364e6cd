// `flowmind run`: exact output of a finite pipeline, admin endpoints while running, graceful stop.
#include <gtest/gtest.h>

#include <csignal>
#include <sstream>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace flowmind::testing {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(CliRun, FiniteGeneratorWritesExactlyCountLines) {
  TempDir dir;
  const auto file = dir.write("count.yaml", R"(pipeline: exact
source:
  type: generator
  shape: counter
  rate: 0
  count: 2500
sinks:
  - type: stdout
)");
  const auto result =
      run_process({flowmind_executable().string(), "run", "--admin-listen", "off", file.string()}, 120s);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 2500U);
  for (std::size_t index = 0; index < lines.size(); ++index) {
    const auto envelope = nlohmann::json::parse(lines[index]);
    ASSERT_EQ(envelope["data"]["n"], index) << lines[index];
    ASSERT_EQ(envelope["channel"], "counter");
    ASSERT_TRUE(envelope["timestamp"].is_string());
  }
}

TEST(CliRun, TwoPipelinesInOneFileBothRun) {
  TempDir dir;
  const auto file = dir.write("two.yaml", R"(pipeline: first
source: {type: generator, shape: counter, rate: 0, count: 10, channel: one}
sinks: [{type: stdout}]
---
pipeline: second
source: {type: generator, shape: counter, rate: 0, count: 20, channel: two}
sinks: [{type: stdout, format: payload}]
)");
  const auto result =
      run_process({flowmind_executable().string(), "run", "--admin-listen", "off", file.string()}, 120s);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto lines = lines_of(result.out);
  std::size_t envelopes = 0;
  std::size_t payloads = 0;
  for (const auto& line : lines) {
    const auto parsed = nlohmann::json::parse(line);
    if (parsed.contains("channel")) {
      EXPECT_EQ(parsed["channel"], "one");
      ++envelopes;
    } else {
      EXPECT_TRUE(parsed.contains("n"));
      ++payloads;
    }
  }
  EXPECT_EQ(envelopes, 10U);
  EXPECT_EQ(payloads, 20U);
}

TEST(CliRun, InvalidPipelineStartsNothing) {
  TempDir dir;
  const auto file =
      dir.write("bad.yaml", "pipeline: bad\nsource: {type: generator, rate: fast}\nsinks: [{type: stdout}]\n");
  const auto result = run_process({flowmind_executable().string(), "run", "--admin-listen", "off", file.string()}, 60s);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(file.string() + ":2:"), std::string::npos) << result.err;
  EXPECT_TRUE(result.out.empty());
}

class CliRunAdmin : public ::testing::Test {
 protected:
  TempDir dir_;
  int port_ = free_port();
  std::filesystem::path out_ = dir_.path() / "out.txt";
  std::filesystem::path err_ = dir_.path() / "err.txt";

  std::unique_ptr<ChildProcess> start(const std::string& yaml) {
    const auto file = dir_.write("live.yaml", yaml);
    auto child =
        std::make_unique<ChildProcess>(std::vector<std::string>{flowmind_executable().string(), "run", "--admin-listen",
                                                                "127.0.0.1:" + std::to_string(port_), file.string()},
                                       out_, err_);
    EXPECT_TRUE(wait_until([&] { return http_get(port_, "/health").status == 200; }, 30s)) << read_file(err_);
    return child;
  }
};

TEST_F(CliRunAdmin, EndpointsAnswerWhileRunningAndStopDrainsEverything) {
  auto child = start(R"(pipeline: live
source:
  type: generator
  shape: counter
  rate: 200
filters:
  - type: match
    conditions:
      - {field: n, op: gte, value: 0}
sinks:
  - type: stdout
)");
  const auto health = http_get(port_, "/health");
  EXPECT_EQ(nlohmann::json::parse(health.body)["status"], "healthy");

  ASSERT_TRUE(wait_until([&] { return http_get(port_, "/ready").status == 200; }, 30s));

  nlohmann::json pipelines;
  ASSERT_TRUE(wait_until(
      [&] {
        const auto response = http_get(port_, "/pipelines");
        if (response.status != 200) return false;
        pipelines = nlohmann::json::parse(response.body)["pipelines"];
        return pipelines.size() == 1 && pipelines[0]["stages"].size() == 3 &&
               pipelines[0]["stages"][2]["out"].get<std::uint64_t>() >= 20;
      },
      30s))
      << pipelines.dump(2);
  EXPECT_EQ(pipelines[0]["name"], "live");
  EXPECT_EQ(pipelines[0]["state"], "running");

  const auto metrics = http_get(port_, "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.headers.at("content-type").find("text/plain"), std::string::npos);
  EXPECT_NE(metrics.body.find("flowmind_stage_events_out_total{pipeline=\"live\""), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("flowmind_pipeline_up{pipeline=\"live\"} 1"), std::string::npos) << metrics.body;

  EXPECT_EQ(http_get(port_, "/nope").status, 404);
  // POST /pipelines creates a pipeline: an empty definition is a validation error.
  EXPECT_EQ(http_request(port_, "POST", "/pipelines", "{}").status, 400);
  EXPECT_EQ(http_request(port_, "PUT", "/metrics").status, 405);

  child->send_signal(SIGTERM);
  const auto code = child->wait(30s);
  ASSERT_TRUE(code.has_value()) << "did not stop within 30 s";
  EXPECT_EQ(*code, 0) << read_file(err_);

  // Every event the source emitted reached stdout: consecutive numbers, none missing.
  const auto lines = lines_of(read_file(out_));
  ASSERT_GE(lines.size(), 20U);
  for (std::size_t index = 0; index < lines.size(); ++index) {
    ASSERT_EQ(nlohmann::json::parse(lines[index])["data"]["n"], index);
  }
}

TEST_F(CliRunAdmin, ReadyNamesAPipelineThatIsNotRunning) {
  auto child = start(R"(pipeline: endless
source: {type: generator, shape: counter, rate: 5}
sinks: [{type: stdout}]
---
pipeline: short
source: {type: generator, shape: counter, rate: 0, count: 1}
sinks: [{type: stdout}]
)");
  HttpResponse ready;
  ASSERT_TRUE(wait_until(
      [&] {
        ready = http_get(port_, "/ready");
        return ready.status == 503;
      },
      30s))
      << ready.body;
  const auto body = nlohmann::json::parse(ready.body);
  EXPECT_EQ(body["not_running"], nlohmann::json::array({"short"})) << ready.body;
  child->send_signal(SIGINT);
  EXPECT_EQ(child->wait(30s), 0);
}

TEST_F(CliRunAdmin, ReconnectEndpointAnswersPerPipeline) {
  auto child = start("pipeline: gen\nsource: {type: generator, rate: 5}\nsinks: [{type: stdout}]\n");
  ASSERT_TRUE(wait_until([&] { return http_get(port_, "/ready").status == 200; }, 30s));

  const auto unknown = http_request(port_, "POST", "/pipelines/nope/reconnect");
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_NE(unknown.body.find("no such pipeline: nope"), std::string::npos) << unknown.body;
  // The generator has no upstream connection to renew.
  const auto nothing = http_request(port_, "POST", "/pipelines/gen/reconnect");
  EXPECT_EQ(nothing.status, 409) << nothing.body;
  EXPECT_EQ(http_get(port_, "/pipelines/gen/reconnect").status, 405);

  child->send_signal(SIGTERM);
  EXPECT_EQ(child->wait(30s), 0);
}

TEST_F(CliRunAdmin, PortAlreadyTakenIsAClearError) {
  auto first = start("pipeline: holder\nsource: {type: generator, rate: 1}\nsinks: [{type: stdout}]\n");
  const auto file =
      dir_.write("second.yaml", "pipeline: second\nsource: {type: generator, rate: 1}\nsinks: [{type: stdout}]\n");
  const auto result = run_process(
      {flowmind_executable().string(), "run", "--admin-listen", "127.0.0.1:" + std::to_string(port_), file.string()},
      60s);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("cannot listen on 127.0.0.1:" + std::to_string(port_)), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("--admin-listen"), std::string::npos) << result.err;
  first->send_signal(SIGTERM);
  EXPECT_EQ(first->wait(30s), 0);
}

}  // namespace
}  // namespace flowmind::testing
