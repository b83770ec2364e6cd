// The uw_normalize filter: adds the canonical UW fields as annotations, one shape for every channel.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "flowmind/config.hpp"
#include "flowmind/plugin.hpp"
#include "uw/canonical.hpp"
#include "uw/counters.hpp"

namespace flowmind {

class UwNormalizeFilter final : public Filter {
 public:
  // The annotations it can add, in the order of `fields`.
  enum class Output : std::uint8_t {
    symbol,
    option_symbol,
    option_kind,
    strike,
    expiry,
    side,
    size,
    price,
    premium,
    executed_at,
    volume,
    exchange,
  };
  static constexpr std::size_t output_count = static_cast<std::size_t>(Output::exchange) + 1;
  // The names allowed in `fields` (also the annotation names, after `prefix`).
  static const std::vector<std::string>& output_names();
  // The default of `fields`.
  static const std::vector<std::string>& default_output_names();

  explicit UwNormalizeFilter(const Config& config);

  void start(StageContext& ctx) override;
  Verdict process(Event& event, Emitter& out) override;
  // {"normalized": n, "dropped": n}
  [[nodiscard]] nlohmann::json status() const override;

 private:
  void annotate(Event& event, const uw::CanonicalFields& fields) const;

  std::vector<Output> outputs_;
  std::array<std::string, output_count> keys_;  // prefix + name, built once
  std::string premium_computed_key_;
  bool iso_time_ = false;
  bool drop_unreadable_payload_ = false;
  uw::UnreadableCounters unreadable_;
  uw::Tally normalized_{"normalized"};
  uw::Tally dropped_{"dropped"};
};

}  // namespace flowmind
