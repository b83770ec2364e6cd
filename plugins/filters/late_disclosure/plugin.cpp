// Registers the late_disclosure filter: its config table and factory.
#include <memory>

#include "flowmind/export.hpp"
#include "late_disclosure.hpp"

namespace flowmind {
namespace {

class LateDisclosureFactory final : public FilterFactory {
 public:
  LateDisclosureFactory() {
    schema_.option("max_days", OptionType::integer, "A filing more than this many days after the trade is late")
        .def(45)
        .min(0);
    schema_.option("keep_only", OptionType::boolean, "Drop disclosures that are not late (or have no usable dates)")
        .def(false);
    schema_.option("transaction_field", OptionType::string, "Payload field (dotted path) with the trade date")
        .def("transaction_date");
    schema_.option("filed_field", OptionType::string, "Payload field (dotted path) with the filing date")
        .def("filed_at_date");
    schema_.option("annotation", OptionType::string, "Name of the true/false annotation").def("late");
    schema_.option("delay_annotation", OptionType::string, "Name of the delay-in-days annotation")
        .def("disclosure_delay_days");
  }

  [[nodiscard]] std::string_view name() const override { return "late_disclosure"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Flags congress trades disclosed more than max_days after the transaction";
  }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::vector<ConfigIssue> validate(const Config& config) const override {
    std::vector<ConfigIssue> issues;
    for (const char* key : {"transaction_field", "filed_field", "annotation", "delay_annotation"}) {
      if (config.at(key).get<std::string>().empty()) issues.push_back({key, "must not be empty"});
    }
    return issues;
  }
  [[nodiscard]] std::unique_ptr<Filter> create(const Config& config) const override {
    return std::make_unique<LateDisclosureFilter>(config);
  }

 private:
  Schema schema_;
};

}  // namespace
}  // namespace flowmind

FLOWMIND_PLUGIN(flowmind::LateDisclosureFactory)
