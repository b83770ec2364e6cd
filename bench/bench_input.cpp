// Generators of benchmark payloads: text built directly, numbers as numbers or as strings.
#include "bench_input.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <stdexcept>

namespace flowmind::bench {
namespace {

const std::array<const char*, 20> tickers = {"SPY",  "QQQ",  "IWM",  "DIA",   "AAPL", "MSFT", "NVDA",
                                             "TSLA", "AMZN", "META", "GOOGL", "AMD",  "NFLX", "AVGO",
                                             "PLTR", "SMCI", "COIN", "QID",   "XOM",  "JPM"};
const std::array<double, 20> spot = {562, 478, 218, 416, 220, 430, 118, 243, 186, 537,
                                     160, 152, 701, 165, 36,  43,  185, 19,  118, 210};
const std::array<const char*, 8> exchanges = {"XCBO", "MPRL", "XPHO", "AMXO", "XISX", "GMNI", "EDGO", "BATO"};
const std::array<const char*, 6> rules = {"RepeatedHitsDescendingFill", "RepeatedHits",     "FloorTradeLargeCap",
                                          "SweepsFollowedByFloor",      "OtmEarningsFloor", "LowHistoricVolumeFloor"};

class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  double uniform(double low, double high) { return std::uniform_real_distribution<double>(low, high)(engine_); }
  int integer(int low, int high) { return std::uniform_int_distribution<int>(low, high)(engine_); }
  bool chance(double p) { return uniform(0, 1) < p; }
  std::string uuid() {
    char text[40];
    std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(engine_()),
                  static_cast<unsigned>(engine_() & 0xFFFF), static_cast<unsigned>(engine_() & 0xFFFF),
                  static_cast<unsigned>(engine_() & 0xFFFF),
                  static_cast<unsigned long long>(engine_() & 0xFFFFFFFFFFFFULL));
    return text;
  }

 private:
  std::mt19937_64 engine_;
};

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  std::string out = text;
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  return out;
}

// A number as UW writes it on this channel: bare, or quoted when the alert uses strings.
std::string num(double value, int decimals, bool as_string) {
  const std::string text = fixed(value, decimals);
  return as_string ? "\"" + text + "\"" : text;
}

std::string occ(const char* ticker, int yy, int mm, int dd, bool call, double strike) {
  char text[48];
  std::snprintf(text, sizeof text, "%s%02d%02d%02d%c%08lld", ticker, yy, mm, dd, call ? 'C' : 'P',
                static_cast<long long>(std::llround(strike * 1000)));
  return text;
}

}  // namespace

