// Registers the uw_rest source: its config table and factory.
#include "flowmind/export.hpp"
#include "uw_rest.hpp"

namespace flowmind {
namespace {

class UwRestFactory final : public SourceFactory {
 public:
  [[nodiscard]] std::string_view name() const override { return "uw_rest"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Polls a UW REST endpoint (congress trades, dark-pool prints, ...) and emits each new record once";
  }
  [[nodiscard]] const Schema& schema() const override { return uw_rest::uw_rest_schema(); }
  [[nodiscard]] std::vector<ConfigIssue> validate(const Config& config) const override {
    return uw_rest::validate_uw_rest(config);
  }
  [[nodiscard]] std::unique_ptr<Source> create(const Config& config) const override {
    return std::make_unique<uw_rest::UwRestSource>(config);
  }
};

}  // namespace
}  // namespace flowmind

FLOWMIND_PLUGIN(flowmind::UwRestFactory)
