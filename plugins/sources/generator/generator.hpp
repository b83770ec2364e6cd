// The generator source: emits synthetic events (counter, UW flow alerts, dark-pool prints) at a steady rate.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "flowmind/config.hpp"
#include "flowmind/config_schema.hpp"
#include "flowmind/plugin.hpp"
#include "generator_shapes.hpp"

namespace flowmind {

// Where executed_at and the other time fields come from.
enum class GeneratorClock {
  wall,       // the time of emission: live dashboards show current times
  simulated,  // 2024-09-18T13:30:00Z plus the nominal interval per event: whole events are reproducible
};

// 2024-09-18T13:30:00Z (the US market open) in epoch milliseconds: the simulated clock's start.
inline constexpr std::int64_t generator_simulated_start_ms = 1'726'666'200'000;

const char* to_string(GeneratorClock clock);
const std::vector<std::string>& default_generator_tickers();

// The validated config, read once.
struct GeneratorOptions {
  double rate = 10;         // events per second, 0 = as fast as possible
  std::uint64_t count = 0;  // 0 = unlimited
  std::uint64_t seed = 42;
  GeneratorShape shape = GeneratorShape::counter;
  std::string channel;
  std::vector<std::string> tickers;
  GeneratorClock clock = GeneratorClock::wall;

  // Throws PluginError when the config is invalid (see validate_generator_config).
  static GeneratorOptions from_config(const Config& config);
};

// Checks the schema cannot express: a usable ticker list, a non-empty channel.
std::vector<ConfigIssue> validate_generator_config(const Config& config);

class GeneratorSource final : public Source {
 public:
  explicit GeneratorSource(const Config& config);

  // Emits until `count` events went out, the pipeline stops, or emit() refuses.
  void run(SourceContext& ctx) override;
  // {"emitted": n, "shape": ..., "channel": ...}
  [[nodiscard]] nlohmann::json status() const override;
  [[nodiscard]] const GeneratorOptions& options() const { return options_; }

 private:
  GeneratorOptions options_;
  std::atomic<std::uint64_t> emitted_{0};
};

}  // namespace flowmind
