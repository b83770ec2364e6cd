// The premium filter: keeps trades whose premium (value) lies within [min, max].
#pragma once

#include <optional>

#include "flowmind/config.hpp"
#include "flowmind/plugin.hpp"
#include "uw/canonical.hpp"
#include "uw/counters.hpp"

namespace flowmind {

class PremiumFilter final : public Filter {
 public:
  explicit PremiumFilter(const Config& config);

  void start(StageContext& ctx) override;
  Verdict process(Event& event, Emitter& out) override;
  // {"kept": n, "below": n, "above": n, "no_value": n}
  [[nodiscard]] nlohmann::json status() const override;

 private:
  double min_;
  std::optional<double> max_;
  bool keep_missing_;
  uw::UnreadableCounters unreadable_;
  uw::Tally kept_{"kept"};
  uw::Tally below_{"below"};
  uw::Tally above_{"above"};
  uw::Tally no_value_{"no_value"};
};

}  // namespace flowmind
