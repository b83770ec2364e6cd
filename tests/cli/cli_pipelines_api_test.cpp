// The admin API's pipeline routes (create, show, replace, delete, restart), their validation
// errors, the admin token off loopback, the body limit, and `flowmind tap`.
#include <algorithm>
#include <csignal>
#include <filesystem>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "admin_client.hpp"

namespace flowmind::testing {
namespace {

using namespace std::chrono_literals;

const std::string counter_yaml =
    "pipeline: api-made\nsource: {type: generator, shape: counter, rate: 20, channel: api}\nsinks: [{type: stdout}]\n";

class CliPipelinesApi : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = dir_.write("file.yaml",
                       "pipeline: from-file\nsource:\n  type: uw_websocket\n  url: ws://127.0.0.1:9/socket\n"
                       "  token: ${FM_TEST_UW_TOKEN}\n  channels: [flow-alerts]\n  reconnect_initial: 1s\n"
                       "sinks: [{type: stdout}]\n");
    flowmind_ =
        std::make_unique<FlowmindRun>(dir_, std::vector<std::filesystem::path>{file_},
                                      FlowmindRun::Options{.env = {{"FM_TEST_UW_TOKEN", "tok-do-not-show-42"}}});
    ASSERT_TRUE(flowmind_->wait_ready()) << flowmind_->log();
  }
  void TearDown() override {
    if (flowmind_) {
      EXPECT_EQ(flowmind_->stop(), 0) << flowmind_->log();
      EXPECT_EQ(flowmind_->log().find("tok-do-not-show-42"), std::string::npos);
    }
  }

  TempDir dir_;
  std::filesystem::path file_;
  std::unique_ptr<FlowmindRun> flowmind_;
};

TEST_F(CliPipelinesApi, CreateShowReplaceRestartDelete) {
  const int port = flowmind_->admin();
  const auto created = http_request(port, "POST", "/pipelines", counter_yaml);
  ASSERT_EQ(created.status, 201) << created.body;
  const auto created_json = nlohmann::json::parse(created.body);
  EXPECT_EQ(created_json["added"], nlohmann::json::array({"api-made"}));
  EXPECT_EQ(created_json["pipeline"]["origin"], "api");
  EXPECT_EQ(http_request(port, "POST", "/pipelines", counter_yaml).status, 409);

  const auto shown = http_get(port, "/pipelines/api-made");
  ASSERT_EQ(shown.status, 200) << shown.body;
  const auto shown_json = nlohmann::json::parse(shown.body);
  EXPECT_EQ(shown_json["definition"]["source"]["channel"], "api");
  EXPECT_EQ(shown_json["stages"].size(), 2U);
  EXPECT_TRUE(shown_json.contains("taps"));
  EXPECT_EQ(http_get(port, "/pipelines/nope").status, 404);

  // JSON bodies work too; the name in the body must be the one in the path.
  const nlohmann::json replacement = {
      {"pipeline", "api-made"},
      {"source", {{"type", "generator"}, {"shape", "counter"}, {"rate", 20}, {"channel", "api-v2"}}},
      {"sinks", {{{"type", "stdout"}}}}};
  const auto replaced = http_request(port, "PUT", "/pipelines/api-made", replacement.dump());
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_EQ(nlohmann::json::parse(replaced.body)["changed"], nlohmann::json::array({"api-made"}));
  EXPECT_EQ(nlohmann::json::parse(http_get(port, "/pipelines/api-made").body)["definition"]["source"]["channel"],
            "api-v2");
  const auto other_name =
      http_request(port, "PUT", "/pipelines/api-made", counter_yaml.substr(0, 10) + "x" + counter_yaml.substr(18));
  EXPECT_EQ(other_name.status, 400) << other_name.body;
  EXPECT_EQ(http_request(port, "PUT", "/pipelines/nope", "pipeline: nope\n" + counter_yaml.substr(19)).status, 404);

  const auto restarted = http_request(port, "POST", "/pipelines/api-made/restart");
  ASSERT_EQ(restarted.status, 200) << restarted.body;
  EXPECT_EQ(http_request(port, "POST", "/pipelines/nope/restart").status, 404);
  EXPECT_EQ(http_get(port, "/pipelines/api-made/restart").status, 405);

  // A reload keeps API pipelines.
  ASSERT_EQ(http_request(port, "POST", "/reload").status, 200);
  EXPECT_FALSE(flowmind_->pipeline("api-made").is_null());

  const auto deleted = http_request(port, "DELETE", "/pipelines/api-made");
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_TRUE(flowmind_->pipeline("api-made").is_null());
  EXPECT_EQ(http_request(port, "DELETE", "/pipelines/api-made").status, 404);
  EXPECT_EQ(http_request(port, "PATCH", "/pipelines/from-file").status, 405);
}

