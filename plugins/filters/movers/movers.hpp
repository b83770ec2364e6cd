// The movers filter: per-symbol last price vs a reference from price:TICKER, plus top-N snapshots.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "flowmind/config.hpp"
#include "flowmind/plugin.hpp"
#include "uw/counters.hpp"

namespace flowmind {

class MoversFilter final : public Filter {
 public:
  // Reads the reference file when `reference: file`; throws PluginError when it cannot.
  explicit MoversFilter(const Config& config);

  void start(StageContext& ctx) override;
  Verdict process(Event& event, Emitter& out) override;
  // {"symbols": n, "updates": n, "unchanged": n, "snapshots": n, ...}
  [[nodiscard]] nlohmann::json status() const override;

  // One symbol's state as annotated and listed in snapshots.
  struct Mover {
    double reference = 0;
    double last = 0;
    std::optional<double> volume;
    std::int64_t at_ms = 0;
    [[nodiscard]] double change() const { return last - reference; }
    [[nodiscard]] std::optional<double> change_pct() const {
      if (reference <= 0) return std::nullopt;
      return (last - reference) / reference * 100.0;
    }
  };

  // The snapshot payload: {"type":"movers","at":ms,"symbols":n,"gainers":[...],"losers":[...]}.
  [[nodiscard]] nlohmann::json snapshot(std::int64_t at_ms) const;

 private:
  void maybe_snapshot(const Event& event, Emitter& out);
  [[nodiscard]] nlohmann::json describe(const std::string& symbol, const Mover& mover) const;

  bool reference_from_file_;
  std::unordered_map<std::string, double> references_;  // from the file
  std::size_t max_symbols_;
  std::int64_t snapshot_interval_ms_;
  std::size_t top_;
  std::string snapshot_channel_;
  std::string prefix_;
  std::unordered_map<std::string, Mover> movers_;
  std::optional<std::int64_t> last_snapshot_ms_;
  bool updated_since_snapshot_ = false;
  std::atomic<std::size_t> tracked_{0};
  uw::UnreadableCounters unreadable_;
  uw::Tally updates_{"updates"};
  uw::Tally unchanged_{"unchanged"};
  uw::Tally no_price_{"no_price"};
  uw::Tally no_reference_{"no_reference"};
  uw::Tally over_limit_{"over_limit"};
  uw::Tally snapshots_{"snapshots"};
};

}  // namespace flowmind
