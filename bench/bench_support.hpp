// What the benchmarks give the filters: a StageContext with counters, a counting Emitter, configs.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "flowmind/config.hpp"
#include "flowmind/context.hpp"

namespace flowmind::bench {

class NullLogger final : public Logger {
 public:
  void log(LogLevel /*level*/, const std::string& /*message*/) override {}
  [[nodiscard]] bool enabled(LogLevel /*level*/) const override { return false; }
};

class BenchContext final : public StageContext {
 public:
  [[nodiscard]] const std::string& pipeline_name() const override { return name_; }
  [[nodiscard]] const std::string& stage_name() const override { return stage_; }
  Logger& log() override { return logger_; }
  Counter& counter(const std::string& name) override {
    std::lock_guard lock(mutex_);
    return counters_[name];
  }
  boost::asio::io_context& io_context() override { return io_; }

 private:
  std::string name_ = "bench";
  std::string stage_ = "filter";
  NullLogger logger_;
  std::mutex mutex_;
  std::map<std::string, Counter> counters_;
  boost::asio::io_context io_;
};

// Counts and discards what a filter emits (sweeps, snapshots).
class CountingEmitter final : public Emitter {
 public:
  void emit(Event event) override {
    ++emitted;
    bytes += event.raw().size();
  }
  std::uint64_t emitted = 0;
  std::uint64_t bytes = 0;
};

// Each filter's config as the engine hands it over: every schema default, durations in ns.
inline Config config_of(nlohmann::json values, const nlohmann::json& overrides = nlohmann::json::object()) {
  for (const auto& [key, value] : overrides.items()) values[key] = value;
  return Config(std::move(values));
}

inline nlohmann::json uw_normalize_defaults() {
  return {{"fields", {"symbol", "option_kind", "strike", "expiry", "side", "size", "price", "premium", "executed_at"}},
          {"prefix", ""},
          {"time_format", "epoch_ms"},
          {"drop_unreadable", false}};
}
inline nlohmann::json sentiment_defaults() {
  return {{"dominance", 1.5}, {"keep", nlohmann::json::array()}, {"use_tags", true}, {"annotation", "sentiment"}};
}
inline nlohmann::json sweep_defaults() {
  return {{"min_exchanges", 3},  {"window", 500'000'000}, {"max_contracts", 10000}, {"max_fills", 64},
          {"channel", "sweeps"}, {"keep_only", false},    {"annotation", "sweep"}};
}
inline nlohmann::json whale_defaults() {
  return {{"min_value", 1000000}, {"keep_only", false}, {"annotation", "whale"}};
}
inline nlohmann::json premium_defaults() { return {{"min", 0}, {"on_missing", "drop"}}; }
inline nlohmann::json late_disclosure_defaults() {
  return {{"max_days", 45},
          {"keep_only", false},
          {"transaction_field", "transaction_date"},
          {"filed_field", "filed_at_date"},
          {"annotation", "late"},
          {"delay_annotation", "disclosure_delay_days"}};
}
inline nlohmann::json symbols_defaults() {
  return {{"allow", nlohmann::json::array()},
          {"deny", nlohmann::json::array()},
          {"reload_interval", 1'000'000'000},
          {"on_missing", "keep"}};
}
inline nlohmann::json movers_defaults() {
  return {{"reference", "first"},         {"max_symbols", 5000}, {"snapshot_interval", 0}, {"top", 10},
          {"snapshot_channel", "movers"}, {"prefix", ""}};
}
inline nlohmann::json enrich_defaults() {
  return {{"key_column", ""},  {"columns", nlohmann::json::array()}, {"prefix", ""}, {"case_sensitive", false},
          {"on_miss", "keep"}, {"reload_interval", 5'000'000'000LL}};
}
inline nlohmann::json dedupe_defaults() {
  return {{"key", nlohmann::json::array()},
          {"window", 60'000'000'000LL},
          {"max_keys", 100000},
          {"per_channel", true},
          {"refresh", false}};
}

}  // namespace flowmind::bench
