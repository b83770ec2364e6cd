// Registers the premium filter: its config table and factory.
#include <memory>

#include "flowmind/export.hpp"
#include "premium.hpp"

namespace flowmind {
namespace {

class PremiumFactory final : public FilterFactory {
 public:
  PremiumFactory() {
    schema_.option("min", OptionType::number, "Lowest premium (value in dollars) kept, inclusive").def(0).min(0);
    schema_.option("max", OptionType::number, "Highest premium kept, inclusive; unset = no upper bound").min(0);
    schema_.option("on_missing", OptionType::enumeration, "What to do with a trade whose premium cannot be known")
        .values({"drop", "keep"})
        .def("drop");
  }

  [[nodiscard]] std::string_view name() const override { return "premium"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Keeps trades whose premium (or price x size) lies within [min, max]";
  }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::vector<ConfigIssue> validate(const Config& config) const override {
    std::vector<ConfigIssue> issues;
    if (config.has("max") && config.has("min") && config.number("max") < config.number("min")) {
      issues.push_back({"max", "is below min: nothing could pass"});
    }
    return issues;
  }
  [[nodiscard]] std::unique_ptr<Filter> create(const Config& config) const override {
    return std::make_unique<PremiumFilter>(config);
  }

 private:
  Schema schema_;
};

}  // namespace
}  // namespace flowmind

FLOWMIND_PLUGIN(flowmind::PremiumFactory)
