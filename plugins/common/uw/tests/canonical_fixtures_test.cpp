// Canonical fields of every UW sample message in fixtures/ (as UW documents them).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "uw/canonical.hpp"
#include "uw/json_scan.hpp"
#include "uw/time.hpp"

namespace flowmind::uw {
namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::filesystem::path(UW_FIXTURE_DIR) / name);
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_FALSE(text.str().empty()) << name;
  return text.str();
}

// A WebSocket message ["channel", {...}] as a source hands it on: channel + payload text.
std::pair<std::string, std::string> websocket_event(const std::string& name) {
  const auto message = nlohmann::json::parse(fixture(name));
  return {message.at(0).get<std::string>(), message.at(1).dump()};
}

// The first record of a REST response {"data":[...]}.
std::string rest_record(const std::string& name) {
  return nlohmann::json::parse(fixture(name)).at("data").at(0).dump();
}

TEST(CanonicalFixtures, FlowAlert) {
  const auto [channel, payload] = websocket_event("flow-alerts.json");
  const auto fields = extract_canonical(channel, payload);
  EXPECT_TRUE(fields.payload_ok);
  EXPECT_EQ(fields.unreadable, 0U);
  EXPECT_EQ(fields.channel_kind, ChannelKind::flow_alert);
  EXPECT_EQ(fields.symbol.view(), "DIA");
  EXPECT_EQ(fields.option_symbol.view(), "DIA241018C00415000");
  EXPECT_EQ(fields.option_kind, OptionKind::call);
  EXPECT_EQ(fields.strike, 415.0);
  ASSERT_TRUE(fields.expiry_day.has_value());
  EXPECT_EQ(format_date(*fields.expiry_day), "2024-10-18");
  EXPECT_EQ(fields.side, Side::buy);  // all premium on the ask side
  EXPECT_EQ(fields.size, 50.0);
  EXPECT_EQ(fields.price, 7.3);
  EXPECT_EQ(fields.premium, 36466.0);
  EXPECT_FALSE(fields.premium_computed);
  EXPECT_EQ(fields.executed_at_ms, 1726670212748);
  EXPECT_EQ(fields.has_sweep, false);
  EXPECT_EQ(fields.ask_side_premium, 36466.0);
  EXPECT_EQ(fields.bid_side_premium, 0.0);
  EXPECT_EQ(fields.volume, 106.0);
  EXPECT_EQ(fields.bid, 7.15);
  EXPECT_EQ(fields.ask, 7.3);
  EXPECT_TRUE(fields.is_option());
}

TEST(CanonicalFixtures, FlowAlertAsTheWholeWebSocketMessage) {
  // A source that hands on the message unchanged still gets the same fields.
  const auto fields = extract_canonical("flow-alerts", fixture("flow-alerts.json"));
  EXPECT_TRUE(fields.payload_ok);
  EXPECT_EQ(fields.symbol.view(), "DIA");
  EXPECT_EQ(fields.premium, 36466.0);
}

TEST(CanonicalFixtures, Price) {
  const auto [channel, payload] = websocket_event("price.json");
  const auto fields = extract_canonical(channel, payload);
  EXPECT_TRUE(fields.payload_ok);
  EXPECT_EQ(fields.unreadable, 0U);
  EXPECT_EQ(fields.channel_kind, ChannelKind::price);
  EXPECT_EQ(fields.symbol.view(), "SPY");  // from the channel name
  EXPECT_EQ(fields.price, 562.82);
  EXPECT_EQ(fields.volume, 6015555.0);
  EXPECT_EQ(fields.executed_at_ms, 1726670327692);
  EXPECT_FALSE(fields.premium.has_value());
  EXPECT_FALSE(fields.is_option());
}