std::vector<std::string> make_flow_alerts(std::size_t count, std::uint64_t seed) {
  Random random(seed);
  std::vector<std::string> out;
  out.reserve(count);
  std::int64_t time = 1726670212648;
  for (std::size_t i = 0; i < count; ++i) {
    const bool strings = i % 3 == 2;
    const int t = random.integer(0, static_cast<int>(tickers.size()) - 1);
    const double underlying = spot[static_cast<std::size_t>(t)] * random.uniform(0.97, 1.03);
    const bool call = random.chance(0.55);
    const double step = underlying > 200 ? 5 : 1;
    const double strike = std::round(underlying * random.uniform(0.9, 1.1) / step) * step;
    const int day = random.integer(1, 28);
    const int month = random.integer(10, 12);
    const double price = std::max(0.05, std::round(random.uniform(0.05, 0.08) * underlying * 100) / 100);
    // Premium from a few thousand dollars to a few million, log-uniform.
    const double target = std::exp(random.uniform(std::log(5000.0), std::log(5'000'000.0)));
    const int size = std::max(1, static_cast<int>(target / (price * 100)));
    const double premium = std::round(price * size * 100 * random.uniform(0.98, 1.0));
    const double mix = random.uniform(0, 1);
    const double ask_share = mix < 0.45   ? random.uniform(0.8, 1.0)
                             : mix < 0.85 ? random.uniform(0.0, 0.2)
                                          : random.uniform(0.35, 0.65);
    const double ask_prem = std::round(premium * ask_share);
    const double bid_prem = premium - ask_prem;
    const int trades = random.integer(2, 14);
    const std::int64_t start = time;
    time += random.integer(5, 400);
    const int volume = size + random.integer(0, 5000);
    const int oi = random.integer(0, 20000);
    const double bid = std::max(0.01, price - 0.05 * random.uniform(1, 4));

    std::string text;
    text.reserve(1400);
    text +=
        R"({"rule_id":")" + random.uuid() + R"(","rule_name":")" + rules[static_cast<std::size_t>(i % rules.size())];
    text += R"(","ticker":")" + std::string(tickers[static_cast<std::size_t>(t)]);
    text += R"(","option_chain":")" + occ(tickers[static_cast<std::size_t>(t)], 24, month, day, call, strike);
    text += R"(","underlying_price":)" + num(underlying, 3, strings);
    text += R"(,"volume":)" + num(volume, 0, strings);
    text += R"(,"total_size":)" + num(size, 0, strings);
    text += R"(,"total_premium":)" + num(premium, 0, strings);
    text += R"(,"total_ask_side_prem":)" + num(ask_prem, 0, strings);
    text += R"(,"total_bid_side_prem":)" + num(bid_prem, 0, strings);
    text += R"(,"start_time":)" + std::to_string(start);
    text += R"(,"end_time":)" + std::to_string(time);
    text += R"(,"url":"","price":)" + num(price, 2, strings);
    text += R"(,"has_multileg":)" + std::string(random.chance(0.1) ? "true" : "false");
    text += R"(,"has_sweep":)" + std::string(random.chance(0.25) ? "true" : "false");
    text += R"(,"has_floor":)" + std::string(random.chance(0.1) ? "true" : "false");
    text += R"(,"open_interest":)" + num(oi, 0, strings);
    text += R"(,"all_opening_trades":false,"id":")" + random.uuid();
    text +=
        R"(","has_singleleg":true,"volume_oi_ratio":)" + num(oi > 0 ? static_cast<double>(volume) / oi : 0, 4, strings);
    text += R"(,"trade_ids":[)";
    for (int k = 0; k < trades; ++k) text += (k > 0 ? ",\"" : "\"") + random.uuid() + "\"";
    text += R"(],"trade_count":)" + std::to_string(trades);
    text += R"(,"expiry_count":1,"executed_at":)" + std::to_string(time);
    text += R"(,"ask_vol":)" + std::to_string(static_cast<int>(volume * ask_share));
    text += R"(,"bid_vol":)" + std::to_string(static_cast<int>(volume * (1 - ask_share)));
    text += R"(,"no_side_vol":0,"mid_vol":)" + std::to_string(random.integer(0, 20));
    text += R"(,"multi_vol":0,"stock_multi_vol":0,"upstream_condition_details":["auto","slan"],"exchanges":[")";
    text += std::string(exchanges[static_cast<std::size_t>(random.integer(0, 7))]) + R"(",")" +
            exchanges[static_cast<std::size_t>(random.integer(0, 7))];
    text += R"("],"bid":")" + fixed(bid, 2) + R"(","ask":")" + fixed(price, 2) + "\"}";
    out.push_back(std::move(text));
  }
  return out;
}

