// Realistic, reproducible UW payloads for the benchmarks (the same file feeds the C++, Python and Node runs).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace flowmind::bench {

// Flow alerts shaped like UW's sample (about 1.1 KB each): varied tickers, calls and puts,
// strikes, expiries, sides (ask-heavy, bid-heavy, mixed), premiums from thousands to millions,
// a quarter with has_sweep, 2-14 trade ids; every third alert has its numbers as strings.
std::vector<std::string> make_flow_alerts(std::size_t count, std::uint64_t seed = 20240918);
// Raw option trades (option_trades channel): a few contracts, fills spread over exchanges.
std::vector<std::string> make_option_trades(std::size_t count, std::uint64_t seed = 7);
// Congress trade records as the REST API returns them (one per event).
std::vector<std::string> make_congress_trades(std::size_t count, std::uint64_t seed = 45);
// price:TICKER payloads for `tickers` symbols; the channel is "price:" + ticker_of(i).
std::vector<std::string> make_prices(std::size_t count, std::uint64_t seed = 11);
const std::string& price_ticker(std::size_t index);

// One payload per line.
void write_lines(const std::filesystem::path& file, const std::vector<std::string>& lines);
std::vector<std::string> read_lines(const std::filesystem::path& file);
std::size_t total_bytes(const std::vector<std::string>& lines);

}  // namespace flowmind::bench
