// Canonical field extraction on invented messy payloads: strings, "", wrong types, bad OCC, NaN.
#include "uw/canonical.hpp"

#include <string>

#include <gtest/gtest.h>

#include "flowmind/event.hpp"
#include "uw/time.hpp"

namespace flowmind::uw {
namespace {

const std::string option_trade = R"({"id":"t1","underlying_symbol":"aapl","option_symbol":"AAPL250117C00200000",
  "option_type":"call","strike":"200","expiry":"2025-01-17","price":"1.22","size":5,"premium":"610",
  "executed_at":1726670327692,"exchange":"XPHO","tags":["ask_side","bullish"],"nbbo_bid":"1.20","nbbo_ask":"1.22"})";

TEST(Canonical, OptionTradeWithNumbersAsStrings) {
  const auto f = extract_canonical("option_trades", option_trade);
  EXPECT_TRUE(f.payload_ok);
  EXPECT_EQ(f.unreadable, 0U);
  EXPECT_EQ(f.channel_kind, ChannelKind::option_trade);
  EXPECT_EQ(f.symbol.view(), "AAPL");
  EXPECT_EQ(f.option_symbol.view(), "AAPL250117C00200000");
  EXPECT_EQ(f.option_kind, OptionKind::call);
  EXPECT_EQ(f.strike, 200.0);
  EXPECT_EQ(format_date(*f.expiry_day), "2025-01-17");
  EXPECT_EQ(f.price, 1.22);
  EXPECT_EQ(f.size, 5.0);
  EXPECT_EQ(f.premium, 610.0);
  EXPECT_EQ(f.side, Side::buy);
  EXPECT_EQ(f.exchange.view(), "XPHO");
  EXPECT_TRUE(f.has_tag(tag_bullish));
  EXPECT_FALSE(f.has_tag(tag_bearish));
}

TEST(Canonical, PremiumIsComputedWhenAbsentTimes100ForOptions) {
  auto f = extract_canonical("option_trades:SPY", R"({"option_symbol":"SPY241018P00550000","price":"2.5","size":"4"})");
  EXPECT_EQ(f.premium, 1000.0);
  EXPECT_TRUE(f.premium_computed);
  EXPECT_EQ(f.symbol.view(), "SPY");
  EXPECT_EQ(f.option_kind, OptionKind::put);

  f = extract_canonical("off_lit_trades", R"({"ticker":"QID","price":"18.5","size":100,"premium":""})");
  EXPECT_EQ(f.premium, 1850.0);
  EXPECT_TRUE(f.premium_computed);
  EXPECT_EQ(f.unreadable, 0U);

  f = extract_canonical("flow-alerts", R"({"option_chain":"DIA241018C00415000","price":7.3,"total_size":50})");
  EXPECT_EQ(f.premium, 36500.0);

  // An option symbol on an unnamed channel still makes it an option.
  f = extract_canonical("custom", R"({"option_chain":"DIA241018C00415000","price":1,"size":1})");
  EXPECT_EQ(f.premium, 100.0);

  // A premium that cannot be read falls back to price x size, and is still counted.
  f = extract_canonical("lit_trades", R"({"ticker":"X","price":2,"size":3,"premium":"lots"})");
  EXPECT_EQ(f.premium, 6.0);
  EXPECT_TRUE(f.is_unreadable(Field::premium));
}

TEST(Canonical, EmptyStringsNullsAndAbsenceAreMissingNotUnreadable) {
  const auto f = extract_canonical("flow-alerts", R"({"ticker":"","total_premium":"","price":null,"total_size":"  ",
    "executed_at":"","has_sweep":"","option_chain":"","bid":"","ask":""})");
  EXPECT_TRUE(f.payload_ok);
  EXPECT_EQ(f.unreadable, 0U);
  EXPECT_TRUE(f.symbol.empty());
  EXPECT_FALSE(f.premium.has_value());
  EXPECT_FALSE(f.price.has_value());
  EXPECT_FALSE(f.size.has_value());
  EXPECT_FALSE(f.executed_at_ms.has_value());
  EXPECT_FALSE(f.has_sweep.has_value());
  EXPECT_EQ(f.side, Side::unknown);
}

