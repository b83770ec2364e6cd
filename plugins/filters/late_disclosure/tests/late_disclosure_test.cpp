// Tests of late_disclosure on real congress field names, custom names, and messy dates.
#include "late_disclosure.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "uw_test_support.hpp"

namespace flowmind {
namespace {

Config config(nlohmann::json values = nlohmann::json::object()) {
  nlohmann::json all = {{"max_days", 45},
                        {"keep_only", false},
                        {"transaction_field", "transaction_date"},
                        {"filed_field", "filed_at_date"},
                        {"annotation", "late"},
                        {"delay_annotation", "disclosure_delay_days"}};
  for (auto& [key, value] : values.items()) all[key] = value;
  return Config(all);
}

struct Harness {
  explicit Harness(const Config& c) : filter(c) { filter.start(ctx); }
  Filter::Verdict run(Event& event) { return filter.process(event, out); }
  uw::testing::TestStageContext ctx;
  uw::testing::CollectingEmitter out;
  LateDisclosureFilter filter;
};

std::string record(const std::string& traded, const std::string& filed) {
  return R"({"name":"Stephen Cohen","ticker":"FHWVOX","txn_type":"Buy","transaction_date":)" + traded +
         R"(,"filed_at_date":)" + filed + "}";
}

TEST(LateDisclosure, TheUwFixtureIsOnTime) {
  std::ifstream in(std::string(UW_FIXTURE_DIR) + "/congress-recent-trades.json");
  std::ostringstream text;
  text << in.rdbuf();
  Harness h(config());
  Event event("congress-trades", nlohmann::json::parse(text.str()).at("data").at(0).dump());
  EXPECT_EQ(h.run(event), Filter::Verdict::keep);
  EXPECT_EQ(event.annotations()["late"], false);
  EXPECT_EQ(event.annotations()["disclosure_delay_days"], 7);
}

TEST(LateDisclosure, BoundaryIsMoreThanMaxDays) {
  Harness h(config());
  Event on_the_day("congress-trades", record("\"2024-01-01\"", "\"2024-02-15\""));  // 45 days
  Event one_more("congress-trades", record("\"2024-01-01\"", "\"2024-02-16\""));    // 46 days
  Event leap("congress-trades", record("\"2024-02-28\"", "\"2024-03-01\""));        // 2 days (leap year)
  h.run(on_the_day);
  h.run(one_more);
  h.run(leap);
  EXPECT_EQ(on_the_day.annotations()["late"], false);
  EXPECT_EQ(on_the_day.annotations()["disclosure_delay_days"], 45);
  EXPECT_EQ(one_more.annotations()["late"], true);
  EXPECT_EQ(one_more.annotations()["disclosure_delay_days"], 46);
  EXPECT_EQ(leap.annotations()["disclosure_delay_days"], 2);
  EXPECT_EQ(h.ctx.value("late"), 1U);
  EXPECT_EQ(h.ctx.value("on_time"), 2U);
}

TEST(LateDisclosure, KeepOnlyAndCustomMaxDays) {
  Harness h(config({{"max_days", 30}, {"keep_only", true}}));
  Event late("congress-trades", record("\"2023-01-01\"", "\"2023-03-01\""));
  Event on_time("congress-trades", record("\"2023-01-01\"", "\"2023-01-20\""));
  Event undated("congress-trades", record("\"\"", "\"2023-01-20\""));
  EXPECT_EQ(h.run(late), Filter::Verdict::keep);
  EXPECT_EQ(h.run(on_time), Filter::Verdict::drop);
  EXPECT_EQ(h.run(undated), Filter::Verdict::drop);
  EXPECT_EQ(h.ctx.value("dropped"), 2U);
  EXPECT_EQ(h.ctx.value("undated"), 1U);
  EXPECT_EQ(h.ctx.value("unreadable_transaction_date"), 0U);  // "" is missing, not unreadable
}

TEST(LateDisclosure, MessyDates) {
  Harness h(config());
  Event iso("congress-trades", record("\"2023-02-06T00:00:00Z\"", "\"2023-04-13T16:20:00Z\""));
  Event garbage("congress-trades", record("\"last spring\"", "\"2023-04-13\""));
  Event wrong_type("congress-trades", record("\"2023-02-06\"", "[2023,4,13]"));
  Event backwards("congress-trades", record("\"2023-04-13\"", "\"2023-02-06\""));
  Event broken("congress-trades", R"({"transaction_date":"2023-02-06","filed_at_date":)");
  h.run(iso);
  EXPECT_EQ(iso.annotations()["disclosure_delay_days"], 66);
  EXPECT_EQ(h.run(garbage), Filter::Verdict::keep);
  EXPECT_TRUE(garbage.annotations().empty());
  h.run(wrong_type);
  EXPECT_TRUE(wrong_type.annotations().empty());
  h.run(backwards);
  EXPECT_EQ(backwards.annotations()["late"], false);
  EXPECT_EQ(backwards.annotations()["disclosure_delay_days"], -66);
  EXPECT_EQ(h.run(broken), Filter::Verdict::keep);
  EXPECT_EQ(h.ctx.value("unreadable_transaction_date"), 1U);
  EXPECT_EQ(h.ctx.value("unreadable_filed_date"), 1U);
  EXPECT_EQ(h.ctx.value("filed_before_transaction"), 1U);
  EXPECT_EQ(h.ctx.value("undated"), 2U);
  EXPECT_EQ(h.filter.status()["late"], 1);
}

TEST(LateDisclosure, OtherEventsPassUntouched) {
  Harness h(config({{"keep_only", true}}));
  Event alert("flow-alerts", R"({"ticker":"DIA","total_premium":36466})");
  Event broken("flow-alerts", "not json");
  EXPECT_EQ(h.run(alert), Filter::Verdict::keep);
  EXPECT_EQ(h.run(broken), Filter::Verdict::keep);
  EXPECT_TRUE(alert.annotations().empty());
}

TEST(LateDisclosure, CustomFieldNamesAndNestedPaths) {
  Harness h(config({{"transaction_field", "trade.date"},
                    {"filed_field", "disclosure_date"},
                    {"annotation", "tardy"},
                    {"delay_annotation", "delay"}}));
  Event event("senate", R"({"trade":{"date":"2024-01-01"},"disclosure_date":"2024-03-01"})");
  h.run(event);
  EXPECT_EQ(event.annotations(), (nlohmann::json{{"tardy", true}, {"delay", 60}}));
}

}  // namespace
}  // namespace flowmind
