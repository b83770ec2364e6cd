// Registers the symbols filter: its config table and factory.
#include <memory>

#include "flowmind/export.hpp"
#include "symbols.hpp"

namespace flowmind {
namespace {

class SymbolsFactory final : public FilterFactory {
 public:
  SymbolsFactory() {
    schema_.option("allow", OptionType::list, "Only these symbols pass (with allow_file: either list)")
        .items(OptionType::string)
        .def(nlohmann::json::array());
    schema_.option("deny", OptionType::list, "These symbols never pass")
        .items(OptionType::string)
        .def(nlohmann::json::array());
    schema_.option("allow_file", OptionType::string,
                   "File of allowed symbols (separated by blanks, commas or lines; # comments)");
    schema_.option("deny_file", OptionType::string, "File of denied symbols, same format");
    schema_
        .option("reload_interval", OptionType::duration,
                "How often to look whether a list file changed (re-read when it did); 0s = never")
        .def("1s")
        .min("0s");
    schema_.option("on_missing", OptionType::enumeration, "What to do with events that have no symbol")
        .values({"keep", "drop"})
        .def("keep");
  }

  [[nodiscard]] std::string_view name() const override { return "symbols"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Allow or deny lists of tickers, inline or from files re-read when they change";
  }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::vector<ConfigIssue> validate(const Config& config) const override {
    std::vector<ConfigIssue> issues;
    const bool any = !config.at("allow").empty() || !config.at("deny").empty() || config.has("allow_file") ||
                     config.has("deny_file");
    if (!any) {
      issues.push_back({"", "no allow or deny list: every event passes", ConfigIssue::Severity::warning});
    }
    for (const char* key : {"allow_file", "deny_file"}) {
      if (config.has(key) && config.string(key).empty()) issues.push_back({key, "must not be empty"});
    }
    return issues;
  }
  [[nodiscard]] std::unique_ptr<Filter> create(const Config& config) const override {
    return std::make_unique<SymbolsFilter>(config);
  }

 private:
  Schema schema_;
};

}  // namespace
}  // namespace flowmind

FLOWMIND_PLUGIN(flowmind::SymbolsFactory)
