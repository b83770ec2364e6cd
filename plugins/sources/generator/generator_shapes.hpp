// The payload shapes the generator can produce, each a PayloadMaker seeded for reproducibility.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace flowmind {

enum class GeneratorShape { counter, flow_alerts, off_lit_trades };

// Names as written in YAML (`shape: flow-alerts`); the UW shapes are named after their channel.
const char* to_string(GeneratorShape shape);
std::optional<GeneratorShape> parse_generator_shape(std::string_view name);
const std::vector<std::string>& generator_shape_names();
// The channel events get when the config sets none: the shape's UW channel, or "counter".
const char* default_channel(GeneratorShape shape);

// Builds the payload of event number `index` (0-based) executed at `epoch_ms`. Two makers built
// with the same arguments produce the same payloads for the same calls.
class PayloadMaker {
 public:
  virtual ~PayloadMaker() = default;
  virtual nlohmann::json make(std::uint64_t index, std::int64_t epoch_ms) = 0;
};

std::unique_ptr<PayloadMaker> make_payload_maker(GeneratorShape shape, std::uint64_t seed,
                                                 const std::vector<std::string>& tickers);

// The individual shapes (generator_flow_alerts.cpp, generator_off_lit_trades.cpp).
std::unique_ptr<PayloadMaker> make_flow_alert_maker(std::uint64_t seed, const std::vector<std::string>& tickers);
std::unique_ptr<PayloadMaker> make_off_lit_trade_maker(std::uint64_t seed, const std::vector<std::string>& tickers);

}  // namespace flowmind
