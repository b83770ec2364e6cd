// Registers the nats_source: its config table and factory.
#include "flowmind/export.hpp"
#include "nats_source.hpp"
#include "nats_source_options.hpp"

namespace flowmind {
namespace {

class NatsSourceFactory final : public SourceFactory {
 public:
  NatsSourceFactory() { nats_source::describe_options(schema_); }

  [[nodiscard]] std::string_view name() const override { return "nats_source"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Events from NATS subjects published by nats_sink (core, queue groups, or a JetStream durable consumer)";
  }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::vector<ConfigIssue> validate(const Config& config) const override {
    return nats_source::validate_options(config);
  }
  [[nodiscard]] std::unique_ptr<Source> create(const Config& config) const override {
    return std::make_unique<nats_source::NatsSource>(nats_source::read_options(config));
  }

 private:
  Schema schema_;
};

}  // namespace
}  // namespace flowmind

FLOWMIND_PLUGIN(flowmind::NatsSourceFactory)
