// The uw_rest source against uw-sim over real sockets: dedupe, restart, 429/500, 401, shared budget, TLS.
#include <set>

#include <gtest/gtest.h>

#include "flowmind/plugin.hpp"
#include "running_source.hpp"
#include "test_support.hpp"
#include "uw_rest_options.hpp"
#include "uw_sim_process.hpp"

namespace flowmind::uw_rest {
namespace {

using namespace std::chrono_literals;
using flowmind::testing::TempDir;
using flowmind::testing::UwSimProcess;
using flowmind::testing::wait_until;
using testing::RunningSource;

// Each test has its own token: budgets are per token and live as long as the process.
std::string token_for(const std::string& test) { return "sim-test-token-" + test; }

Config config_for(const std::string& base_url, const std::string& test, const std::string& path,
                  nlohmann::json extra = {}) {
  nlohmann::json values = {{"base_url", base_url},      {"path", path},        {"token", token_for(test)},
                           {"channel", "test-channel"}, {"interval", "200ms"}, {"backoff_initial", "50ms"},
                           {"backoff_max", "100ms"}};
  if (extra.is_object()) values.update(extra);
  return testing::with_defaults(uw_rest_schema(), values);
}

// The REST requests the simulator saw (path, status, at_ms), optionally only for one path.
std::vector<nlohmann::json> rest_requests(UwSimProcess& sim, const std::string& path = {}) {
  std::vector<nlohmann::json> out;
  const auto log = sim.log();  // named: a range-for over a member of a temporary would dangle
  for (const auto& request : log["rest_requests"]) {
    if (path.empty() || request["path"] == path) out.push_back(request);
  }
  return out;
}

std::string tracking(const nlohmann::json& record) { return record["tracking_id"].dump(); }

UwSimProcess::Options plain(std::vector<std::string> args = {}) {
  UwSimProcess::Options options;
  options.extra_args = std::move(args);
  return options;
}

TEST(UwRestSim, NewRecordsAreEmittedOnceAcrossOverlappingPolls) {
  UwSimProcess sim(plain({"--rate", "darkpool=20"}));
  RunningSource running(config_for(sim.http_url(), "overlap", "/api/darkpool/recent", {{"query", {{"limit", 50}}}}));
  ASSERT_TRUE(wait_until(
      [&] { return rest_requests(sim, "/api/darkpool/recent").size() >= 6 && running.ctx().size() > 50; }, 60s))
      << sim.stderr_text();
  running.stop();

  const auto payloads = running.ctx().payloads();
  std::set<std::string> ids;
  for (const auto& record : payloads) {
    EXPECT_TRUE(ids.insert(tracking(record)).second) << "emitted twice: " << record.dump();
  }
  // Oldest first, also across polls.
  for (std::size_t i = 1; i < payloads.size(); ++i) {
    EXPECT_LE(payloads[i - 1]["executed_at"].get<std::string>(), payloads[i]["executed_at"].get<std::string>()) << i;
  }
  const auto status = running.status();
  EXPECT_EQ(status["records_emitted"], payloads.size());
  EXPECT_GT(status["duplicates"].get<int>(), 0) << "the polls did not overlap";
  EXPECT_EQ(status["records_seen"], status["records_emitted"].get<int>() + status["duplicates"].get<int>());
  EXPECT_EQ(running.ctx().channels().front(), "test-channel");
}

TEST(UwRestSim, CongressTradesAreKeyedByTheirDefaultFields) {
  UwSimProcess sim(plain({"--rate", "congress=10"}));
  RunningSource running(config_for(sim.http_url(), "congress", "/api/congress/recent-trades",
                                   {{"query", {{"limit", 20}}}, {"channel", "congress-trades"}}));
  ASSERT_TRUE(wait_until([&] { return rest_requests(sim).size() >= 5 && running.ctx().size() > 20; }, 60s))
      << sim.stderr_text();
  running.stop();
  std::set<std::string> keys;
  for (const auto& trade : running.ctx().payloads()) {
    ASSERT_TRUE(trade.contains("politician_id")) << trade.dump();
    const auto key = trade["politician_id"].dump() + trade["ticker"].dump() + trade["transaction_date"].dump() +
                     trade["txn_type"].dump() + trade["amounts"].dump();
    EXPECT_TRUE(keys.insert(key).second) << "emitted twice: " << trade.dump();
  }
  EXPECT_EQ(running.ctx().channels().back(), "congress-trades");
  EXPECT_GT(running.status()["duplicates"].get<int>(), 0);
}

TEST(UwRestSim, AStateFileKeepsRecordsFromBeingEmittedAgainAfterARestart) {
  // No new records: every poll returns the same backlog page.
  UwSimProcess sim(plain({"--rate", "darkpool=0"}));
  TempDir dir;
  const auto state = (dir.path() / "darkpool.state.json").string();
  const auto config = [&](bool with_state) {
    nlohmann::json extra = {{"query", {{"limit", 30}}}};
    if (with_state) extra["state_file"] = state;
    return config_for(sim.http_url(), "restart", "/api/darkpool/recent", extra);
  };
  std::set<std::string> first_ids;
  {
    RunningSource first(config(true));
    ASSERT_TRUE(wait_until([&] { return first.status()["dedupe"]["state_saves"] == 1; }, 60s)) << sim.stderr_text();
    first.stop();
    ASSERT_EQ(first.ctx().size(), 30U);
    for (const auto& record : first.ctx().payloads()) first_ids.insert(tracking(record));
  }
  ASSERT_TRUE(std::filesystem::exists(state));
  {
    RunningSource second(config(true));
    ASSERT_TRUE(wait_until([&] { return second.status()["polls"].get<int>() >= 3; }, 60s));
    second.stop();
    EXPECT_EQ(second.ctx().size(), 0U) << "emitted again after the restart";
    EXPECT_GE(second.status()["duplicates"].get<int>(), 30);
    EXPECT_EQ(second.status()["dedupe"]["seen_keys"], 30);
    EXPECT_NE(second.ctx().log_text().find("remembering 30 record(s)"), std::string::npos) << second.ctx().log_text();
  }
  {
    // Without the state file the same restart emits the page again.
    RunningSource forgetful(config(false));
    ASSERT_TRUE(wait_until([&] { return forgetful.ctx().size() == 30; }, 60s));
    forgetful.stop();
    for (const auto& record : forgetful.ctx().payloads()) EXPECT_TRUE(first_ids.contains(tracking(record)));
  }
}

TEST(UwRestSim, TooManyRequestsWaitsForRetryAfter) {
  UwSimProcess sim(plain());
  sim.fault({{"fault", "rest_429"}, {"retry_after", 2}, {"count", 1}});
  RunningSource running(config_for(sim.http_url(), "retry", "/api/darkpool/recent", {{"query", {{"limit", 5}}}}));
  ASSERT_TRUE(wait_until([&] { return running.ctx().size() >= 5; }, 60s)) << sim.stderr_text();
  running.stop();
  const auto requests = rest_requests(sim);
  ASSERT_GE(requests.size(), 2U);
  EXPECT_EQ(requests[0]["status"], 429);
  EXPECT_EQ(requests[1]["status"], 200);
  // backoff_initial is 50 ms: only Retry-After explains a gap of two seconds.
  EXPECT_GE(requests[1]["at_ms"].get<std::int64_t>() - requests[0]["at_ms"].get<std::int64_t>(), 2000)
      << nlohmann::json(requests).dump();
  const auto status = running.status();
  EXPECT_EQ(status["requests"]["429"], 1);
  EXPECT_EQ(status["backoff"]["attempts"], 0) << "a success resets the backoff";
}

TEST(UwRestSim, ServerErrorsBackOffExponentially) {
  UwSimProcess sim(plain());
  sim.fault({{"fault", "rest_500"}, {"count", 3}});
  RunningSource running(config_for(
      sim.http_url(), "backoff", "/api/darkpool/recent",
      {{"query", {{"limit", 5}}}, {"interval", "50ms"}, {"backoff_initial", "400ms"}, {"backoff_max", "10s"}}));
  ASSERT_TRUE(wait_until([&] { return running.ctx().size() >= 5; }, 60s)) << sim.stderr_text();
  const auto backing_off = running.status();
  running.stop();
  const auto requests = rest_requests(sim);
  ASSERT_GE(requests.size(), 4U);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(requests[i]["status"], 500);
  EXPECT_EQ(requests[3]["status"], 200);
  // 400 ms doubling, each shortened by at most 20 % jitter: at least 320, 640 and 1280 ms.
  const auto gap = [&](int i) {
    return requests[i + 1]["at_ms"].get<std::int64_t>() - requests[i]["at_ms"].get<std::int64_t>();
  };
  EXPECT_GE(gap(0), 320);
  EXPECT_GE(gap(1), 640);
  EXPECT_GE(gap(2), 1280);
  EXPECT_EQ(backing_off["requests"]["500"], 3);
  EXPECT_GE(backing_off["errors"].get<int>(), 3);
  EXPECT_NE(running.ctx().log_text().find("answered HTTP 500 (server error)"), std::string::npos);
}

TEST(UwRestSim, UnauthorizedIsFatalWithExactlyOneRequest) {
  UwSimProcess sim(plain({"--token", "the-only-good-token"}));
  RunningSource running(config_for(sim.http_url(), "unauthorized", "/api/congress/recent-trades"));
  ASSERT_TRUE(wait_until([&] { return running.finished(); }, 60s));
  ASSERT_TRUE(running.error());
  std::string message;
  try {
    std::rethrow_exception(running.error());
  } catch (const FatalSourceError& error) {
    message = error.what();
  }
  EXPECT_NE(message.find("401"), std::string::npos) << message;
  EXPECT_NE(message.find("UW_API_TOKEN"), std::string::npos) << message;
  EXPECT_EQ(message.find(token_for("unauthorized")), std::string::npos) << message;
  const auto requests = rest_requests(sim);
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0]["status"], 401);
}

