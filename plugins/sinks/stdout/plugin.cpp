// Registers the stdout sink: its config table and factory.
#include <memory>

#include "flowmind/export.hpp"
#include "stdout.hpp"

namespace flowmind {
namespace {

class StdoutFactory final : public SinkFactory {
 public:
  StdoutFactory() {
    schema_
        .option("format", OptionType::enumeration,
                "envelope = channel, timestamp, data and annotations as JSON; payload = the payload as received")
        .values({"envelope", "payload"})
        .def("envelope");
  }

  [[nodiscard]] std::string_view name() const override { return "stdout"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Writes one line per event to standard output, flushed at once";
  }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::unique_ptr<Sink> create(const Config& config) const override {
    return std::make_unique<StdoutSink>(config);
  }

 private:
  Schema schema_;
};

}  // namespace
}  // namespace flowmind

FLOWMIND_PLUGIN(flowmind::StdoutFactory)
