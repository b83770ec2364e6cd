// uw-sim REST endpoints: record shapes, limits, filters, overlapping polls, auth and the request budget.
#include <gtest/gtest.h>

#include <ctime>
#include <regex>
#include <set>

#include "test_support.hpp"
#include "uw_sim_process.hpp"
#include "ws_test_client.hpp"

namespace flowmind::uwsim::testing {
namespace {

using flowmind::testing::http_request;
using flowmind::testing::UwSimProcess;
using flowmind::testing::wait_until;
using nlohmann::json;
using namespace std::chrono_literals;

json get_data(const UwSimProcess& sim, const std::string& target) {
  const auto response = http_request(sim.port(), "GET", target);
  EXPECT_EQ(response.status, 200) << target << ": " << response.body;
  const auto body = json::parse(response.body);
  EXPECT_TRUE(body.contains("data") && body["data"].is_array()) << response.body;
  return body["data"];
}

long days_between(const std::string& from, const std::string& to) {
  auto days = [](const std::string& date) {
    std::tm tm{};
    tm.tm_year = std::stoi(date.substr(0, 4)) - 1900;
    tm.tm_mon = std::stoi(date.substr(5, 2)) - 1;
    tm.tm_mday = std::stoi(date.substr(8, 2));
    return static_cast<long>(timegm(&tm) / 86400);
  };
  return days(to) - days(from);
}

TEST(UwSimRest, CongressTradesHaveUwFieldsAndIncludeLateFilings) {
  UwSimProcess sim;
  const auto data = get_data(sim, "/api/congress/recent-trades?token=t");
  ASSERT_EQ(data.size(), 100u);  // the default limit
  const std::regex date(R"(\d{4}-\d{2}-\d{2})");
  const std::regex amount(R"(\$[\d,]+ - \$[\d,]+)");
  int late = 0;
  std::set<std::string> types;
  std::set<std::string> chambers;
  std::string previous_filed = "9999-99-99";
  for (const auto& record : data) {
    for (const char* field : {"name", "reporter", "member_type", "ticker", "txn_type", "amounts", "transaction_date",
                              "filed_at_date", "issuer", "notes", "politician_id"}) {
      ASSERT_TRUE(record.contains(field) && record[field].is_string()) << field << " in " << record.dump();
    }
    EXPECT_FALSE(record.contains("party"));
    EXPECT_TRUE(std::regex_match(record["filed_at_date"].get<std::string>(), date));
    EXPECT_TRUE(std::regex_match(record["transaction_date"].get<std::string>(), date));
    EXPECT_TRUE(std::regex_match(record["amounts"].get<std::string>(), amount)) << record["amounts"];
    const auto delay = days_between(record["transaction_date"], record["filed_at_date"]);
    EXPECT_GE(delay, 1);
    late += delay > 45 ? 1 : 0;
    types.insert(record["txn_type"].get<std::string>());
    chambers.insert(record["member_type"].get<std::string>());
    EXPECT_LE(record["filed_at_date"].get<std::string>(), previous_filed);  // newest first
    previous_filed = record["filed_at_date"].get<std::string>();
  }
  EXPECT_GT(late, 0);
  EXPECT_LT(late, 50);
  EXPECT_TRUE(types.contains("Buy") && types.contains("Sell"));
  EXPECT_EQ(chambers, (std::set<std::string>{"house", "senate"}));
  for (const auto& record : get_data(sim, "/api/congress/late-reports?limit=200&token=t")) {
    EXPECT_GT(days_between(record["transaction_date"], record["filed_at_date"]), 45);
  }
}

TEST(UwSimRest, LimitAndFilters) {
  UwSimProcess sim;
  EXPECT_EQ(get_data(sim, "/api/congress/recent-trades?limit=5&token=t").size(), 5u);
  EXPECT_EQ(get_data(sim, "/api/congress/recent-trades?limit=500&token=t").size(), 200u);
  EXPECT_EQ(get_data(sim, "/api/darkpool/recent?limit=500&token=t").size(), 200u);
  const auto spy = get_data(sim, "/api/congress/recent-trades?limit=200&ticker=SPY&token=t");
  for (const auto& record : spy) EXPECT_EQ(record["ticker"], "SPY");
  const auto all = get_data(sim, "/api/congress/recent-trades?limit=1&token=t");
  const auto day = all[0]["filed_at_date"].get<std::string>();
  const auto same_day = get_data(sim, "/api/congress/recent-trades?limit=200&date=" + day + "&token=t");
  ASSERT_FALSE(same_day.empty());
  for (const auto& record : same_day) EXPECT_EQ(record["filed_at_date"], day);
  EXPECT_EQ(http_request(sim.port(), "GET", "/api/congress/recent-trades?limit=abc&token=t").status, 422);
  EXPECT_EQ(http_request(sim.port(), "GET", "/api/nothing-here?token=t").status, 404);
}

TEST(UwSimRest, InjectedRecordsAreServedAsTheNewest) {
  // No generated records, so the injected ones stay the newest.
  UwSimProcess sim({.extra_args = {"--rate", "congress=0", "--rate", "darkpool=0"}});
  const json record = {{"ticker", "ZZZT"},
                       {"name", "Test Member"},
                       {"transaction_date", "2026-01-02"},
                       {"filed_at_date", "2026-03-30"},
                       {"txn_type", "Buy"},
                       {"amounts", "$1,001 - $15,000"}};
  const auto answer =
      http_request(sim.port(), "POST", "/_sim/rest", json{{"endpoint", "congress"}, {"record", record}}.dump());
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto newest = get_data(sim, "/api/congress/recent-trades?limit=1&token=t");
  ASSERT_EQ(newest.size(), 1u);
  EXPECT_EQ(newest[0], record);
  EXPECT_EQ(get_data(sim, "/api/congress/late-reports?limit=1&token=t").at(0), record);  // 87 days late

  const json print = {{"ticker", "ZZZT"}, {"size", 1000}, {"price", "1500.5"}};
  ASSERT_EQ(
      http_request(sim.port(), "POST", "/_sim/rest", json{{"endpoint", "darkpool"}, {"record", print}}.dump()).status,
      200);
  EXPECT_EQ(get_data(sim, "/api/darkpool/recent?limit=1&token=t").at(0), print);
  EXPECT_EQ(get_data(sim, "/api/darkpool/ZZZT?token=t").at(0), print);

  const auto refused = [&](const json& spec) { return http_request(sim.port(), "POST", "/_sim/rest", spec.dump()); };
  EXPECT_EQ(refused({{"endpoint", "news"}, {"record", record}}).status, 400);
  EXPECT_EQ(refused({{"endpoint", "congress"}, {"record", {{"ticker", "X"}}}}).status, 400);
  EXPECT_EQ(refused({{"endpoint", "congress"}, {"record", json::array()}}).status, 400);
  const auto bad_date =
      refused({{"endpoint", "congress"},
               {"record", {{"ticker", "X"}, {"transaction_date", "soon"}, {"filed_at_date", "2026-01-01"}}}});
  EXPECT_EQ(bad_date.status, 400);
  EXPECT_NE(bad_date.body.find("YYYY-MM-DD"), std::string::npos) << bad_date.body;
  EXPECT_EQ(refused({{"record", record}}).status, 400);
  EXPECT_EQ(http_request(sim.port(), "GET", "/_sim/rest").status, 405);
}

TEST(UwSimRest, DarkpoolRecordsMatchTheFixtureShape) {
  UwSimProcess sim;
  const auto data = get_data(sim, "/api/darkpool/recent?limit=200&token=t");
  ASSERT_EQ(data.size(), 200u);
  bool million = false;
  for (const auto& record : data) {
    for (const char* field :
         {"executed_at", "market_center", "nbbo_ask", "nbbo_bid", "premium", "price", "ticker", "trade_settlement"}) {
      ASSERT_TRUE(record.contains(field) && record[field].is_string()) << field << " in " << record.dump();
    }
    for (const char* field : {"size", "volume", "tracking_id", "nbbo_ask_quantity", "nbbo_bid_quantity"}) {
      ASSERT_TRUE(record.contains(field) && record[field].is_number_integer()) << field << " in " << record.dump();
    }
    const double price = std::stod(record["price"].get<std::string>());
    const double premium = std::stod(record["premium"].get<std::string>());
    EXPECT_NEAR(premium, price * record["size"].get<double>(), 0.01 + premium * 1e-6);
    million = million || premium >= 1e6;
  }
  EXPECT_TRUE(million);
  for (const auto& record : get_data(sim, "/api/darkpool/SPY?limit=50&token=t")) EXPECT_EQ(record["ticker"], "SPY");
}

TEST(UwSimRest, ConsecutivePollsOverlapAndNewRecordsAppear) {
  UwSimProcess sim({.extra_args = {"--rate", "darkpool=20"}});
  const auto first = get_data(sim, "/api/darkpool/recent?limit=50&token=t");
  json second;
  ASSERT_TRUE(wait_until(
      [&] {
        second = get_data(sim, "/api/darkpool/recent?limit=50&token=t");
        return second[0] != first[0];
      },
      20s));
  // The newest record of the first poll is still in the second: a poller sees overlap, not a gap.
  EXPECT_NE(std::find(second.begin(), second.end(), first[0]), second.end());
}

TEST(UwSimRest, AuthAndRequestBudget) {
  UwSimProcess sim({.extra_args = {"--token", "alpha", "--token", "beta", "--rest-per-minute", "5"}});
  EXPECT_EQ(http_request(sim.port(), "GET", "/api/congress/recent-trades").status, 401);
  EXPECT_EQ(http_request(sim.port(), "GET", "/api/congress/recent-trades?token=wrong").status, 401);
  for (int index = 0; index < 5; ++index) {
    EXPECT_EQ(http_request(sim.port(), "GET", "/api/congress/recent-trades?limit=1&token=alpha").status, 200);
  }
  auto limited = http_request(sim.port(), "GET", "/api/congress/recent-trades?limit=1&token=alpha");
  EXPECT_EQ(limited.status, 429);
  ASSERT_TRUE(limited.headers.contains("retry-after"));
  const int retry_after = std::stoi(limited.headers["retry-after"]);
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 60);
  EXPECT_EQ(http_request(sim.port(), "GET", "/api/congress/recent-trades?limit=1&token=beta").status, 200);
  const auto log = sim.log().dump();
  EXPECT_EQ(log.find("alpha"), std::string::npos);
  EXPECT_EQ(log.find("beta"), std::string::npos);
  const auto requests = sim.log()["rest_requests"];
  ASSERT_EQ(requests.size(), 9u);
  EXPECT_EQ(requests[0]["path"], "/api/congress/recent-trades");
  EXPECT_EQ(requests[0]["status"], 401);
  EXPECT_EQ(requests[7]["status"], 429);
}

TEST(UwSimRest, BearerHeaderAndHttpsOnTheSamePort) {
  UwSimProcess sim({.tls = true, .extra_args = {"--token", "alpha"}});
  const auto plain = http_fetch(sim.port(), "/api/congress/recent-trades?limit=3", "alpha");
  EXPECT_EQ(plain.status, 200) << plain.error << plain.body;
  EXPECT_EQ(json::parse(plain.body)["data"].size(), 3u);
  EXPECT_EQ(plain.headers.at("content-type"), "application/json");
  const auto secure = http_fetch(sim.port(), "/api/darkpool/recent?limit=2", "alpha", true, sim.ca_file());
  EXPECT_EQ(secure.status, 200) << secure.error << secure.body;
  EXPECT_EQ(json::parse(secure.body)["data"].size(), 2u);
  EXPECT_EQ(http_fetch(sim.port(), "/api/darkpool/recent", "nope", true, sim.ca_file()).status, 401);
  UwSimProcess other({.tls = true});
  const auto untrusted = http_fetch(sim.port(), "/api/darkpool/recent", "alpha", true, other.ca_file());
  EXPECT_EQ(untrusted.status, 0);
  EXPECT_FALSE(untrusted.error.empty());
}

}  // namespace
}  // namespace flowmind::uwsim::testing
