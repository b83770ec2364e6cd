// The sentiment filter: bullish / bearish / neutral for option flow, from side and call/put.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "flowmind/config.hpp"
#include "flowmind/plugin.hpp"
#include "uw/canonical.hpp"
#include "uw/counters.hpp"

namespace flowmind {

enum class Sentiment : std::uint8_t { bullish, bearish, neutral };
const char* to_string(Sentiment sentiment);

class SentimentFilter final : public Filter {
 public:
  explicit SentimentFilter(const Config& config);

  void start(StageContext& ctx) override;
  Verdict process(Event& event, Emitter& out) override;
  // {"bullish": n, "bearish": n, "neutral": n, "dropped": n}
  [[nodiscard]] nlohmann::json status() const override;

  // The sentiment of an options event, or nothing for events that are not options.
  [[nodiscard]] std::optional<Sentiment> classify(const uw::CanonicalFields& fields) const;

 private:
  double dominance_ = 1.5;
  bool use_tags_ = true;
  bool keep_[3] = {true, true, true};  // by Sentiment
  std::string key_;
  uw::UnreadableCounters unreadable_;
  uw::Tally bullish_{"bullish"};
  uw::Tally bearish_{"bearish"};
  uw::Tally neutral_{"neutral"};
  uw::Tally dropped_{"dropped"};
};

}  // namespace flowmind