TEST(Canonical, WrongTypesAreUnreadableAndCounted) {
  const auto f = extract_canonical("flow-alerts", R"({"ticker":42,"total_premium":{"v":1},"price":[7],"total_size":true,
    "executed_at":"yesterday","has_sweep":"maybe","option_chain":17,"total_ask_side_prem":"x","total_bid_side_prem":-3,
    "volume":"NaN","bid":"abc"})");
  EXPECT_TRUE(f.payload_ok);
  for (Field field :
       {Field::symbol, Field::premium, Field::price, Field::size, Field::executed_at, Field::has_sweep,
        Field::option_symbol, Field::ask_side_premium, Field::bid_side_premium, Field::volume, Field::quote}) {
    EXPECT_TRUE(f.is_unreadable(field)) << field_name(field);
  }
  EXPECT_FALSE(f.is_unreadable(Field::payload));
  EXPECT_FALSE(f.premium.has_value());
  EXPECT_EQ(f.side, Side::unknown);
}

TEST(Canonical, NegativeNanAndHugeValues) {
  auto f = extract_canonical("off_lit_trades", R"({"ticker":"X","price":-1,"size":"1e400","premium":"-5"})");
  EXPECT_TRUE(f.is_unreadable(Field::price));
  EXPECT_TRUE(f.is_unreadable(Field::size));
  EXPECT_TRUE(f.is_unreadable(Field::premium));
  EXPECT_FALSE(f.premium.has_value());

  // Finite inputs whose product overflows: no premium, counted.
  f = extract_canonical("off_lit_trades", R"({"ticker":"X","price":1e200,"size":1e200})");
  EXPECT_FALSE(f.premium.has_value());
  EXPECT_TRUE(f.is_unreadable(Field::premium));

  f = extract_canonical("off_lit_trades", R"({"ticker":"X","price":"1e300","size":10})");
  ASSERT_TRUE(f.premium.has_value());
  EXPECT_DOUBLE_EQ(*f.premium, 1e301);
}

TEST(Canonical, MalformedOccKeepsTheRestAndCountsTheSymbol) {
  const auto f = extract_canonical("flow-alerts", R"({"ticker":"DIA","option_chain":"DIA241318C00415000","price":1})");
  EXPECT_TRUE(f.is_unreadable(Field::option_symbol));
  EXPECT_TRUE(f.option_symbol.empty());
  EXPECT_EQ(f.option_kind, OptionKind::none);
  EXPECT_FALSE(f.strike.has_value());
  EXPECT_EQ(f.symbol.view(), "DIA");
  EXPECT_EQ(f.price, 1.0);
}

TEST(Canonical, ExplicitFieldsWinOverTheOccSymbol) {
  const auto f = extract_canonical("option_trades", R"({"option_symbol":"SPY241018C00415000","option_type":"P",
    "strike":"416","expiry":"2024-10-25"})");
  EXPECT_EQ(f.option_kind, OptionKind::put);
  EXPECT_EQ(f.strike, 416.0);
  EXPECT_EQ(format_date(*f.expiry_day), "2024-10-25");
  EXPECT_EQ(f.symbol.view(), "SPY");  // from the OCC root
}

TEST(Canonical, BadExplicitFieldsFallBackToTheOccSymbol) {
  const auto f = extract_canonical("option_trades", R"({"option_symbol":"SPY241018C00415000","option_type":"straddle",
    "strike":0,"expiry":"soon"})");
  EXPECT_EQ(f.option_kind, OptionKind::call);
  EXPECT_EQ(f.strike, 415.0);
  EXPECT_EQ(format_date(*f.expiry_day), "2024-10-18");
  EXPECT_EQ(f.unreadable, 0U);
}

