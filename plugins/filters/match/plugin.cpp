// Registers the match filter: its config table and factory.
#include <memory>

#include "flowmind/export.hpp"
#include "match.hpp"

namespace flowmind {
namespace {

class MatchFactory final : public FilterFactory {
 public:
  MatchFactory() {
    auto condition = std::make_shared<Schema>();
    condition->option("field", OptionType::string, "Dotted path into the payload; numbers index arrays (trade_ids.0)");
    condition->option("annotation", OptionType::string,
                      "Dotted path into the annotations added by earlier filters (instead of field)");
    condition->option("op", OptionType::enumeration, "How to compare the value found with `value`")
        .values(match_op_names())
        .def("eq");
    condition->option("value", OptionType::any,
                      "What to compare with: a list for in, true or false for exists (default true)");

    schema_.option("conditions", OptionType::list, "The conditions, each with field or annotation, op and value")
        .items(OptionType::map)
        .fields(condition)
        .required();
    schema_.option("mode", OptionType::enumeration, "Whether all conditions or any one of them must hold")
        .values({"all", "any"})
        .def("all");
    schema_
        .option("action", OptionType::enumeration,
                "keep = only matching events pass; drop = matching events are removed")
        .values({"keep", "drop"})
        .def("keep");
  }

  [[nodiscard]] std::string_view name() const override { return "match"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Keeps or drops events by conditions on payload fields and annotations";
  }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::vector<ConfigIssue> validate(const Config& config) const override {
    return validate_match_config(config);
  }
  [[nodiscard]] std::unique_ptr<Filter> create(const Config& config) const override {
    return std::make_unique<MatchFilter>(config);
  }

 private:
  Schema schema_;
};

}  // namespace
}  // namespace flowmind

FLOWMIND_PLUGIN(flowmind::MatchFactory)
