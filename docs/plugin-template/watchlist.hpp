// The watchlist filter: tags events whose ticker is on a list, optionally drops the others.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <flowmind/flowmind.hpp>

namespace watchlist {

// The options, checked and normalized once; every filter instance shares one read-only copy.
struct WatchlistConfig {
  std::set<std::string> tickers;  // upper case
  bool drop_others = false;

  static WatchlistConfig from(const flowmind::Config& config);
};

// Checks the schema table cannot express: no empty list, no blank ticker.
std::vector<flowmind::ConfigIssue> validate(const flowmind::Config& config);

// The ticker an event is about, upper case: the payload's `ticker`, `symbol` or
// `underlying_symbol` (UW uses all three), else the suffix of channels like `price:SPY`.
std::optional<std::string> event_ticker(const flowmind::Event& event);

class WatchlistFilter final : public flowmind::Filter {
 public:
  explicit WatchlistFilter(std::shared_ptr<const WatchlistConfig> config) : config_(std::move(config)) {}

  Verdict process(flowmind::Event& event, flowmind::Emitter& out) override;
  // Called by the admin API from another thread while process() runs: hence the atomics.
  [[nodiscard]] nlohmann::json status() const override;

 private:
  std::shared_ptr<const WatchlistConfig> config_;
  std::atomic<std::uint64_t> matched_{0};
  std::atomic<std::uint64_t> dropped_{0};
};

}  // namespace watchlist
