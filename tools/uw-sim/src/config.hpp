// The simulator's settings, filled from the command line.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace flowmind::uwsim {

struct SimConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8765;
  bool tls = false;
  std::filesystem::path cert_dir;  // empty: a new temporary folder
  std::uint64_t seed = 1;
  std::map<std::string, double> rates;  // explicit --rate values only
  std::vector<std::string> tickers;
  std::vector<std::string> tokens;  // empty: any non-empty token is accepted
  std::vector<std::string> forbidden_tokens;
  int max_connections_per_token = 3;
  int max_channels_per_connection = 50;
  std::filesystem::path replay_file;
  double replay_speed = 1.0;
  std::vector<nlohmann::json> faults;
  int rest_per_minute = 120;
  int rest_per_day = 15000;
  std::size_t queue_limit = 10000;  // outgoing frames per connection before the oldest is dropped

  // Messages per second for a rate key (a channel name, or the base name of a ticker-scoped one).
  [[nodiscard]] double rate(const std::string& key) const;
};

// The rate keys --rate accepts, with their defaults (per ticker for ticker-scoped channels).
const std::map<std::string, double>& default_rates();

// Tickers watched when --tickers is not given.
const std::vector<std::string>& default_tickers();

}  // namespace flowmind::uwsim
