// Registers the enrich filter: its config table and factory.
#include <memory>

#include "enrich.hpp"
#include "flowmind/export.hpp"

namespace flowmind {
namespace {

class EnrichFactory final : public FilterFactory {
 public:
  EnrichFactory() {
    schema_.option("table", OptionType::string, "Lookup table: CSV with a header line, or YAML (.yaml/.yml/.json)")
        .required();
    schema_.option("field", OptionType::string, "Payload field (dotted path) whose value is looked up, e.g. name")
        .required();
    schema_.option("key_column", OptionType::string, "Table column matched against the field (empty = the first)")
        .def("");
    schema_.option("columns", OptionType::list, "Table columns to add as annotations (empty = all but the key)")
        .items(OptionType::string)
        .def(nlohmann::json::array());
    schema_.option("prefix", OptionType::string, "Prepended to each annotation name (e.g. member_)").def("");
    schema_.option("case_sensitive", OptionType::boolean, "Match keys exactly (else case and extra blanks are ignored)")
        .def(false);
    schema_.option("on_miss", OptionType::enumeration, "What to do with events whose value is not in the table")
        .values({"keep", "drop"})
        .def("keep");
    schema_
        .option("reload_interval", OptionType::duration, "How often to look whether the table file changed; 0s = never")
        .def("5s")
        .min("0s");
  }

  [[nodiscard]] std::string_view name() const override { return "enrich"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Joins an event field to a CSV or YAML table and adds its columns as annotations";
  }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::vector<ConfigIssue> validate(const Config& config) const override {
    std::vector<ConfigIssue> issues;
    for (const char* key : {"table", "field"}) {
      if (config.string(key).empty()) issues.push_back({key, "must not be empty"});
    }
    return issues;
  }
  [[nodiscard]] std::unique_ptr<Filter> create(const Config& config) const override {
    return std::make_unique<EnrichFilter>(config);
  }

 private:
  Schema schema_;
};

}  // namespace
}  // namespace flowmind

FLOWMIND_PLUGIN(flowmind::EnrichFactory)
