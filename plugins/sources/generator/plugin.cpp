// Registers the generator source: its config table and factory.
#include "flowmind/export.hpp"
#include "generator.hpp"

namespace flowmind {
namespace {

class GeneratorFactory final : public SourceFactory {
 public:
  GeneratorFactory() {
    schema_
        .option("shape", OptionType::enumeration, "What to generate: {\"n\": i}, UW flow alerts or UW dark-pool prints")
        .values(generator_shape_names())
        .def("counter");
    schema_.option("rate", OptionType::number, "Events per second, 0 = as fast as possible")
        .def(10)
        .range(0, 1'000'000);
    schema_.option("count", OptionType::integer, "Stop after this many events, 0 = never stop").def(0).min(0);
    schema_.option("seed", OptionType::integer, "Random seed: the same seed gives the same events").def(42);
    schema_.option("channel", OptionType::string, "Channel of the events")
        .default_doc("the shape name: flow-alerts, off_lit_trades or counter");
    schema_.option("tickers", OptionType::list, "Underlying symbols of flow alerts and dark-pool prints")
        .items(OptionType::string)
        .def(default_generator_tickers());
    schema_
        .option("clock", OptionType::enumeration,
                "Time fields: wall = now; simulated = from 2024-09-18T13:30:00Z, one interval per event")
        .values({"wall", "simulated"})
        .def("wall");
  }

  [[nodiscard]] std::string_view name() const override { return "generator"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Synthetic events (counter, UW flow alerts, dark-pool prints) at a steady rate";
  }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::vector<ConfigIssue> validate(const Config& config) const override {
    return validate_generator_config(config);
  }
  [[nodiscard]] std::unique_ptr<Source> create(const Config& config) const override {
    return std::make_unique<GeneratorSource>(config);
  }

 private:
  Schema schema_;
};

}  // namespace
}  // namespace flowmind

FLOWMIND_PLUGIN(flowmind::GeneratorFactory)
