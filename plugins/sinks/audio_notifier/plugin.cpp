// Registers the audio_notifier sink: its config table and factory.
#include "audio_notifier.hpp"
#include "flowmind/export.hpp"

namespace flowmind {
namespace {

class AudioNotifierFactory final : public SinkFactory {
 public:
  [[nodiscard]] std::string_view name() const override { return "audio_notifier"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Plays a sound, speaks a phrase (espeak-ng) or runs a command per alert; rate limited, never blocks";
  }
  [[nodiscard]] const Schema& schema() const override { return audio_notifier_schema(); }
  [[nodiscard]] std::vector<ConfigIssue> validate(const Config& config) const override {
    return validate_audio_notifier(config);
  }
  [[nodiscard]] std::unique_ptr<Sink> create(const Config& config) const override {
    return std::make_unique<AudioNotifier>(config);
  }
};

}  // namespace
}  // namespace flowmind

FLOWMIND_PLUGIN(flowmind::AudioNotifierFactory)