TEST(UwRestSim, PipelinesWithOneTokenShareItsBudget) {
  UwSimProcess sim(plain());
  const auto shared = [&](const std::string& path) {
    return config_for(sim.http_url(), "shared", path, {{"budget_per_minute", 3}, {"interval", "100ms"}});
  };
  RunningSource congress(shared("/api/congress/recent-trades"));
  RunningSource darkpool(shared("/api/darkpool/recent"));
  // Another token has a budget of its own.
  RunningSource other(config_for(sim.http_url(), "other", "/api/congress/late-reports",
                                 {{"budget_per_minute", 3}, {"interval", "100ms"}}));
  ASSERT_TRUE(wait_until(
      [&] {
        return congress.status()["state"] == "waiting_for_budget" && darkpool.status()["state"] == "waiting_for_budget";
      },
      60s));
  ASSERT_TRUE(wait_until([&] { return rest_requests(sim, "/api/congress/late-reports").size() == 3; }, 60s));
  // Both keep asking for a while; the simulator must see no more than the shared budget.
  ASSERT_FALSE(wait_until(
      [&] {
        return rest_requests(sim, "/api/congress/recent-trades").size() +
                   rest_requests(sim, "/api/darkpool/recent").size() >
               3;
      },
      2s));
  EXPECT_EQ(congress.status()["budget"]["remaining_minute"], 0);
  EXPECT_TRUE(darkpool.status()["budget"]["waiting_until"].is_string());
  for (const auto& request : rest_requests(sim)) EXPECT_EQ(request["status"], 200);
  congress.stop();
  darkpool.stop();
  other.stop();
  EXPECT_EQ(
      rest_requests(sim, "/api/congress/recent-trades").size() + rest_requests(sim, "/api/darkpool/recent").size(), 3U);
}

