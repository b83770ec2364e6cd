// uw-sim data: generator consistency (unit), seeded reproducibility, replay, and the command line.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>
#include <sstream>

#include "channels.hpp"
#include "cli.hpp"
#include "generator.hpp"
#include "recording.hpp"
#include "test_support.hpp"
#include "uw_sim_process.hpp"
#include "ws_test_client.hpp"

namespace flowmind::uwsim::testing {
namespace {

using flowmind::testing::run_process;
using flowmind::testing::TempDir;
using flowmind::testing::uw_sim_executable;
using flowmind::testing::UwSimProcess;
using nlohmann::json;
using namespace std::chrono_literals;

constexpr std::int64_t kNow = 1726670212748;  // 2024-09-18, a Wednesday

std::vector<std::string> only(const std::string& channel, const std::string& rate) {
  std::vector<std::string> args;
  for (const char* name : {"flow-alerts", "option_trades", "off_lit_trades", "lit_trades", "price", "gex", "gex_strike",
                           "gex_strike_expiry", "news", "market_tide"}) {
    args.insert(args.end(), {"--rate", std::string(name) + "=" + (name == channel ? rate : "0")});
  }
  return args;
}

double number(const json& value) {
  return value.is_string() ? std::stod(value.get<std::string>()) : value.get<double>();
}

TEST(UwSimGenerator, FlowAlertsAreInternallyConsistent) {
  MarketGenerator generator(7, default_tickers());
  const std::regex occ(R"(([A-Z]{1,6})(\d{2})(\d{2})(\d{2})([CP])(\d{8}))");
  int calls = 0;
  int puts = 0;
  int sweeps = 0;
  int ask_dominated = 0;
  int bid_dominated = 0;
  int small = 0;
  int huge = 0;
  // The documented sample (shared/fixtures/uw/flow-alerts.json): every field, with the same JSON types.
  const json fixture = json::parse(
      R"json(["flow-alerts",{"rule_id":"5ce5ec11-087c-4c00-b164-08106b015856","rule_name":"RepeatedHitsDescendingFill","ticker":"DIA","option_chain":"DIA241018C00415000","underlying_price":415.981,"volume":106,"total_size":50,"total_premium":36466,"total_ask_side_prem":36466,"total_bid_side_prem":0,"start_time":1726670212648,"end_time":1726670212748,"url":"","price":7.3,"has_multileg":false,"has_sweep":false,"has_floor":false,"open_interest":575,"all_opening_trades":false,"id":"29ed5829-e4ce-4934-876b-51985d2f9b70","has_singleleg":true,"volume_oi_ratio":0,"trade_ids":["417f0cd6-09ae-4d43-8542-38557bb713aa","4af4c646-4b21-4a27-8326-db7b0698d3d8","74ddcd55-dcb3-4543-a488-16ee7ca91d45","4ec49859-74a2-4d32-9911-ea329dd77326","e164da3a-a6aa-41d9-a948-c17817453a21","b0d98eeb-1429-4494-9dcc-8d5e7eb46f7d","81b1dcad-f3f6-48a2-bf51-0bfd362ad372"],"trade_count":7,"expiry_count":1,"executed_at":1726670212748,"ask_vol":52,"bid_vol":49,"no_side_vol":0,"mid_vol":5,"multi_vol":0,"stock_multi_vol":0,"upstream_condition_details":["auto","slan"],"exchanges":["XCBO","MPRL"],"bid":"7.15","ask":"7.3"}])json")
      [1];
  for (int index = 0; index < 2000; ++index) {
    const auto alert = generator.flow_alert(kNow + index * 500);
    for (const auto& [key, value] : fixture.items()) {
      ASSERT_TRUE(alert.contains(key)) << key;
      if (value.is_number()) {
        EXPECT_TRUE(alert[key].is_number()) << key << ": " << alert.dump();
      } else {
        EXPECT_EQ(alert[key].type(), value.type()) << key << ": " << alert.dump();
      }
    }
    const auto ticker = alert["ticker"].get<std::string>();
    std::smatch parts;
    const auto symbol = alert["option_chain"].get<std::string>();
    ASSERT_TRUE(std::regex_match(symbol, parts, occ)) << symbol;
    EXPECT_EQ(parts[1].str(), ticker);
    const double strike = std::stod(parts[6].str()) / 1000.0;
    const double spot = alert["underlying_price"].get<double>();
    EXPECT_GT(strike, spot * 0.5);
    EXPECT_LT(strike, spot * 1.6);
    const std::string expiry = "20" + parts[2].str() + "-" + parts[3].str() + "-" + parts[4].str();
    EXPECT_GE(expiry, "2024-09-18");
    (parts[5] == "C" ? calls : puts) += 1;
    const double price = alert["price"].get<double>();
    const auto size = alert["total_size"].get<long long>();
    const auto premium = alert["total_premium"].get<long long>();
    EXPECT_NEAR(static_cast<double>(premium), price * static_cast<double>(size) * 100.0, 1.0) << alert.dump();
    EXPECT_EQ(alert["total_ask_side_prem"].get<long long>() + alert["total_bid_side_prem"].get<long long>(), premium);
    const double bid = number(alert["bid"]);
    const double ask = number(alert["ask"]);
    EXPECT_LE(bid, ask);
    EXPECT_TRUE(price == bid || price == ask) << alert.dump();
    EXPECT_GE(alert["volume"].get<long long>(), size);
    EXPECT_LE(alert["start_time"].get<long long>(), alert["end_time"].get<long long>());
    EXPECT_EQ(alert["end_time"], alert["executed_at"]);
    EXPECT_EQ(alert["ask_vol"].get<long long>() + alert["bid_vol"].get<long long>() +
                  alert["mid_vol"].get<long long>() + alert["no_side_vol"].get<long long>(),
              alert["volume"].get<long long>());
    sweeps += alert["has_sweep"].get<bool>() ? 1 : 0;
    (alert["total_ask_side_prem"] > alert["total_bid_side_prem"] ? ask_dominated : bid_dominated) += 1;
    small += premium < 10'000 ? 1 : 0;
    huge += premium > 1'000'000 ? 1 : 0;
    // The underlying follows the ticker's walk.
    EXPECT_NEAR(spot, generator.current_price(ticker), spot * 0.001);
  }
  EXPECT_GT(calls, 600);
  EXPECT_GT(puts, 600);
  EXPECT_GT(sweeps, 200);
  EXPECT_GT(ask_dominated, 600);
  EXPECT_GT(bid_dominated, 400);
  EXPECT_GT(small, 100);
  EXPECT_GT(huge, 10);
}

TEST(UwSimGenerator, OptionTradesTagsAndStrings) {
  MarketGenerator generator(3, default_tickers());
  std::set<std::string> sentiments;
  for (int index = 0; index < 500; ++index) {
    const auto trade = generator.option_trade({"TSLA"}, kNow);
    EXPECT_EQ(trade["underlying_symbol"], "TSLA");
    for (const char* field : {"price", "premium", "strike", "nbbo_bid", "nbbo_ask", "underlying_price", "delta"}) {
      ASSERT_TRUE(trade[field].is_string()) << field;
    }
    const bool call = trade["option_type"] == "call";
    EXPECT_NE(trade["option_symbol"].get<std::string>().find(call ? 'C' : 'P', 4), std::string::npos);
    EXPECT_NEAR(number(trade["premium"]), number(trade["price"]) * trade["size"].get<double>() * 100.0, 0.01);
    const auto& tags = trade["tags"];
    const bool ask = std::find(tags.begin(), tags.end(), "ask_side") != tags.end();
    const bool bid = std::find(tags.begin(), tags.end(), "bid_side") != tags.end();
    const bool bullish = std::find(tags.begin(), tags.end(), "bullish") != tags.end();
    const bool bearish = std::find(tags.begin(), tags.end(), "bearish") != tags.end();
    if (ask || bid) {
      EXPECT_EQ(bullish, call == ask) << trade.dump();
      EXPECT_NE(bullish, bearish);
    }
    if (bullish) sentiments.insert("bullish");
    if (bearish) sentiments.insert("bearish");
  }
  EXPECT_EQ(sentiments.size(), 2u);
}

TEST(UwSimGenerator, DarkPoolPricesFollowTheWalkAndIncludeBlocks) {
  MarketGenerator generator(11, default_tickers());
  int blocks = 0;
  for (int index = 0; index < 2000; ++index) {
    const auto trade = generator.off_lit_trade(kNow);
    const double price = number(trade["price"]);
    EXPECT_NEAR(price, generator.current_price(trade["ticker"]), price * 0.001);
    EXPECT_NEAR(number(trade["premium"]), price * trade["size"].get<double>(), 0.01 + price * 1e-3);
    blocks += number(trade["premium"]) >= 1e6 ? 1 : 0;
  }
  EXPECT_GT(blocks, 20);
  const auto price = generator.price("SPY", kNow);
  EXPECT_TRUE(price["close"].is_string());
  EXPECT_EQ(price["time"], kNow);
  EXPECT_TRUE(price["vol"].is_number_integer());
  int empty = 0;
  for (int index = 0; index < 200; ++index) {
    const auto gex = generator.gex("SPY", kNow);
    for (const auto& [key, value] : gex.items()) {
      if (key != "time") {
        EXPECT_TRUE(value.is_string()) << key;
      }
      empty += value == "" ? 1 : 0;
    }
  }
  EXPECT_GT(empty, 0);
  const auto news = generator.news(kNow);
  EXPECT_EQ(news["timestamp"], "2024-09-18T14:36:52Z");
  EXPECT_TRUE(news["tickers"].is_array());
}

TEST(UwSimGenerator, SameSeedSameData) {
  MarketGenerator first(42, default_tickers());
  MarketGenerator second(42, default_tickers());
  MarketGenerator other(43, default_tickers());
  bool differs = false;
  for (int index = 0; index < 50; ++index) {
    const auto alert = first.flow_alert(kNow);
    EXPECT_EQ(alert, second.flow_alert(kNow));
    differs = differs || alert != other.flow_alert(kNow);
  }
  EXPECT_TRUE(differs);
}

TEST(UwSimGenerator, ChannelNames) {
  for (const char* name :
       {"flow-alerts", "option_trades", "option_trades:TSLA", "off_lit_trades", "lit_trades", "price:SPY", "gex:SPY",
        "gex_strike:QQQ", "gex_strike_expiry:AAPL", "news", "market_tide", "price:BRK.B"}) {
    EXPECT_TRUE(is_known_channel(name)) << name;
  }
  for (const char* name : {"", "flow_alerts", "price", "price:", "price:spy", "news:SPY", "congress"}) {
    EXPECT_FALSE(is_known_channel(name)) << name;
  }
}

// Flow alerts without their clock-dependent fields.
std::vector<json> first_alerts(const UwSimProcess& sim, int count) {
  WsTestClient client(sim.port());
  if (!client.connect()) throw std::runtime_error(client.error());
  client.join("flow-alerts");
  std::vector<json> alerts;
  while (static_cast<int>(alerts.size()) < count) {
    auto message = client.read_json(20s);
    if (!message) throw std::runtime_error("no flow alert");
    if ((*message)[1].contains("status")) continue;
    auto alert = (*message)[1];
    for (const char* field : {"start_time", "end_time", "executed_at"}) alert.erase(field);
    alerts.push_back(alert);
  }
  return alerts;
}

TEST(UwSimData, SameSeedGivesTheSameFirstFlowAlerts) {
  UwSimProcess first({.extra_args = [] {
    auto args = only("flow-alerts", "50");
    args.insert(args.end(), {"--seed", "42"});
    return args;
  }()});
  UwSimProcess second({.extra_args = [] {
    auto args = only("flow-alerts", "50");
    args.insert(args.end(), {"--seed", "42"});
    return args;
  }()});
  UwSimProcess third({.extra_args = [] {
    auto args = only("flow-alerts", "50");
    args.insert(args.end(), {"--seed", "43"});
    return args;
  }()});
  const auto a = first_alerts(first, 20);
  EXPECT_EQ(a, first_alerts(second, 20));
  EXPECT_NE(a, first_alerts(third, 20));
}

TEST(UwSimData, ReplayPlaysEnvelopesAndRawLinesInOrderAndLoops) {
  TempDir dir;
  const auto file = dir.write("session.jsonl",
                              R"({"channel":"news","timestamp":"2024-09-18T14:30:00.000Z","data":{"n":1}})"
                              "\n"
                              R"({"channel":"price:SPY","timestamp":"2024-09-18T14:30:00.100Z","data":{"close":"1"}})"
                              "\n"
                              R"(["news",{"n":2}])"
                              "\n"
                              R"({"channel":"news","timestamp":"2024-09-18T14:30:00.500Z","data":{"n":3}})"
                              "\n");
  const auto messages = load_recording(file);
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[1].offset_ms, 100);
  EXPECT_EQ(messages[2].offset_ms, 200);
  EXPECT_EQ(messages[3].offset_ms, 500);
  UwSimProcess sim({.extra_args = {"--replay", file.string(), "--replay-speed", "5"}});
  WsTestClient client(sim.port());
  ASSERT_TRUE(client.connect()) << client.error();
  client.join("news");
  ASSERT_TRUE(client.wait_ack("news"));
  std::vector<int> seen;
  ASSERT_TRUE(client.read_until(
      [&](const json& message) {
        EXPECT_EQ(message[0], "news");
        seen.push_back(message[1]["n"].get<int>());
        return seen.size() == 7;
      },
      30s));
  // Wherever the loop was when we joined, the order is 1,2,3 repeating.
  for (std::size_t index = 1; index < seen.size(); ++index) EXPECT_EQ(seen[index], seen[index - 1] % 3 + 1);
}

TEST(UwSimData, ReplaysTheSampleRecording) {
  const auto sample = flowmind::testing::source_dir() / "pipelines" / "recordings" / "uw-sample-session.jsonl.gz";
  UwSimProcess sim({.extra_args = {"--replay", sample.string(), "--replay-speed", "20"}});
  WsTestClient client(sim.port());
  ASSERT_TRUE(client.connect()) << client.error();
  client.join("price:SPY");
  client.join("flow-alerts");
  ASSERT_TRUE(client.wait_ack("flow-alerts"));
  int prices = 0;
  int alerts = 0;
  ASSERT_TRUE(client.read_until(
      [&](const json& message) {
        if (message[0] == "price:SPY") {
          ++prices;
          EXPECT_TRUE(message[1]["close"].is_string());
        } else {
          EXPECT_EQ(message[0], "flow-alerts") << message.dump();
          ++alerts;
        }
        return prices >= 5 && alerts >= 2;
      },
      60s));
}

TEST(UwSimData, SampleRecordingLoads) {
  const auto messages =
      load_recording(flowmind::testing::source_dir() / "pipelines" / "recordings" / "uw-sample-session.jsonl.gz");
  ASSERT_GT(messages.size(), 1000u);
  EXPECT_EQ(messages.front().offset_ms, 0);
  EXPECT_GT(messages.back().offset_ms, 60'000);
  EXPECT_TRUE(std::is_sorted(messages.begin(), messages.end(),
                             [](const auto& a, const auto& b) { return a.offset_ms < b.offset_ms; }));
  EXPECT_THROW(load_recording("/nonexistent/file.jsonl"), std::runtime_error);
}

TEST(UwSimCli, BadFlagsExitWithTwo) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--no-such-flag"},
                                             {"--listen", "nonsense"},
                                             {"--listen", "127.0.0.1:99999"},
                                             {"--rate", "flow-alerts"},
                                             {"--rate", "bogus=1"},
                                             {"--rate", "news=-1"},
                                             {"--tickers", "spy"},
                                             {"--fault", "{not json"},
                                             {"--fault", R"({"fault":"unknown"})"},
                                             {"--max-connections-per-token", "0"}}) {
    std::vector<std::string> argv = {uw_sim_executable().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto result = run_process(argv, 10s);
    EXPECT_EQ(result.exit_code, 2) << args[0] << ": " << result.err;
    EXPECT_NE(result.err.find("uw-sim:"), std::string::npos) << result.err;
  }
  const auto help = run_process({uw_sim_executable().string(), "--help"}, 10s);
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--listen"), std::string::npos);
  const auto busy =
      run_process({uw_sim_executable().string(), "--replay", "/nonexistent.jsonl", "--listen", "127.0.0.1:0"}, 10s);
  EXPECT_EQ(busy.exit_code, 1);
  EXPECT_NE(busy.err.find("cannot start"), std::string::npos) << busy.err;
}

TEST(UwSimCli, ParsesIntoConfig) {
  std::ostringstream out;
  std::ostringstream err;
  const char* argv[] = {"uw-sim",    "--listen", "127.0.0.1:0", "--rate",  "news=3.5", "--tickers",
                        "SPY,BRK.B", "--token",  "a",           "--token", "b"};
  const auto parsed = parse_command_line(static_cast<int>(std::size(argv)), argv, out, err);
  ASSERT_TRUE(std::holds_alternative<SimConfig>(parsed)) << err.str();
  const auto& config = std::get<SimConfig>(parsed);
  EXPECT_EQ(config.port, 0);
  EXPECT_EQ(config.rate("news"), 3.5);
  EXPECT_EQ(config.rate("flow-alerts"), default_rates().at("flow-alerts"));
  EXPECT_EQ(config.tickers, (std::vector<std::string>{"SPY", "BRK.B"}));
  EXPECT_EQ(config.tokens, (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace flowmind::uwsim::testing
