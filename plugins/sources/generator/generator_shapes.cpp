// Shape names, default channels, and the trivial counter shape.
#include "generator_shapes.hpp"

namespace flowmind {
namespace {

class CounterMaker final : public PayloadMaker {
 public:
  nlohmann::json make(std::uint64_t index, std::int64_t /*epoch_ms*/) override { return {{"n", index}}; }
};

}  // namespace

const char* to_string(GeneratorShape shape) {
  switch (shape) {
    case GeneratorShape::counter: return "counter";
    case GeneratorShape::flow_alerts: return "flow-alerts";
    case GeneratorShape::off_lit_trades: return "off_lit_trades";
  }
  return "?";
}

std::optional<GeneratorShape> parse_generator_shape(std::string_view name) {
  for (auto shape : {GeneratorShape::counter, GeneratorShape::flow_alerts, GeneratorShape::off_lit_trades}) {
    if (name == to_string(shape)) return shape;
  }
  return std::nullopt;
}

const std::vector<std::string>& generator_shape_names() {
  static const std::vector<std::string> names = {to_string(GeneratorShape::counter),
                                                 to_string(GeneratorShape::flow_alerts),
                                                 to_string(GeneratorShape::off_lit_trades)};
  return names;
}

const char* default_channel(GeneratorShape shape) { return to_string(shape); }

std::unique_ptr<PayloadMaker> make_payload_maker(GeneratorShape shape, std::uint64_t seed,
                                                 const std::vector<std::string>& tickers) {
  switch (shape) {
    case GeneratorShape::counter: return std::make_unique<CounterMaker>();
    case GeneratorShape::flow_alerts: return make_flow_alert_maker(seed, tickers);
    case GeneratorShape::off_lit_trades: return make_off_lit_trade_maker(seed, tickers);
  }
  return std::make_unique<CounterMaker>();
}

}  // namespace flowmind
