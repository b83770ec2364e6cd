// Test helpers for the match filter: a StageContext with real counters, configs, events.
#pragma once

#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "flowmind/config.hpp"
#include "flowmind/context.hpp"
#include "flowmind/event.hpp"

namespace flowmind::testing {

class RecordingStageContext final : public StageContext {
 public:
  class NullLogger final : public Logger {
   public:
    void log(LogLevel /*level*/, const std::string& /*message*/) override {}
    [[nodiscard]] bool enabled(LogLevel /*level*/) const override { return false; }
  };

  [[nodiscard]] const std::string& pipeline_name() const override { return pipeline_; }
  [[nodiscard]] const std::string& stage_name() const override { return stage_; }
  Logger& log() override { return logger_; }
  Counter& counter(const std::string& name) override {
    std::lock_guard lock(mutex_);
    return counters_.try_emplace(name, 0).first->second;
  }
  boost::asio::io_context& io_context() override { return io_context_; }

  // 0 for a counter never created.
  std::uint64_t value(const std::string& name) {
    std::lock_guard lock(mutex_);
    auto it = counters_.find(name);
    return it == counters_.end() ? 0 : it->second.load();
  }

 private:
  std::string pipeline_ = "test";
  std::string stage_ = "filter[0]";
  NullLogger logger_;
  boost::asio::io_context io_context_;
  std::mutex mutex_;
  std::map<std::string, Counter> counters_;
};

// The match filter never emits extra events: any call is a bug.
class FailingEmitter final : public Emitter {
 public:
  void emit(Event /*event*/) override { throw std::logic_error("match emitted an extra event"); }
};

// A config as the engine builds it: schema defaults (mode all, action keep) filled in.
inline Config match_config(const nlohmann::json& conditions, const std::string& mode = "all",
                           const std::string& action = "keep") {
  return Config({{"conditions", conditions}, {"mode", mode}, {"action", action}});
}

inline Event payload_event(const nlohmann::json& payload) { return Event("flow-alerts", payload.dump()); }

}  // namespace flowmind::testing
