// Registers the uw_normalize filter: its config table and factory.
#include <memory>

#include "flowmind/export.hpp"
#include "uw_normalize.hpp"

namespace flowmind {
namespace {

class UwNormalizeFactory final : public FilterFactory {
 public:
  UwNormalizeFactory() {
    schema_.option("fields", OptionType::list, "Canonical fields to add as annotations, in this order")
        .items(OptionType::enumeration)
        .values(UwNormalizeFilter::output_names())
        .def(UwNormalizeFilter::default_output_names());
    schema_.option("prefix", OptionType::string, "Prepended to every annotation name (e.g. uw_)").def("");
    schema_.option("time_format", OptionType::enumeration, "How executed_at is written")
        .values({"epoch_ms", "iso8601"})
        .def("epoch_ms");
    schema_
        .option("drop_unreadable", OptionType::boolean,
                "Drop events whose payload is not a JSON object (they are counted either way)")
        .def(false);
  }

  [[nodiscard]] std::string_view name() const override { return "uw_normalize"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Adds canonical UW fields (symbol, option, side, size, price, premium, time) as annotations";
  }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::unique_ptr<Filter> create(const Config& config) const override {
    return std::make_unique<UwNormalizeFilter>(config);
  }

 private:
  Schema schema_;
};

}  // namespace
}  // namespace flowmind

FLOWMIND_PLUGIN(flowmind::UwNormalizeFactory)
