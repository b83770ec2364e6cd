// What the engine gives a running stage: logging, counters, stop signal, event emission.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "flowmind/event.hpp"

namespace boost::asio {
class io_context;
}

namespace flowmind {

enum class LogLevel { trace, debug, info, warn, error };

// Logs to the engine's log with the pipeline and stage as prefix. Never log secrets.
class Logger {
 public:
  virtual ~Logger() = default;
  virtual void log(LogLevel level, const std::string& message) = 0;
  [[nodiscard]] virtual bool enabled(LogLevel level) const = 0;

  void trace(const std::string& message) { log(LogLevel::trace, message); }
  void debug(const std::string& message) { log(LogLevel::debug, message); }
  void info(const std::string& message) { log(LogLevel::info, message); }
  void warn(const std::string& message) { log(LogLevel::warn, message); }
  void error(const std::string& message) { log(LogLevel::error, message); }
};

// A monotonically increasing, thread-safe counter shown in status and Prometheus metrics.
using Counter = std::atomic<std::uint64_t>;

// Context common to every stage.
class StageContext {
 public:
  virtual ~StageContext() = default;
  [[nodiscard]] virtual const std::string& pipeline_name() const = 0;
  // "source", "filter[2]", "sink[0]", ...
  [[nodiscard]] virtual const std::string& stage_name() const = 0;
  virtual Logger& log() = 0;
  // A named counter of this stage (created on first use; the reference stays valid).
  // Names are snake_case; they appear as flowmind_stage_custom_total{counter="name"}.
  virtual Counter& counter(const std::string& name) = 0;
  // The engine's shared io_context (thread pool). Asynchronous plugins run their I/O on it;
  // nothing posted to it may block.
  virtual boost::asio::io_context& io_context() = 0;
};

// Extra context for sources.
class SourceContext : public StageContext {
 public:
  enum class EmitResult { accepted, full, stopping };

  // Hands an event to the pipeline. When the pipeline's input buffer is full with the `block`
  // policy, waits for room (call it only from the source's own run() thread). Returns false
  // (event not taken) once the pipeline is stopping.
  virtual bool emit(Event event) = 0;
  // Never waits: `full` leaves the event with the caller (block policy only; the drop policies
  // always accept and count their drops). For sources emitting from Asio handlers.
  virtual EmitResult try_emit(Event& event) = 0;
  // True once the engine asked the source to stop.
  [[nodiscard]] virtual bool stopping() const = 0;
  // Sleeps up to `timeout`, waking early when asked to stop; returns stopping().
  virtual bool wait_for_stop(std::chrono::nanoseconds timeout) = 0;
};

// Engine services for sinks that serve consumers of their own (SDK 1.2), e.g. the browser
// relay. The engine's StageContext of a sink implements it; reach it with pipeline_control(ctx),
// which returns null on engines older than SDK 1.2.
class PipelineControl {
 public:
  virtual ~PipelineControl() = default;
  // How many consumers this sink serves right now (connected browsers). The engine sums it over
  // the pipeline's sinks; a pipeline with `on_demand: true` runs its source only while the sum is
  // above zero (stopping it `on_demand_linger` after the sum drops to zero). Thread-safe.
  virtual void set_demand(std::size_t consumers) = 0;
  // Asks the pipeline's source to drop and re-establish its upstream connection (an operator's
  // reconnect button). False when the source has nothing to reconnect or is not running.
  // Thread-safe; never blocks on the source.
  virtual bool request_reconnect() = 0;
  // The pipeline's source as the admin API shows it: {"type", "state": "running" | "idle"
  // (on-demand, no consumers) | "restarting" | "stopped" | "failed", "status": Source::status()}.
  // Thread-safe; for a relay's own status page.
  [[nodiscard]] virtual nlohmann::json source_status() const = 0;
};

inline PipelineControl* pipeline_control(StageContext& ctx) { return dynamic_cast<PipelineControl*>(&ctx); }

// Passed to Filter::process to emit extra events (e.g. a detected sweep) after the current one.
class Emitter {
 public:
  virtual ~Emitter() = default;
  virtual void emit(Event event) = 0;
};

}  // namespace flowmind