TEST(Canonical, SymbolNamesAndFallbacks) {
  EXPECT_EQ(extract_canonical("x", R"({"symbol":"msft"})").symbol.view(), "MSFT");
  EXPECT_EQ(extract_canonical("x", R"({"underlying_symbol":"BRK.B"})").symbol.view(), "BRK.B");
  EXPECT_EQ(extract_canonical("x", R"({"ticker":"NVDA","symbol":"OTHER"})").symbol.view(), "NVDA");
  EXPECT_EQ(extract_canonical("x", R"({"ticker":"bad ticker!","symbol":"OK"})").symbol.view(), "OK");
  EXPECT_EQ(extract_canonical("gex:TSLA", R"({"gamma":"1"})").symbol.view(), "TSLA");
  const auto news = extract_canonical("news", R"({"headline":"h","tickers":["aapl","MSFT",5]})");
  EXPECT_EQ(news.symbol.view(), "AAPL");
  EXPECT_EQ(news.tickers, (std::vector<std::string>{"AAPL", "MSFT"}));
  EXPECT_TRUE(news.is_unreadable(Field::tickers));
  const auto too_long = extract_canonical("x", R"({"ticker":"ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGH"})");
  EXPECT_TRUE(too_long.symbol.empty());
  EXPECT_TRUE(too_long.is_unreadable(Field::symbol));
}

TEST(Canonical, SideRules) {
  // Flow alerts: simple majority of ask-side vs bid-side premium.
  EXPECT_EQ(extract_canonical("flow-alerts", R"({"total_ask_side_prem":"100","total_bid_side_prem":"99"})").side,
            Side::buy);
  EXPECT_EQ(extract_canonical("flow-alerts", R"({"total_ask_side_prem":0,"total_bid_side_prem":5})").side, Side::sell);
  EXPECT_EQ(extract_canonical("flow-alerts", R"({"total_ask_side_prem":5,"total_bid_side_prem":5})").side,
            Side::unknown);
  // ... then ask_vol vs bid_vol.
  EXPECT_EQ(extract_canonical("flow-alerts", R"({"ask_vol":1,"bid_vol":9})").side, Side::sell);
  // Option trades: tags; both tags cancel out.
  EXPECT_EQ(extract_canonical("option_trades", R"({"tags":["bid_side"]})").side, Side::sell);
  EXPECT_EQ(extract_canonical("option_trades", R"({"tags":["bid_side","ask_side"]})").side, Side::unknown);
  // An explicit side.
  EXPECT_EQ(extract_canonical("x", R"({"side":"SELL"})").side, Side::sell);
  EXPECT_EQ(extract_canonical("x", R"({"side":"ask"})").side, Side::buy);
  const auto bad = extract_canonical("x", R"({"side":"sideways"})");
  EXPECT_EQ(bad.side, Side::unknown);
  EXPECT_TRUE(bad.is_unreadable(Field::side));
  // Congress transaction types.
  EXPECT_EQ(extract_canonical("congress", R"j({"txn_type":"Sale (Partial)"})j").side, Side::sell);
  EXPECT_EQ(extract_canonical("congress", R"({"txn_type":"Purchase"})").side, Side::buy);
  EXPECT_EQ(extract_canonical("congress", R"({"txn_type":"Exchange"})").side, Side::unknown);
  // Price against the quote.
  EXPECT_EQ(extract_canonical("lit_trades", R"({"price":10.05,"nbbo_bid":10,"nbbo_ask":10.05})").side, Side::buy);
  EXPECT_EQ(extract_canonical("lit_trades", R"({"price":"9.99","nbbo_bid":"10","nbbo_ask":"10.05"})").side, Side::sell);
  EXPECT_EQ(extract_canonical("lit_trades", R"({"price":10.02,"nbbo_bid":10,"nbbo_ask":10.05})").side, Side::unknown);
}

TEST(Canonical, SideFromAmountsHonoursTheRatio) {
  EXPECT_EQ(side_from_amounts(150, 100, 1.5), Side::buy);
  EXPECT_EQ(side_from_amounts(149, 100, 1.5), Side::unknown);
  EXPECT_EQ(side_from_amounts(100, 150, 1.5), Side::sell);
  EXPECT_EQ(side_from_amounts(0, 0, 1.0), Side::unknown);
  EXPECT_EQ(side_from_amounts(1, 0, 3.0), Side::buy);
}

