// Registers the nats_sink: its config table and factory.
#include "flowmind/export.hpp"
#include "nats_sink.hpp"
#include "nats_sink_options.hpp"

namespace flowmind {
namespace {

class NatsSinkFactory final : public SinkFactory {
 public:
  NatsSinkFactory() { nats_sink::describe_options(schema_); }

  [[nodiscard]] std::string_view name() const override { return "nats_sink"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Publishes each event's wire envelope to NATS (core or JetStream with dedupe IDs) for relay hosts";
  }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::vector<ConfigIssue> validate(const Config& config) const override {
    return nats_sink::validate_options(config);
  }
  [[nodiscard]] std::unique_ptr<Sink> create(const Config& config) const override {
    return std::make_unique<nats_sink::NatsSink>(nats_sink::read_options(config));
  }

 private:
  Schema schema_;
};

}  // namespace
}  // namespace flowmind

FLOWMIND_PLUGIN(flowmind::NatsSinkFactory)