TEST_F(CliPipelinesApi, ValidationErrorsComeWithLineAndColumn) {
  const int port = flowmind_->admin();
  const auto invalid = http_request(
      port, "POST", "/pipelines", "pipeline: bad\nsource:\n  type: generator\n  rate: fast\nsinks: [{type: stdout}]\n");
  ASSERT_EQ(invalid.status, 400) << invalid.body;
  const auto body = nlohmann::json::parse(invalid.body);
  ASSERT_EQ(body["errors"].size(), 1U) << invalid.body;
  EXPECT_EQ(body["errors"][0]["file"], "request");
  EXPECT_EQ(body["errors"][0]["line"], 4);
  EXPECT_EQ(body["errors"][0]["column"], 9);
  EXPECT_NE(body["errors"][0]["message"].get<std::string>().find("rate"), std::string::npos) << invalid.body;

  const auto broken_yaml = http_request(port, "POST", "/pipelines", "pipeline: x\nsource: [unclosed\n");
  ASSERT_EQ(broken_yaml.status, 400) << broken_yaml.body;
  EXPECT_GT(nlohmann::json::parse(broken_yaml.body)["errors"][0]["line"].get<int>(), 0);

  const auto unknown_plugin = http_request(
      port, "POST", "/pipelines", R"({"pipeline":"j","source":{"type":"generatr"},"sinks":[{"type":"stdout"}]})");
  ASSERT_EQ(unknown_plugin.status, 400) << unknown_plugin.body;
  EXPECT_NE(unknown_plugin.body.find("generator"), std::string::npos) << unknown_plugin.body;  // did you mean

  const auto two = http_request(port, "POST", "/pipelines",
                                counter_yaml + "---\n" + counter_yaml.substr(0, 10) + "2" + counter_yaml.substr(18));
  EXPECT_EQ(two.status, 400) << two.body;
  EXPECT_TRUE(flowmind_->pipeline("bad").is_null());
}

TEST_F(CliPipelinesApi, DefinitionsNeverShowEnvironmentValuesOrLiteralSecrets) {
  const int port = flowmind_->admin();
  const auto shown = http_get(port, "/pipelines/from-file");
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(shown.body.find("tok-do-not-show-42"), std::string::npos) << shown.body;
  EXPECT_EQ(nlohmann::json::parse(shown.body)["definition"]["source"]["token"], "${FM_TEST_UW_TOKEN}");
  EXPECT_EQ(http_get(port, "/pipelines").body.find("tok-do-not-show-42"), std::string::npos);

  const auto created = http_request(port, "POST", "/pipelines",
                                    "pipeline: literal\nsource:\n  type: uw_websocket\n  url: ws://127.0.0.1:9/socket\n"
                                    "  token: literal-secret-77\n  channels: [news]\n  reconnect_initial: 1s\n"
                                    "sinks: [{type: stdout}]\n");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto literal = http_get(port, "/pipelines/literal");
  EXPECT_EQ(literal.body.find("literal-secret-77"), std::string::npos) << literal.body;
  EXPECT_EQ(nlohmann::json::parse(literal.body)["definition"]["source"]["token"], "<redacted>");
}

TEST_F(CliPipelinesApi, WebPagesAreRefused) {
  const int port = flowmind_->admin();
  // A cross-site form POST from a page the operator opened: refused, nothing created.
  const auto forged = request_with_headers(port, "POST", "/pipelines", counter_yaml,
                                           {{"Origin", "http://evil.example"}, {"Content-Type", "text/plain"}});
  EXPECT_EQ(forged.status, 403) << forged.body;
  EXPECT_NE(forged.body.find("Origin"), std::string::npos) << forged.body;
  EXPECT_EQ(http_get(port, "/pipelines/api-made").status, 404);
  // A DNS name rebound to 127.0.0.1: the browser names the site in Host.
  const auto rebound =
      request_with_headers(port, "GET", "/pipelines", "", {{"Host", "evil.example:" + std::to_string(port)}});
  EXPECT_EQ(rebound.status, 403) << rebound.body;
  const auto rebound_tap =
      request_with_headers(port, "GET", "/pipelines/from-file/tap?limit=1", "", {{"Host", "evil.example"}});
  EXPECT_EQ(rebound_tap.status, 403) << rebound_tap.body;
  // Tools name this machine.
  EXPECT_EQ(request_with_headers(port, "GET", "/health", "", {{"Host", "localhost:" + std::to_string(port)}}).status,
            200);
  EXPECT_EQ(request_with_headers(port, "GET", "/health", "", {{"Host", "[::1]:" + std::to_string(port)}}).status, 200);
  EXPECT_EQ(request_with_headers(port, "POST", "/pipelines", counter_yaml, {}).status, 201);
}

