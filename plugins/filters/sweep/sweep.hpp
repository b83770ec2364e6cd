// The sweep filter: flags flow-alert sweeps and detects sweeps in raw option trades (bounded state).
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <list>
#include <string>
#include <unordered_map>

#include "flowmind/config.hpp"
#include "flowmind/plugin.hpp"
#include "uw/canonical.hpp"
#include "uw/counters.hpp"

namespace flowmind {

class SweepFilter final : public Filter {
 public:
  explicit SweepFilter(const Config& config);

  void start(StageContext& ctx) override;
  Verdict process(Event& event, Emitter& out) override;
  // {"sweeps_detected": n, "flagged_alerts": n, "contracts_tracked": n, "evicted": n, ...}
  [[nodiscard]] nlohmann::json status() const override;

  [[nodiscard]] std::size_t contracts_tracked() const { return clusters_.size(); }

 private:
  struct Fill {
    std::int64_t at_ms = 0;
    uw::ShortText exchange;
    double size = 0;
    double premium = 0;
    double price = 0;
  };
  // Recent fills of one contract on one side.
  struct Cluster {
    std::deque<Fill> fills;
    std::int64_t newest_ms = 0;
    std::int64_t quiet_until_ms = -1;  // fills up to here belong to a sweep already reported
    std::list<std::string>::iterator lru;
  };

  Verdict process_trade(Event& event, const uw::CanonicalFields& fields, Emitter& out);
  Cluster& cluster_for(const std::string& key);
  [[nodiscard]] std::size_t distinct_exchanges(const Cluster& cluster) const;
  [[nodiscard]] Event make_sweep_event(const Event& trigger, const uw::CanonicalFields& fields,
                                       const Cluster& cluster) const;

  std::size_t min_exchanges_;
  std::int64_t window_ms_;
  std::size_t max_contracts_;
  std::size_t max_fills_;
  std::string channel_;
  bool keep_only_;
  std::string key_;
  std::unordered_map<std::string, Cluster> clusters_;
  std::list<std::string> lru_;  // front = most recently used contract
  std::string scratch_key_;
  std::atomic<std::size_t> tracked_{0};  // clusters_.size() for status() on other threads
  uw::UnreadableCounters unreadable_;
  uw::Tally detected_{"sweeps_detected"};
  uw::Tally flagged_{"flagged_alerts"};
  uw::Tally not_sweeps_{"not_sweeps"};
  uw::Tally no_contract_{"no_contract"};
  uw::Tally no_side_{"no_side"};
  uw::Tally no_exchange_{"no_exchange"};
  uw::Tally stale_fills_{"stale_fills"};
  uw::Tally evicted_{"evicted"};
  uw::Tally dropped_{"dropped"};
};

}  // namespace flowmind
