// Registers the whale filter: its config table and factory.
#include <memory>

#include "flowmind/export.hpp"
#include "whale.hpp"

namespace flowmind {
namespace {

class WhaleFactory final : public FilterFactory {
 public:
  WhaleFactory() {
    schema_
        .option("min_value", OptionType::number, "Dark-pool and lit prints worth at least this many dollars are whales")
        .def(1000000)
        .min(0);
    schema_
        .option("options_min_value", OptionType::number,
                "Also judge options flow (alerts, trades, sweeps) with this threshold; unset = options pass unjudged")
        .min(0);
    schema_.option("keep_only", OptionType::boolean, "Drop judged trades that are not whales (or have no value)")
        .def(false);
    schema_.option("annotation", OptionType::string, "Name of the annotation to add (and <name>_value)").def("whale");
  }

  [[nodiscard]] std::string_view name() const override { return "whale"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Flags or keeps trades worth at least a threshold (dark pool, lit, optionally options)";
  }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::vector<ConfigIssue> validate(const Config& config) const override {
    std::vector<ConfigIssue> issues;
    if (config.at("annotation").get<std::string>().empty()) issues.push_back({"annotation", "must not be empty"});
    return issues;
  }
  [[nodiscard]] std::unique_ptr<Filter> create(const Config& config) const override {
    return std::make_unique<WhaleFilter>(config);
  }

 private:
  Schema schema_;
};

}  // namespace
}  // namespace flowmind

FLOWMIND_PLUGIN(flowmind::WhaleFactory)