TEST_F(CliPipelinesApi, BodiesAboveTheLimitAre413) {
  // Refused on its announced length, before any of it is read.
  const auto huge = request_with_headers(flowmind_->admin(), "POST", "/pipelines", "", {{"Content-Length", "2097152"}});
  EXPECT_EQ(huge.status, 413) << huge.body;
  EXPECT_TRUE(flowmind_->pipeline("api-made").is_null());
  EXPECT_EQ(http_get(flowmind_->admin(), "/health").status, 200);
}

TEST(CliPipelinesApiAuth, OffLoopbackChangesNeedTheAdminToken) {
  TempDir dir;
  const auto file = dir.write("p.yaml", counter_yaml);
  const auto token_file = dir.write("admin-token", "s3cret-admin-token\n");
  FlowmindRun flowmind(dir, {file},
                       {.extra_args = {"--admin-token-file", token_file.string()}, .listen_host = "0.0.0.0"});
  ASSERT_TRUE(flowmind.wait_ready()) << flowmind.log();
  const int port = flowmind.admin();
  const auto body = "pipeline: second\n" + counter_yaml.substr(19);
  EXPECT_EQ(request_with_headers(port, "POST", "/pipelines", body, {}).status, 401);
  EXPECT_EQ(request_with_headers(port, "POST", "/pipelines", body, {{"Authorization", "Bearer wrong"}}).status, 403);
  EXPECT_EQ(request_with_headers(port, "POST", "/reload", "", {}).status, 401);
  EXPECT_EQ(request_with_headers(port, "DELETE", "/pipelines/api-made", "", {}).status, 401);
  EXPECT_EQ(request_with_headers(port, "PUT", "/pipelines/api-made", counter_yaml, {}).status, 401);
  EXPECT_EQ(request_with_headers(port, "POST", "/pipelines/api-made/restart", "", {}).status, 401);
  EXPECT_EQ(
      request_with_headers(port, "POST", "/pipelines/api-made/restart", "", {{"Authorization", "Bearer wrong"}}).status,
      403);
  EXPECT_FALSE(flowmind.pipeline("api-made").is_null());
  EXPECT_EQ(flowmind.reload_status()["reloads"], 0);
  // Reading needs no token.
  EXPECT_EQ(http_get(port, "/pipelines/api-made").status, 200);
  const auto created =
      request_with_headers(port, "POST", "/pipelines", body, {{"Authorization", "Bearer s3cret-admin-token"}});
  EXPECT_EQ(created.status, 201) << created.body;
  const std::map<std::string, std::string> authorized{{"Authorization", "Bearer s3cret-admin-token"}};
  EXPECT_EQ(request_with_headers(port, "POST", "/pipelines/second/restart", "", authorized).status, 200);
  EXPECT_EQ(request_with_headers(port, "DELETE", "/pipelines/second", "", authorized).status, 200);
  EXPECT_TRUE(flowmind.pipeline("second").is_null());
  EXPECT_EQ(flowmind.log().find("s3cret-admin-token"), std::string::npos);
  EXPECT_EQ(flowmind.stop(), 0) << flowmind.log();
}

TEST(CliPipelinesApiAuth, OffLoopbackWithoutATokenChangesAreRefused) {
  TempDir dir;
  const auto file = dir.write("p.yaml", counter_yaml);
  FlowmindRun flowmind(dir, {file}, {.listen_host = "0.0.0.0"});
  ASSERT_TRUE(flowmind.wait_ready()) << flowmind.log();
  const auto refused = http_request(flowmind.admin(), "POST", "/reload");
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_NE(refused.body.find("--admin-token-file"), std::string::npos) << refused.body;
  EXPECT_EQ(http_request(flowmind.admin(), "DELETE", "/pipelines/api-made").status, 403);
  EXPECT_EQ(http_get(flowmind.admin(), "/pipelines").status, 200);
  EXPECT_EQ(flowmind.stop(), 0) << flowmind.log();
}

