// Record identity: key groups by path, the first complete group, the whole-record fallback, stability.
#include <fstream>

#include <gtest/gtest.h>

#include "record_key.hpp"

namespace flowmind::uw_rest {
namespace {

nlohmann::json fixture(const std::string& name) {
  std::ifstream in(std::string(UW_REST_FIXTURE_DIR) + "/" + name);
  return nlohmann::json::parse(in)["data"][0];
}

TEST(RecordKey, CongressTradesAreKeyedByMemberTickerDatesTypeAndAmount) {
  const auto groups = default_key_groups("/api/congress/recent-trades");
  ASSERT_EQ(describe_key_groups(groups),
            (std::vector<std::string>{"politician_id+ticker+transaction_date+txn_type+amounts",
                                      "name+ticker+transaction_date+txn_type+amounts"}));
  const auto trade = fixture("congress-recent-trades.json");
  auto refiled = trade;
  refiled["notes"] = "amended";  // not part of the identity
  refiled["filed_at_date"] = "2023-03-01";
  EXPECT_EQ(record_key(trade, groups), record_key(refiled, groups));
  auto other_ticker = trade;
  other_ticker["ticker"] = "AAPL";
  EXPECT_NE(record_key(trade, groups), record_key(other_ticker, groups));
  auto other_amount = trade;
  other_amount["amounts"] = "$1,001 - $15,000";
  EXPECT_NE(record_key(trade, groups), record_key(other_amount, groups));

  // Without politician_id the name stands in.
  auto by_name = trade;
  by_name.erase("politician_id");
  auto by_name_notes = by_name;
  by_name_notes["notes"] = "x";
  EXPECT_EQ(record_key(by_name, groups), record_key(by_name_notes, groups));
  EXPECT_NE(record_key(by_name, groups), record_key(trade, groups));
}

TEST(RecordKey, DarkPoolPrintsUseTrackingIdElseTimeTickerSizePrice) {
  const auto groups = default_key_groups("/api/darkpool/recent");
  const auto print = fixture("darkpool-recent.json");
  auto same_id = print;
  same_id["price"] = "1";
  EXPECT_EQ(record_key(print, groups), record_key(same_id, groups));
  auto other_id = print;
  other_id["tracking_id"] = 1;
  EXPECT_NE(record_key(print, groups), record_key(other_id, groups));

  auto untracked = print;
  untracked.erase("tracking_id");
  auto untracked_volume = untracked;
  untracked_volume["volume"] = 1;  // not part of the fallback group
  EXPECT_EQ(record_key(untracked, groups), record_key(untracked_volume, groups));
  auto untracked_size = untracked;
  untracked_size["size"] = 1;
  EXPECT_NE(record_key(untracked, groups), record_key(untracked_size, groups));
  EXPECT_EQ(default_key_groups("/api/darkpool/SPY"), groups);
}

TEST(RecordKey, UnknownPathsAndIncompleteRecordsUseTheWholeRecord) {
  EXPECT_TRUE(default_key_groups("/api/stock/AAPL/flow-alerts").empty());
  const nlohmann::json a = {{"x", 1}, {"y", "2"}};
  const nlohmann::json b = {{"y", "2"}, {"x", 1}};
  const nlohmann::json c = {{"x", 1}, {"y", "3"}};
  EXPECT_EQ(record_key(a, {}), record_key(b, {}));
  EXPECT_NE(record_key(a, {}), record_key(c, {}));
  // A null field does not complete a group.
  const KeyGroups groups = {{"id"}};
  EXPECT_EQ(record_key({{"id", nullptr}, {"x", 1}}, groups), record_key({{"x", 1}, {"id", nullptr}}, {}));
  EXPECT_NE(record_key({{"id", nullptr}, {"x", 1}}, groups), record_key({{"id", nullptr}, {"x", 2}}, groups));
}

TEST(RecordKey, KeysAreStableAcrossRunsAndEncodings) {
  // Persisted in state files: the same record must give the same key in every build.
  EXPECT_EQ(record_key({{"id", "abc"}}, {{"id"}}), record_key({{"id", "abc"}, {"other", 1}}, {{"id"}}));
  EXPECT_EQ(record_key({{"id", "abc"}}, {{"id"}}).size(), 32U);
  EXPECT_EQ(record_key({{"id", "abc"}}, {{"id"}}), "063ab07a9809201611979b08786c65d2") << "the key format changed";
  // A number and the same number as text (UW's encodings vary) are one record.
  EXPECT_EQ(record_key({{"id", 123}}, {{"id"}}), record_key({{"id", "123"}}, {{"id"}}));
  // Field boundaries are part of the key.
  EXPECT_NE(record_key({{"a", "xb"}, {"b", "y"}}, {{"a", "b"}}), record_key({{"a", "x"}, {"b", "by"}}, {{"a", "b"}}));
}

TEST(RecordKey, KeyFieldsOptionParsesGroupsJoinedByPlus) {
  const auto groups = parse_key_fields({"tracking_id", "executed_at+ticker"});
  ASSERT_EQ(groups.size(), 2U);
  EXPECT_EQ(groups[1], (std::vector<std::string>{"executed_at", "ticker"}));
  EXPECT_THROW(parse_key_fields({"a++b"}), std::invalid_argument);
  EXPECT_THROW(parse_key_fields({""}), std::invalid_argument);
  EXPECT_THROW(parse_key_fields({"a+"}), std::invalid_argument);
}

}  // namespace
}  // namespace flowmind::uw_rest