TEST(UwRestSim, HttpsWithTheSimulatorsCaAndRefusedWithAnotherCa) {
  UwSimProcess::Options options;
  options.tls = true;
  UwSimProcess sim(options);
  {
    RunningSource trusted(
        config_for(sim.https_url(), "tls", "/api/darkpool/recent",
                   {{"query", {{"limit", 5}}}, {"interval", "60s"}, {"ca_file", sim.ca_file().string()}}));
    ASSERT_TRUE(wait_until([&] { return trusted.ctx().size() == 5; }, 60s))
        << trusted.status().dump() << sim.stderr_text();
    trusted.stop();
  }
  ASSERT_EQ(rest_requests(sim).size(), 1U);
  {
    // A CA bundle that does not hold the simulator's CA: no request ever reaches the API.
    TempDir dir;
    const auto other_ca = dir.write("other-ca.pem", flowmind::testing::read_file("/etc/ssl/certs/ca-certificates.crt"));
    RunningSource untrusted(config_for(sim.https_url(), "tls-wrong", "/api/darkpool/recent",
                                       {{"query", {{"limit", 5}}}, {"ca_file", other_ca.string()}}));
    ASSERT_TRUE(wait_until([&] { return untrusted.status()["errors"].get<int>() >= 2; }, 60s));
    untrusted.stop();
    const auto status = untrusted.status();
    EXPECT_EQ(untrusted.ctx().size(), 0U);
    EXPECT_GE(status["requests"]["error"].get<int>(), 2);
    EXPECT_NE(status["last_error"].get<std::string>().find("certificate verify failed"), std::string::npos)
        << status.dump();
  }
  EXPECT_EQ(rest_requests(sim).size(), 1U);
}

}  // namespace
}  // namespace flowmind::uw_rest
