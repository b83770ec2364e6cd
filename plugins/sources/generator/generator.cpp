// The generator source: config reading, validation, and the paced emit loop.
#include "generator.hpp"

#include <chrono>
#include <cmath>

namespace flowmind {
namespace {

bool valid_ticker(const std::string& ticker) {
  if (ticker.empty() || ticker.size() > 7) return false;
  std::size_t letters = 0;
  for (char c : ticker) {
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      ++letters;
    } else if (c != '.') {
      return false;
    }
  }
  return letters >= 1 && letters <= 6;  // the OCC root (dots removed) has at most 6 characters
}

// A source that falls this far behind its schedule (a blocked emit) starts a new schedule
// instead of bursting to catch up.
constexpr auto max_lag = std::chrono::seconds(1);

}  // namespace

const char* to_string(GeneratorClock clock) {
  switch (clock) {
    case GeneratorClock::wall: return "wall";
    case GeneratorClock::simulated: return "simulated";
  }
  return "?";
}

const std::vector<std::string>& default_generator_tickers() {
  static const std::vector<std::string> tickers = {"SPY",  "QQQ",  "IWM",  "AAPL",  "MSFT", "NVDA",
                                                   "TSLA", "AMZN", "META", "GOOGL", "AMD",  "NFLX"};
  return tickers;
}

std::vector<ConfigIssue> validate_generator_config(const Config& config) {
  std::vector<ConfigIssue> issues;
  if (config.has("tickers")) {
    const auto& tickers = config.at("tickers");
    if (!tickers.is_array() || tickers.empty()) {
      issues.push_back({"tickers", "needs at least one ticker"});
    } else {
      for (std::size_t i = 0; i < tickers.size(); ++i) {
        if (!tickers[i].is_string() || !valid_ticker(tickers[i].get<std::string>())) {
          issues.push_back({"tickers/" + std::to_string(i),
                            "'" + (tickers[i].is_string() ? tickers[i].get<std::string>() : tickers[i].dump()) +
                                "' is not a ticker symbol (1 to 6 upper-case letters or digits, dots allowed)"});
        }
      }
    }
  }
  if (config.has("channel") && config.at("channel").is_string() && config.at("channel").get<std::string>().empty()) {
    issues.push_back({"channel", "must not be empty (leave it out to use the shape's channel)"});
  }
  if (config.has("shape") && config.at("shape").is_string() &&
      !parse_generator_shape(config.at("shape").get<std::string>())) {
    issues.push_back({"shape", "unknown shape '" + config.at("shape").get<std::string>() + "'"});
  }
  if (config.has("clock") && config.at("clock") != "wall" && config.at("clock") != "simulated") {
    issues.push_back({"clock", "must be wall or simulated"});
  }
  return issues;
}

GeneratorOptions GeneratorOptions::from_config(const Config& config) {
  const auto issues = validate_generator_config(config);
  if (!issues.empty()) throw PluginError("generator: " + issues.front().path + ": " + issues.front().message);

  GeneratorOptions options;
  options.rate = config.number("rate");
  if (!(options.rate >= 0) || !std::isfinite(options.rate)) throw PluginError("generator: rate must be >= 0");
  const auto count = config.integer("count");
  if (count < 0) throw PluginError("generator: count must be >= 0");
  options.count = static_cast<std::uint64_t>(count);
  options.seed = static_cast<std::uint64_t>(config.integer("seed"));
  options.shape = *parse_generator_shape(config.string("shape"));
  options.channel = config.has("channel") ? config.string("channel") : default_channel(options.shape);
  options.tickers = config.get<std::vector<std::string>>("tickers");
  options.clock = config.string("clock") == "simulated" ? GeneratorClock::simulated : GeneratorClock::wall;
  return options;
}

GeneratorSource::GeneratorSource(const Config& config) : options_(GeneratorOptions::from_config(config)) {}

void GeneratorSource::run(SourceContext& ctx) {
  using SteadyClock = std::chrono::steady_clock;
  auto maker = make_payload_maker(options_.shape, options_.seed, options_.tickers);
  const bool paced = options_.rate > 0;
  // Deadlines are absolute (schedule start + index / rate), so sleeping late never adds drift.
  auto schedule_start = SteadyClock::now();
  std::uint64_t schedule_index = 0;

  for (std::uint64_t index = 0; options_.count == 0 || index < options_.count; ++index) {
    if (paced) {
      const auto offset =
          std::chrono::nanoseconds(std::llround(static_cast<double>(index - schedule_index) * 1e9 / options_.rate));
      const auto deadline = schedule_start + std::chrono::duration_cast<SteadyClock::duration>(offset);
      auto now = SteadyClock::now();
      while (now < deadline) {
        if (ctx.wait_for_stop(deadline - now)) return;
        now = SteadyClock::now();
      }
      if (now - deadline > max_lag) {
        schedule_start = now;
        schedule_index = index;
      }
    }
    if (ctx.stopping()) return;

    std::int64_t epoch_ms = 0;
    if (options_.clock == GeneratorClock::simulated) {
      const double interval_ms = paced ? 1000.0 / options_.rate : 1.0;
      epoch_ms = generator_simulated_start_ms + std::llround(static_cast<double>(index) * interval_ms);
    } else {
      epoch_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
              .count();
    }
    if (!ctx.emit(Event::from_json(options_.channel, maker->make(index, epoch_ms)))) return;
    emitted_.fetch_add(1, std::memory_order_relaxed);
  }
}

nlohmann::json GeneratorSource::status() const {
  return {{"emitted", emitted_.load(std::memory_order_relaxed)},
          {"shape", to_string(options_.shape)},
          {"channel", options_.channel}};
}

}  // namespace flowmind
