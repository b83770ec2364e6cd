// Registers the sweep filter: its config table and factory.
#include <memory>

#include "flowmind/export.hpp"
#include "sweep.hpp"

namespace flowmind {
namespace {

class SweepFactory final : public FilterFactory {
 public:
  SweepFactory() {
    schema_
        .option("min_exchanges", OptionType::integer,
                "Option trades: distinct exchanges the same contract and side must fill on to be a sweep")
        .def(3)
        .range(2, 32);
    schema_.option("window", OptionType::duration, "Option trades: how close in time the fills must be")
        .def("500ms")
        .range("1ms", "1h");
    schema_
        .option("max_contracts", OptionType::integer, "Contract-and-side histories kept; the least recent goes first")
        .def(10000)
        .range(1, 10000000);
    schema_.option("max_fills", OptionType::integer, "Fills kept per contract and side (at least min_exchanges)")
        .def(64)
        .range(2, 4096);
    schema_.option("channel", OptionType::string, "Channel of the sweep events emitted for option trades")
        .def("sweeps");
    schema_
        .option("keep_only", OptionType::boolean,
                "Drop flow alerts that are not sweeps and the raw option trades (emitted sweeps always pass)")
        .def(false);
    schema_.option("annotation", OptionType::string, "Name of the true/false annotation on flow alerts").def("sweep");
  }

  [[nodiscard]] std::string_view name() const override { return "sweep"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Flags flow-alert sweeps; detects sweeps in raw option trades and emits them as events";
  }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::vector<ConfigIssue> validate(const Config& config) const override {
    std::vector<ConfigIssue> issues;
    if (config.integer("max_fills") < config.integer("min_exchanges")) {
      issues.push_back({"max_fills", "must be at least min_exchanges (" + config.at("min_exchanges").dump() + ")"});
    }
    for (const char* key : {"channel", "annotation"}) {
      if (config.string(key).empty()) issues.push_back({key, "must not be empty"});
    }
    return issues;
  }
  [[nodiscard]] std::unique_ptr<Filter> create(const Config& config) const override {
    return std::make_unique<SweepFilter>(config);
  }

 private:
  Schema schema_;
};

}  // namespace
}  // namespace flowmind

FLOWMIND_PLUGIN(flowmind::SweepFactory)
