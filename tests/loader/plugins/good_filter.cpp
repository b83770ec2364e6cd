// A well-formed test plugin built with the real FLOWMIND_PLUGIN macro: a filter that annotates events.
#include <memory>
#include <string>

#include "flowmind/flowmind.hpp"

namespace {

class StampFilter final : public flowmind::Filter {
 public:
  StampFilter(std::string key, std::string value) : key_(std::move(key)), value_(std::move(value)) {}

  Verdict process(flowmind::Event& event, flowmind::Emitter& /*out*/) override {
    if (event.payload().value("drop", false)) return Verdict::drop;
    event.annotate(key_, value_);
    return Verdict::keep;
  }

 private:
  std::string key_;
  std::string value_;
};

class StampFactory final : public flowmind::FilterFactory {
 public:
  StampFactory() {
    schema_.option("key", flowmind::OptionType::string, "Annotation key").def("stamp");
    schema_.option("value", flowmind::OptionType::string, "Annotation value").required();
  }
  [[nodiscard]] std::string_view name() const override { return "loader_test_stamp"; }
  [[nodiscard]] std::string_view summary() const override { return "Annotates every event (loader test plugin)"; }
  [[nodiscard]] const flowmind::Schema& schema() const override { return schema_; }
  [[nodiscard]] std::unique_ptr<flowmind::Filter> create(const flowmind::Config& config) const override {
    return std::make_unique<StampFilter>(config.string("key"), config.string("value"));
  }

 private:
  flowmind::Schema schema_;
};

}  // namespace

FLOWMIND_PLUGIN(StampFactory)
