// Registers the file_writer sink: its config table and factory.
#include "file_writer.hpp"
#include "flowmind/export.hpp"

namespace flowmind {
namespace {

class FileWriterFactory final : public SinkFactory {
 public:
  [[nodiscard]] std::string_view name() const override { return "file_writer"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Writes events to JSON Lines or CSV files, with rotation, gzip, retention and an fsync policy";
  }
  [[nodiscard]] const Schema& schema() const override { return file_writer_schema(); }
  [[nodiscard]] std::vector<ConfigIssue> validate(const Config& config) const override {
    return validate_file_writer(config);
  }
  [[nodiscard]] std::unique_ptr<Sink> create(const Config& config) const override {
    return std::make_unique<FileWriter>(config);
  }
};

}  // namespace
}  // namespace flowmind

FLOWMIND_PLUGIN(flowmind::FileWriterFactory)