TEST(Canonical, TimestampPriorityAndFormats) {
  EXPECT_EQ(
      extract_canonical("x", R"({"start_time":1,"end_time":1726670212000,"executed_at":"2024-09-18T14:36:52.748Z"})")
          .executed_at_ms,
      1726670212748);
  EXPECT_EQ(extract_canonical("x", R"({"executed_at":"bad","time":"1726670212748"})").executed_at_ms, 1726670212748);
  EXPECT_EQ(extract_canonical("x", R"({"timestamp":1726670212})").executed_at_ms, 1726670212000);
}

TEST(Canonical, BrokenPayloadsAreFlaggedNeverThrown) {
  for (const char* raw : {"", "not json", R"({"ticker":"SPY")", R"(["flow-alerts"])", "[]", "null", "42",
                          R"({"ticker":"SPY",})", "\xff\xfe{"}) {
    const auto f = extract_canonical("price:SPY", raw);
    EXPECT_FALSE(f.payload_ok) << raw;
    EXPECT_EQ(f.unreadable, mask(Field::payload)) << raw;
    EXPECT_EQ(f.symbol.view(), "SPY");  // the channel still names it
    EXPECT_FALSE(f.price.has_value());
  }
}

TEST(Canonical, EscapedKeysAndValues) {
  const auto f = extract_canonical("x", R"({"tick\u0065r":"S\u0050Y","price":"1"})");
  EXPECT_EQ(f.symbol.view(), "SPY");
  EXPECT_EQ(f.price, 1.0);
}

TEST(Canonical, ChannelClassification) {
  EXPECT_EQ(classify_channel("flow-alerts"), ChannelKind::flow_alert);
  EXPECT_EQ(classify_channel("option_trades:SPY"), ChannelKind::option_trade);
  EXPECT_EQ(classify_channel("off_lit_trades"), ChannelKind::off_lit_trade);
  EXPECT_EQ(classify_channel("darkpool-recent"), ChannelKind::off_lit_trade);
  EXPECT_EQ(classify_channel("lit_trades"), ChannelKind::lit_trade);
  EXPECT_EQ(classify_channel("price:SPY"), ChannelKind::price);
  EXPECT_EQ(classify_channel("news"), ChannelKind::news);
  EXPECT_EQ(classify_channel("congress-trades"), ChannelKind::congress);
  EXPECT_EQ(classify_channel("gex_strike:SPY"), ChannelKind::gex);
  EXPECT_EQ(classify_channel("market_tide"), ChannelKind::other);
  EXPECT_EQ(channel_ticker("price:SPY"), "SPY");
  EXPECT_EQ(channel_ticker("price:"), "");
  EXPECT_EQ(channel_ticker("news"), "");
  EXPECT_EQ(channel_ticker("price:S P Y"), "");
}

TEST(Canonical, ExtractedOnceAndSharedThroughTheEvent) {
  Event event("flow-alerts", R"({"ticker":"SPY","total_premium":"5"})");
  EXPECT_EQ(event.attachment<CanonicalFields>(canonical_key), nullptr);
  const CanonicalFields& first = canonical(event);
  const CanonicalFields& second = canonical(event);
  EXPECT_EQ(&first, &second);
  EXPECT_EQ(event.attachment<CanonicalFields>(canonical_key), &first);
  EXPECT_EQ(first.premium, 5.0);
  // Clones share the parsed fields (they describe the same payload).
  const Event copy = event.clone();
  EXPECT_EQ(copy.attachment<CanonicalFields>(canonical_key), &first);
}

TEST(Canonical, NamesOfEveryField) {
  for (std::size_t i = 0; i < field_count; ++i) {
    EXPECT_STRNE(field_name(static_cast<Field>(i)), "unknown");
  }
  EXPECT_STREQ(to_string(Side::buy), "buy");
  EXPECT_STREQ(to_string(ChannelKind::flow_alert), "flow_alert");
}

}  // namespace
}  // namespace flowmind::uw
