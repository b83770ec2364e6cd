// Registers the sentiment filter: its config table and factory.
#include <memory>

#include "flowmind/export.hpp"
#include "sentiment.hpp"

namespace flowmind {
namespace {

class SentimentFactory final : public FilterFactory {
 public:
  SentimentFactory() {
    schema_
        .option("dominance", OptionType::number,
                "Flow alerts: one side's premium must be at least this many times the other's, else neutral")
        .def(1.5)
        .min(1);
    schema_
        .option("keep", OptionType::list, "Pass only these sentiments (empty = all); other options events are dropped")
        .items(OptionType::enumeration)
        .values({"bullish", "bearish", "neutral"})
        .def(nlohmann::json::array());
    schema_
        .option("use_tags", OptionType::boolean,
                "Option trades without a known side or kind: use their bullish/bearish tag")
        .def(true);
    schema_.option("annotation", OptionType::string, "Name of the annotation to add").def("sentiment");
  }

  [[nodiscard]] std::string_view name() const override { return "sentiment"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Labels options flow bullish, bearish or neutral from its side and call/put";
  }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::vector<ConfigIssue> validate(const Config& config) const override {
    std::vector<ConfigIssue> issues;
    if (config.at("annotation").get<std::string>().empty()) issues.push_back({"annotation", "must not be empty"});
    return issues;
  }
  [[nodiscard]] std::unique_ptr<Filter> create(const Config& config) const override {
    return std::make_unique<SentimentFilter>(config);
  }

 private:
  Schema schema_;
};

}  // namespace
}  // namespace flowmind

FLOWMIND_PLUGIN(flowmind::SentimentFactory)
