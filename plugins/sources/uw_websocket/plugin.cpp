// Registers the uw_websocket source: its config table and factory.
#include "flowmind/export.hpp"
#include "uw_options.hpp"
#include "uw_websocket_source.hpp"

namespace flowmind {
namespace {

class UwWebSocketFactory final : public SourceFactory {
 public:
  UwWebSocketFactory() { uw_websocket::describe_options(schema_); }

  [[nodiscard]] std::string_view name() const override { return "uw_websocket"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Unusual Whales WebSocket channels (flow alerts, trades, prices, gex, news), one shared connection per "
           "token";
  }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::vector<ConfigIssue> validate(const Config& config) const override {
    return uw_websocket::validate_options(config);
  }
  [[nodiscard]] std::unique_ptr<Source> create(const Config& config) const override {
    return std::make_unique<uw_websocket::UwWebSocketSource>(uw_websocket::read_options(config));
  }

 private:
  Schema schema_;
};

}  // namespace
}  // namespace flowmind

FLOWMIND_PLUGIN(flowmind::UwWebSocketFactory)
