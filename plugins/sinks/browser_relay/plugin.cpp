// Registers the browser_relay sink: its config table and factory.
#include "browser_relay_sink.hpp"
#include "flowmind/export.hpp"
#include "relay_options.hpp"

namespace flowmind {
namespace {

class BrowserRelayFactory final : public SinkFactory {
 public:
  BrowserRelayFactory() { browser_relay::describe_options(schema_); }

  [[nodiscard]] std::string_view name() const override { return "browser_relay"; }
  [[nodiscard]] std::string_view summary() const override {
    return "WebSocket and HTTP server for browsers (dashboard, FlowMind stream API), shared by every pipeline on "
           "one address";
  }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::vector<ConfigIssue> validate(const Config& config) const override {
    return browser_relay::validate_options(config);
  }
  [[nodiscard]] std::unique_ptr<Sink> create(const Config& config) const override {
    return std::make_unique<browser_relay::BrowserRelaySink>(browser_relay::read_options(config));
  }

 private:
  Schema schema_;
};

}  // namespace
}  // namespace flowmind

FLOWMIND_PLUGIN(flowmind::BrowserRelayFactory)
