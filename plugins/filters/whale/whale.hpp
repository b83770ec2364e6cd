// The whale filter: flags (or keeps only) trades worth at least a threshold, stock and optionally options.
#pragma once

#include <optional>
#include <string>

#include "flowmind/config.hpp"
#include "flowmind/plugin.hpp"
#include "uw/canonical.hpp"
#include "uw/counters.hpp"

namespace flowmind {

class WhaleFilter final : public Filter {
 public:
  explicit WhaleFilter(const Config& config);

  void start(StageContext& ctx) override;
  Verdict process(Event& event, Emitter& out) override;
  // {"whales": n, "small": n, "no_value": n, "dropped": n}
  [[nodiscard]] nlohmann::json status() const override;

  // The threshold that applies to this event, or nothing when the filter does not judge it.
  [[nodiscard]] std::optional<double> threshold(const uw::CanonicalFields& fields) const;

 private:
  double min_value_;
  std::optional<double> options_min_value_;
  bool keep_only_;
  std::string key_;
  std::string value_key_;
  uw::UnreadableCounters unreadable_;
  uw::Tally whales_{"whales"};
  uw::Tally small_{"small"};
  uw::Tally no_value_{"no_value"};
  uw::Tally dropped_{"dropped"};
};

}  // namespace flowmind
