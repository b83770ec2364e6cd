// The match filter: keeps (or drops) the events whose payload fields and annotations meet conditions.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "flowmind/config.hpp"
#include "flowmind/plugin.hpp"
#include "match_condition.hpp"

namespace flowmind {

// Checks each condition: field xor annotation, a known op, a value that suits the op.
// Paths are relative to the stage: "conditions/1/value".
std::vector<ConfigIssue> validate_match_config(const Config& config);

class MatchFilter final : public Filter {
 public:
  // Compiles the conditions once; throws PluginError when validate_match_config finds an error.
  explicit MatchFilter(const Config& config);

  void start(StageContext& ctx) override;
  Verdict process(Event& event, Emitter& out) override;
  // {"matched": n, "not_matched": n, "invalid_payload": n}
  [[nodiscard]] nlohmann::json status() const override;

  // True when the event meets the conditions (all or any of them). A payload that is not JSON
  // never matches.
  [[nodiscard]] bool matches(const Event& event);

 private:
  std::vector<MatchCondition> conditions_;
  bool any_ = false;            // mode: any (else all)
  bool keep_matching_ = true;   // action: keep (else drop)
  bool reads_payload_ = false;  // some condition looks at the payload
  Counter* invalid_payload_counter_ = nullptr;
  std::atomic<std::uint64_t> matched_{0};
  std::atomic<std::uint64_t> not_matched_{0};
  std::atomic<std::uint64_t> invalid_payload_{0};
};

}  // namespace flowmind