TEST(CanonicalFixtures, News) {
  const auto [channel, payload] = websocket_event("news.json");
  const auto fields = extract_canonical(channel, payload);
  EXPECT_TRUE(fields.payload_ok);
  EXPECT_EQ(fields.unreadable, 0U);
  EXPECT_EQ(fields.channel_kind, ChannelKind::news);
  EXPECT_TRUE(fields.symbol.empty());
  EXPECT_TRUE(fields.tickers.empty());
  ASSERT_TRUE(fields.executed_at_ms.has_value());
  EXPECT_EQ(format_iso8601_ms(*fields.executed_at_ms), "2025-06-11T21:40:56.000Z");
}

TEST(CanonicalFixtures, AckIsAnObjectWithoutTradeFields) {
  const auto [channel, payload] = websocket_event("ack.json");
  const auto fields = extract_canonical(channel, payload);
  EXPECT_TRUE(fields.payload_ok);
  EXPECT_EQ(fields.unreadable, 0U);
  EXPECT_EQ(fields.channel_kind, ChannelKind::option_trade);
  EXPECT_TRUE(fields.symbol.empty());
  EXPECT_FALSE(fields.premium.has_value());
  EXPECT_EQ(fields.side, Side::unknown);
}

TEST(CanonicalFixtures, DarkPoolRecord) {
  const auto fields = extract_canonical("darkpool", rest_record("darkpool-recent.json"));
  EXPECT_TRUE(fields.payload_ok);
  EXPECT_EQ(fields.unreadable, 0U);
  EXPECT_EQ(fields.channel_kind, ChannelKind::off_lit_trade);
  EXPECT_EQ(fields.symbol.view(), "QID");
  EXPECT_EQ(fields.price, 18.9904);
  EXPECT_EQ(fields.size, 6400.0);
  EXPECT_EQ(fields.premium, 121538.56);
  EXPECT_FALSE(fields.premium_computed);
  EXPECT_EQ(fields.executed_at_ms, *parse_iso8601("2023-02-16T00:59:44Z"));
  EXPECT_EQ(fields.bid, 18.99);
  EXPECT_EQ(fields.ask, 19.0);
  EXPECT_EQ(fields.exchange.view(), "L");
  EXPECT_EQ(fields.volume, 9946819.0);
  EXPECT_EQ(fields.side, Side::unknown);  // between the bid and the ask
  EXPECT_FALSE(fields.is_option());
}

TEST(CanonicalFixtures, CongressRecord) {
  const auto fields = extract_canonical("congress-trades", rest_record("congress-recent-trades.json"));
  EXPECT_TRUE(fields.payload_ok);
  EXPECT_EQ(fields.unreadable, 0U);
  EXPECT_EQ(fields.channel_kind, ChannelKind::congress);
  EXPECT_EQ(fields.symbol.view(), "FHWVOX");
  EXPECT_EQ(fields.side, Side::buy);
  EXPECT_EQ(fields.transaction_day, days_from_date({2023, 2, 6}));
  EXPECT_EQ(fields.filed_day, days_from_date({2023, 2, 13}));
  EXPECT_EQ(fields.executed_at_ms, days_from_date({2023, 2, 6}) * ms_per_day);
}

TEST(CanonicalFixtures, EveryFixtureScansLikeTheDom) {
  // The scanner must agree with a full parser on which member names exist.
  for (const auto& entry : std::filesystem::directory_iterator(UW_FIXTURE_DIR)) {
    const auto text = fixture(entry.path().filename().string());
    const auto dom = nlohmann::json::parse(text);
    const nlohmann::json& object = dom.is_array() ? dom.at(1) : dom;
    const auto scanned = payload_object(text);
    ASSERT_FALSE(scanned.empty()) << entry.path();
    std::size_t count = 0;
    ObjectCursor cursor(scanned);
    std::string_view key;
    bool escaped = false;
    JsonView value;
    while (cursor.next(key, escaped, value)) {
      ++count;
      EXPECT_TRUE(object.contains(std::string(key))) << key;
    }
    EXPECT_TRUE(cursor.ok()) << entry.path();
    EXPECT_EQ(count, object.size()) << entry.path();
  }
}

}  // namespace
}  // namespace flowmind::uw