std::vector<std::string> make_option_trades(std::size_t count, std::uint64_t seed) {
  Random random(seed);
  std::vector<std::string> out;
  out.reserve(count);
  std::int64_t time = 1726670212000;
  for (std::size_t i = 0; i < count; ++i) {
    const int t = random.integer(0, 4);
    const bool call = random.chance(0.5);
    const double strike = std::round(spot[static_cast<std::size_t>(t)] / 5) * 5 + 5 * random.integer(-3, 3);
    const bool ask = random.chance(0.6);
    const double price = std::round(random.uniform(0.5, 12) * 100) / 100;
    const int size = random.integer(1, 200);
    time += random.integer(0, 40);
    std::string text =
        R"({"id":")" + random.uuid() + R"(","underlying_symbol":")" + tickers[static_cast<std::size_t>(t)] +
        R"(","option_symbol":")" + occ(tickers[static_cast<std::size_t>(t)], 24, 10, 18, call, strike) +
        R"(","option_type":")" + (call ? "call" : "put") + R"(","strike":")" + fixed(strike, 1) +
        R"(","expiry":"2024-10-18","price":")" + fixed(price, 2) + R"(","size":)" + std::to_string(size) +
        R"(,"premium":")" + fixed(price * size * 100, 2) + R"(","executed_at":)" + std::to_string(time) +
        R"(,"exchange":")" + exchanges[static_cast<std::size_t>(random.integer(0, 7))] + R"(","tags":[")" +
        (ask ? "ask_side" : "bid_side") + R"(",")" + ((ask == call) ? "bullish" : "bearish") + R"("],"nbbo_bid":")" +
        fixed(price - 0.05, 2) + R"(","nbbo_ask":")" + fixed(price + 0.05, 2) + R"(","volume":)" +
        std::to_string(random.integer(100, 90000)) + "}";
    out.push_back(std::move(text));
  }
  return out;
}

std::vector<std::string> make_congress_trades(std::size_t count, std::uint64_t seed) {
  static const std::array<const char*, 6> names = {"Nancy Pelosi",     "Stephen Cohen",   "Dan Crenshaw",
                                                   "Tommy Tuberville", "Someone Unknown", "Ro Khanna"};
  Random random(seed);
  std::vector<std::string> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const int traded = random.integer(1, 28);
    const int delay = random.integer(2, 90);
    const int filed_day = (traded + delay) % 28 + 1;
    const int filed_month = 2 + (traded + delay) / 28;
    char text[600];
    std::snprintf(text, sizeof text,
                  R"({"amounts":"$15,001 - $50,000","filed_at_date":"2023-%02d-%02d","is_active":true,)"
                  R"("issuer":"not-disclosed","member_type":"house","name":"%s","notes":"","politician_id":"%s",)"
                  R"("reporter":"R.","ticker":"%s","transaction_date":"2023-01-%02d","txn_type":"%s"})",
                  filed_month, filed_day, names[i % names.size()], random.uuid().c_str(),
                  tickers[static_cast<std::size_t>(random.integer(0, 19))], traded,
                  random.chance(0.5) ? "Buy" : "Sell");
    out.emplace_back(text);
  }
  return out;
}

const std::string& price_ticker(std::size_t index) {
  static const std::vector<std::string> names(tickers.begin(), tickers.end());
  return names[index % names.size()];
}

std::vector<std::string> make_prices(std::size_t count, std::uint64_t seed) {
  Random random(seed);
  std::vector<std::string> out;
  out.reserve(count);
  std::vector<double> last(spot.begin(), spot.end());
  std::int64_t time = 1726670327692;
  for (std::size_t i = 0; i < count; ++i) {
    auto& price = last[i % last.size()];
    if (random.chance(0.7)) price = std::round(price * random.uniform(0.999, 1.001) * 100) / 100;
    time += 50;
    out.push_back(R"({"close":")" + fixed(price, 2) + R"(","time":)" + std::to_string(time) + R"(,"vol":)" +
                  std::to_string(6'000'000 + i) + "}");
  }
  return out;
}

void write_lines(const std::filesystem::path& file, const std::vector<std::string>& lines) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + file.string());
  for (const auto& line : lines) out << line << '\n';
}

std::vector<std::string> read_lines(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::size_t total_bytes(const std::vector<std::string>& lines) {
  std::size_t bytes = 0;
  for (const auto& line : lines) bytes += line.size();
  return bytes;
}

}  // namespace flowmind::bench