// A tap follows one instance: replacing the pipeline ends the stream (exit 0) after the events of
// the old instance, and a new tap sees the new instance's events.
TEST(CliTap, ReplacingThePipelineEndsTheTap) {
  TempDir dir;
  const auto file = dir.write("anchor.yaml", counter_yaml);  // flowmind run needs one pipeline to start
  FlowmindRun flowmind(dir, {file});
  ASSERT_TRUE(flowmind.wait_ready()) << flowmind.log();
  const int port = flowmind.admin();
  const auto admin = "127.0.0.1:" + std::to_string(port);
  const auto old_yaml =
      "pipeline: swapped\nsource: {type: generator, shape: counter, rate: 50, channel: old}\nsinks: [{type: stdout}]\n";
  const auto new_yaml =
      "pipeline: swapped\nsource: {type: generator, shape: counter, rate: 50, channel: new}\nsinks: [{type: stdout}]\n";
  ASSERT_EQ(http_request(port, "POST", "/pipelines", old_yaml).status, 201);
  ChildProcess tap({flowmind_executable().string(), "tap", "swapped", "--admin", admin}, dir.path() / "tap.out",
                   dir.path() / "tap.err");
  ASSERT_TRUE(wait_until([&] { return lines_of(read_file(dir.path() / "tap.out")).size() >= 5; }, patience))
      << read_file(dir.path() / "tap.err");
  ASSERT_EQ(http_request(port, "PUT", "/pipelines/swapped", new_yaml).status, 200);
  const auto exit_code = tap.wait(patience);
  ASSERT_TRUE(exit_code.has_value()) << "the tap kept running after its pipeline was replaced";
  EXPECT_EQ(*exit_code, 0) << read_file(dir.path() / "tap.err");
  for (const auto& line : lines_of(read_file(dir.path() / "tap.out"))) {
    EXPECT_EQ(nlohmann::json::parse(line)["channel"], "old") << line;
  }
  const auto after =
      run_process({flowmind_executable().string(), "tap", "swapped", "--limit", "3", "--admin", admin}, 60s);
  ASSERT_EQ(after.exit_code, 0) << after.err;
  const auto fresh = lines_of(after.out);
  ASSERT_EQ(fresh.size(), 3U);
  for (const auto& line : fresh) EXPECT_EQ(nlohmann::json::parse(line)["channel"], "new") << line;
  EXPECT_EQ(flowmind.stop(), 0) << flowmind.log();
}

TEST(CliTap, EventsSeenAtAStageAreThatStagesOutput) {
  TempDir dir;
  const auto file = dir.write("tapped.yaml", R"(pipeline: tapped
source: {type: generator, shape: flow-alerts, rate: 200, seed: 7}
filters:
  - type: match
    conditions:
      - {field: ticker, op: in, value: [SPY, QQQ, NVDA]}
sinks: [{type: stdout}]
)");
  FlowmindRun flowmind(dir, {file});
  ASSERT_TRUE(flowmind.wait_ready()) << flowmind.log();
  const auto admin = "127.0.0.1:" + std::to_string(flowmind.admin());
  const auto after_filter = run_process(
      {flowmind_executable().string(), "tap", "tapped", "--stage", "1", "--limit", "30", "--admin", admin}, 120s);
  ASSERT_EQ(after_filter.exit_code, 0) << after_filter.err;
  const auto at_source =
      run_process({flowmind_executable().string(), "tap", "tapped", "--limit", "40", "--admin", admin}, 120s);
  ASSERT_EQ(at_source.exit_code, 0) << at_source.err;
  const auto no_stage =
      run_process({flowmind_executable().string(), "tap", "tapped", "--stage", "5", "--admin", admin}, 60s);
  EXPECT_EQ(no_stage.exit_code, 1);
  EXPECT_NE(no_stage.err.find("no stage 5"), std::string::npos) << no_stage.err;
  const auto no_pipeline = run_process({flowmind_executable().string(), "tap", "nope", "--admin", admin}, 60s);
  EXPECT_EQ(no_pipeline.exit_code, 1);
  const auto tap_status = nlohmann::json::parse(http_get(flowmind.admin(), "/pipelines/tapped").body)["taps"];
  EXPECT_EQ(flowmind.stop(), 0) << flowmind.log();

  // After the filter: 30 lines, each exactly a line the sink printed, in the sink's order.
  const auto tapped = lines_of(after_filter.out);
  ASSERT_EQ(tapped.size(), 30U);
  const auto printed = lines_of(flowmind.out());
  auto start = std::find(printed.begin(), printed.end(), tapped.front());
  ASSERT_NE(start, printed.end()) << tapped.front();
  for (std::size_t i = 0; i < tapped.size(); ++i) {
    ASSERT_LT(static_cast<std::size_t>(start - printed.begin()) + i, printed.size());
    EXPECT_EQ(tapped[i], *(start + static_cast<std::ptrdiff_t>(i)));
  }
  // At the source: every ticker, each a flow alert envelope.
  const auto raw = lines_of(at_source.out);
  ASSERT_EQ(raw.size(), 40U);
  std::set<std::string> tickers;
  for (const auto& line : raw) {
    const auto event = nlohmann::json::parse(line);
    EXPECT_EQ(event["channel"], "flow-alerts");
    tickers.insert(event["data"]["ticker"].get<std::string>());
  }
  EXPECT_GT(tickers.size(), 3U);
  EXPECT_EQ(tap_status["attached"], 0);
}

}  // namespace
}  // namespace flowmind::testing
