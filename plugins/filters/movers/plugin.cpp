// Registers the movers filter: its config table and factory.
#include <memory>

#include "flowmind/export.hpp"
#include "movers.hpp"

namespace flowmind {
namespace {

class MoversFactory final : public FilterFactory {
 public:
  MoversFactory() {
    schema_
        .option("reference", OptionType::enumeration,
                "Reference price: the first price seen since start, or a file of previous closes")
        .values({"first", "file"})
        .def("first");
    schema_.option("reference_file", OptionType::string,
                   "CSV (header, then symbol,price rows) or YAML map symbol: price; needed by reference: file");
    schema_.option("max_symbols", OptionType::integer, "Symbols tracked at most; more pass unannotated")
        .def(5000)
        .range(1, 1000000);
    schema_.option("snapshot_interval", OptionType::duration, "Emit a top gainers/losers event this often; 0s = never")
        .def("0s")
        .min("0s");
    schema_.option("top", OptionType::integer, "Gainers and losers listed in each snapshot").def(10).range(1, 1000);
    schema_.option("snapshot_channel", OptionType::string, "Channel of the snapshot events").def("movers");
    schema_.option("prefix", OptionType::string, "Prepended to every annotation name").def("");
  }

  [[nodiscard]] std::string_view name() const override { return "movers"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Per-symbol change vs a reference from price:TICKER; updates on change, top-N snapshots";
  }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::vector<ConfigIssue> validate(const Config& config) const override {
    std::vector<ConfigIssue> issues;
    const bool file = config.string("reference") == "file";
    if (file && !config.has("reference_file")) issues.push_back({"reference", "file needs reference_file"});
    if (!file && config.has("reference_file")) {
      issues.push_back({"reference_file", "is ignored unless reference: file", ConfigIssue::Severity::warning});
    }
    if (config.string("snapshot_channel").empty()) issues.push_back({"snapshot_channel", "must not be empty"});
    return issues;
  }
  [[nodiscard]] std::unique_ptr<Filter> create(const Config& config) const override {
    return std::make_unique<MoversFilter>(config);
  }

 private:
  Schema schema_;
};

}  // namespace
}  // namespace flowmind

FLOWMIND_PLUGIN(flowmind::MoversFactory)
