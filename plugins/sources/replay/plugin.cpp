// Registers the replay source: its config table and factory.
#include "flowmind/export.hpp"
#include "replay.hpp"

namespace flowmind {
namespace {

class ReplayFactory final : public SourceFactory {
 public:
  [[nodiscard]] std::string_view name() const override { return "replay"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Plays back recordings (file_writer JSONL or raw captures, .gz too) at their recorded pace or faster";
  }
  [[nodiscard]] const Schema& schema() const override { return replay_schema(); }
  [[nodiscard]] std::vector<ConfigIssue> validate(const Config& config) const override {
    return validate_replay(config);
  }
  [[nodiscard]] std::unique_ptr<Source> create(const Config& config) const override {
    return std::make_unique<ReplaySource>(config);
  }
};

}  // namespace
}  // namespace flowmind

FLOWMIND_PLUGIN(flowmind::ReplayFactory)
