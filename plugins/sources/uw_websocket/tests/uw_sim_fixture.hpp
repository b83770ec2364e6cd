// Helpers for tests against a real uw-sim process: a quiet simulator (data only on /_sim/emit),
// options pointing at it, and polling of its client log.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "uw_options.hpp"
#include "uw_sim_process.hpp"

namespace flowmind::uw_websocket::testing {

using flowmind::testing::UwSimProcess;
using flowmind::testing::wait_until;
using namespace std::chrono_literals;

// Generous: tests poll for outcomes and never assert on timing.
inline constexpr std::chrono::milliseconds patience{20000};

// A simulator that sends nothing by itself, so every message a test sees is one it emitted.
inline UwSimProcess::Options quiet_sim(std::vector<std::string> extra = {}, bool tls = false) {
  UwSimProcess::Options options;
  options.tls = tls;
  for (const char* channel : {"flow-alerts", "option_trades", "off_lit_trades", "lit_trades", "price", "gex",
                              "gex_strike", "gex_strike_expiry", "news", "market_tide", "net_flow", "interval_flow",
                              "trading_halts", "contract_screener", "custom_alerts"}) {
    options.extra_args.push_back("--rate");
    options.extra_args.push_back(std::string(channel) + "=0");
  }
  for (auto& arg : extra) options.extra_args.push_back(std::move(arg));
  return options;
}

// Fast reconnects and health checks, so that tests finish quickly.
inline Options sim_options(const UwSimProcess& sim, std::vector<std::string> channels,
                           const std::string& token = "test-token", const std::string& host = "127.0.0.1") {
  Options options;
  options.url = std::string(sim.tls() ? "wss" : "ws") + "://" + host + ":" + std::to_string(sim.port()) + "/socket";
  options.token = token;
  options.channels = std::move(channels);
  if (sim.tls()) options.ca_file = sim.ca_file().string();
  options.connect_timeout = 5s;
  options.ack_timeout = 3s;
  options.join_retries = 2;
  options.ping_after = 30s;
  options.pong_timeout = 10s;
  options.reconnect_initial = 50ms;
  options.reconnect_max = 400ms;
  options.reconnect_jitter = 0.2;
  options.queue_limit = 1000;
  return options;
}

inline nlohmann::json connections(const UwSimProcess& sim) { return sim.log().at("connections"); }

// Connections whose upgrade succeeded.
inline std::vector<nlohmann::json> accepted(const UwSimProcess& sim) {
  std::vector<nlohmann::json> out;
  for (const auto& connection : connections(sim)) {
    if (connection.value("status", 0) == 101) out.push_back(connection);
  }
  return out;
}

inline std::size_t count_of(const nlohmann::json& list, const std::string& value) {
  std::size_t n = 0;
  for (const auto& item : list) n += item == value ? 1 : 0;
  return n;
}

// Every accepted connection's joins (or leaves) together.
inline std::vector<std::string> all_of(const UwSimProcess& sim, const char* field) {
  std::vector<std::string> out;
  for (const auto& connection : accepted(sim)) {
    for (const auto& item : connection.at(field)) out.push_back(item.get<std::string>());
  }
  return out;
}

inline bool has_all(const nlohmann::json& list, const std::vector<std::string>& wanted) {
  for (const auto& item : wanted) {
    if (count_of(list, item) == 0) return false;
  }
  return true;
}

}  // namespace flowmind::uw_websocket::testing
