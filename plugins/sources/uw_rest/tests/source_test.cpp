// The poll loop against a real local HTTP server scripted with answers uw-sim does not give.
#include <ctime>

#include <gtest/gtest.h>

#include "canned_http_server.hpp"
#include "flowmind/plugin.hpp"
#include "running_source.hpp"
#include "test_support.hpp"
#include "uw_rest_options.hpp"

namespace flowmind::uw_rest {
namespace {

using namespace std::chrono_literals;
using flowmind::testing::wait_until;
using testing::CannedHttpServer;
using testing::RunningSource;

const std::string secret = "canned-secret-token-4711";

Config config_for(const CannedHttpServer& server, const std::string& test, nlohmann::json extra = {}) {
  nlohmann::json values = {
      {"base_url", server.url()}, {"path", "/api/things"}, {"token", secret + "-" + test},  // one budget per test
      {"channel", "things"},      {"interval", "100ms"},   {"backoff_initial", "10ms"},    {"backoff_max", "50ms"}};
  if (extra.is_object()) values.update(extra);
  return testing::with_defaults(uw_rest_schema(), values);
}

std::string ok(const std::string& body) { return CannedHttpServer::response(200, body); }

TEST(UwRestSource, SendsBearerAndAcceptAndEmitsEachRecordOnceOldestFirst) {
  CannedHttpServer server({ok(R"({"data":[{"id":3,"v":"c"},{"id":2,"v":"b"},{"id":1,"v":"a"}]})"),
                           ok(R"({"data":[{"id":4,"v":"d"},{"id":3,"v":"c"},{"id":2,"v":"b"}]})")});
  RunningSource running(config_for(server, "order", {{"key_fields", {"id"}}, {"query", {{"limit", 3}}}}));
  ASSERT_TRUE(wait_until([&] { return server.requests().size() >= 4; }, 30s));
  running.stop();

  const auto payloads = running.ctx().payloads();
  ASSERT_EQ(payloads.size(), 4U);
  for (std::size_t i = 0; i < payloads.size(); ++i) EXPECT_EQ(payloads[i]["id"], i + 1);
  EXPECT_EQ(running.ctx().channels()[0], "things");

  const auto head = server.requests()[0];
  EXPECT_EQ(head.rfind("GET /api/things?limit=3 HTTP/1.1\r\n", 0), 0U) << head;
  EXPECT_NE(head.find("Authorization: Bearer " + secret + "-order\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("Accept: application/json\r\n"), std::string::npos) << head;

  const auto status = running.status();
  EXPECT_EQ(status["records_emitted"], 4);
  EXPECT_GE(status["duplicates"].get<int>(), 2 + 3 * 2);
  EXPECT_EQ(status["last_status"], 200);
  EXPECT_EQ(status["state"], "stopped");
  EXPECT_GE(status["requests"]["200"].get<int>(), 4);
  EXPECT_EQ(status["url"], server.url() + "/api/things?limit=3");
  EXPECT_EQ(status.dump().find(secret), std::string::npos) << status.dump();
  EXPECT_EQ(running.ctx().log_text().find(secret), std::string::npos) << running.ctx().log_text();

  // The metrics the engine exports from the status.
  std::map<std::string, nlohmann::json> metrics;
  for (const auto& metric : status["metrics"]) {
    metrics[metric["name"].get<std::string>() + metric["labels"].dump()] = metric;
  }
  EXPECT_EQ(metrics.at("uw_rest_records_total{}")["value"], 4);
  EXPECT_EQ(metrics.at("uw_rest_records_total{}")["type"], "counter");
  EXPECT_EQ(metrics.at(R"(uw_rest_requests_total{"status":"200"})")["value"], status["requests"]["200"]);
  EXPECT_EQ(metrics.at("uw_rest_duplicates_total{}")["value"], status["duplicates"]);
  EXPECT_EQ(metrics.at(R"(uw_rest_budget_remaining{"window":"minute"})")["type"], "gauge");
  EXPECT_EQ(metrics.at(R"(uw_rest_budget_remaining{"window":"minute"})")["value"],
            status["budget"]["remaining_minute"]);
}

TEST(UwRestSource, BadBodiesAreCountedAndLoggedWithoutTheToken) {
  const std::string token = secret + "-bad";
  CannedHttpServer server({ok(R"({"error":"token )" + token + R"( is odd"})"), ok("<html>not json</html>"),
                           ok(R"({"data":[17,{"id":1}]})")});
  RunningSource running(config_for(server, "bad"));
  ASSERT_TRUE(wait_until([&] { return running.ctx().size() == 1; }, 30s));
  running.stop();
  const auto status = running.status();
  EXPECT_EQ(status["bad_responses"], 2);
  EXPECT_EQ(status["bad_records"], 1);
  EXPECT_GE(status["errors"].get<int>(), 2);
  const auto log = running.ctx().log_text();
  EXPECT_NE(log.find("not {\"data\":[...]}"), std::string::npos) << log;
  EXPECT_NE(log.find("is odd"), std::string::npos) << log;
  EXPECT_EQ(log.find(token), std::string::npos) << log;
  EXPECT_EQ(status.dump().find(token), std::string::npos) << status.dump();
}

TEST(UwRestSource, ForbiddenIsFatalAfterOneRequest) {
  CannedHttpServer server({CannedHttpServer::response(403, R"({"error":"plan"})")});
  RunningSource running(config_for(server, "forbidden"));
  ASSERT_TRUE(wait_until([&] { return running.finished(); }, 30s));
  ASSERT_TRUE(running.error());
  try {
    std::rethrow_exception(running.error());
  } catch (const FatalSourceError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("403"), std::string::npos) << message;
    EXPECT_EQ(message.find(secret), std::string::npos) << message;
  }
  EXPECT_EQ(server.requests().size(), 1U);
  EXPECT_EQ(running.status()["state"], "failed");
}

TEST(UwRestSource, RetryAfterAsAnHttpDateIsHonoured) {
  // Three seconds ahead, truncated to the second: the retry is due 2 to 3 s after the 429.
  const std::time_t due = std::time(nullptr) + 3;
  std::tm utc{};
  gmtime_r(&due, &utc);
  char date[64];
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  CannedHttpServer server({CannedHttpServer::response(429, "{}", std::string("Retry-After: ") + date + "\r\n"),
                           ok(R"({"data":[{"id":1}]})")});
  const auto started = std::chrono::system_clock::now();
  RunningSource running(config_for(server, "date"));
  ASSERT_TRUE(wait_until([&] { return running.ctx().size() == 1; }, 30s));
  EXPECT_GE(std::chrono::system_clock::now(), std::chrono::system_clock::from_time_t(due) - 1s);
  running.stop();
  EXPECT_EQ(running.status()["requests"]["429"], 1);
  EXPECT_LT(started, std::chrono::system_clock::from_time_t(due));
}

TEST(UwRestSource, StopInterruptsARequestInProgress) {
  CannedHttpServer hung({});
  RunningSource running(config_for(hung, "hung", {{"timeout", "10m"}}));
  ASSERT_TRUE(wait_until([&] { return hung.connections() == 1; }, 30s));
  EXPECT_EQ(running.status()["state"], "requesting");
  running.ctx().request_stop();
  // Without the interruption run() would wait for the 10-minute timeout.
  EXPECT_TRUE(wait_until([&] { return running.finished(); }, 30s));
  running.stop();
  EXPECT_FALSE(running.error());
}

TEST(UwRestSource, ATimeoutIsAnErrorAndRetried) {
  CannedHttpServer hung({});
  RunningSource running(config_for(hung, "timeout", {{"timeout", "200ms"}}));
  ASSERT_TRUE(wait_until([&] { return hung.connections() >= 2; }, 30s));
  running.stop();
  const auto status = running.status();
  EXPECT_GE(status["requests"]["error"].get<int>(), 1);
  EXPECT_NE(status["last_error"].get<std::string>().find("within the timeout"), std::string::npos) << status.dump();
}

TEST(UwRestSource, AnOversizedBodyIsRefused) {
  CannedHttpServer server({ok(R"({"data":[{"x":")" + std::string(4000, 'x') + R"("}]})")});
  RunningSource running(config_for(server, "large", {{"max_response", "1KiB"}}));
  ASSERT_TRUE(wait_until([&] { return server.requests().size() >= 2; }, 30s));
  running.stop();
  EXPECT_EQ(running.ctx().size(), 0U);
  EXPECT_NE(running.status()["last_error"].get<std::string>().find("larger than 1024 bytes"), std::string::npos);
}

TEST(UwRestSource, AnExhaustedBudgetWaitsAndSaysSo) {
  CannedHttpServer server({ok(R"({"data":[]})")});
  RunningSource running(config_for(server, "budget", {{"budget_per_minute", 2}, {"interval", "100ms"}}));
  ASSERT_TRUE(wait_until([&] { return running.status()["state"] == "waiting_for_budget"; }, 30s));
  const auto status = running.status();
  EXPECT_EQ(status["budget"]["remaining_minute"], 0);
  EXPECT_EQ(status["budget"]["per_minute"], 2);
  EXPECT_TRUE(status["budget"]["waiting_until"].is_string()) << status.dump();
  running.stop();
  EXPECT_EQ(server.requests().size(), 2U);
  EXPECT_NE(running.ctx().log_text().find("budget of the token used up"), std::string::npos);
}

TEST(UwRestSource, CreationRefusesAMissingStateFolderAndUnusableCaFile) {
  CannedHttpServer server({ok(R"({"data":[]})")});
  EXPECT_THROW(UwRestSource(config_for(server, "folder", {{"state_file", "/nonexistent/dir/state.json"}})),
               PluginError);
  EXPECT_THROW(
      UwRestSource(config_for(server, "ca", {{"base_url", "https://127.0.0.1:1"}, {"ca_file", "/nonexistent/ca.pem"}})),
      PluginError);
}

}  // namespace
}  // namespace flowmind::uw_rest
