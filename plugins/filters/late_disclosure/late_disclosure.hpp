// The late_disclosure filter: congress trades filed more than max_days after the transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "flowmind/config.hpp"
#include "flowmind/plugin.hpp"
#include "uw/counters.hpp"
#include "uw/values.hpp"

namespace flowmind {

class LateDisclosureFilter final : public Filter {
 public:
  explicit LateDisclosureFilter(const Config& config);

  void start(StageContext& ctx) override;
  Verdict process(Event& event, Emitter& out) override;
  // {"late": n, "on_time": n, "undated": n, "dropped": n}
  [[nodiscard]] nlohmann::json status() const override;

 private:
  // The two dates of an event, read by the configured names.
  struct Dates {
    uw::Read<std::int64_t> transaction;
    uw::Read<std::int64_t> filed;
  };
  [[nodiscard]] Dates read_dates(Event& event) const;

  std::int64_t max_days_;
  bool keep_only_;
  std::string transaction_field_;
  std::string filed_field_;
  bool canonical_names_;  // the UW names: read from the canonical fields parsed once
  std::string late_key_;
  std::string delay_key_;
  uw::Tally late_{"late"};
  uw::Tally on_time_{"on_time"};
  uw::Tally undated_{"undated"};
  uw::Tally dropped_{"dropped"};
  uw::Tally unreadable_transaction_{"unreadable_transaction_date"};
  uw::Tally unreadable_filed_{"unreadable_filed_date"};
  uw::Tally filed_before_transaction_{"filed_before_transaction"};
};

}  // namespace flowmind
