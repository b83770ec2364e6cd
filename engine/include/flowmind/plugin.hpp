// The plugin interfaces: Source, Filter, Sink and the Factory that describes and creates them.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "flowmind/config.hpp"
#include "flowmind/config_schema.hpp"
#include "flowmind/context.hpp"
#include "flowmind/event.hpp"

namespace flowmind {

enum class PluginKind { source, filter, sink };

inline const char* to_string(PluginKind kind) {
  switch (kind) {
    case PluginKind::source: return "source";
    case PluginKind::filter: return "filter";
    case PluginKind::sink: return "sink";
  }
  return "?";
}

// Produces events. run() executes on a thread of its own and returns when the source is done
// (a finite source: the pipeline then drains and finishes) or when ctx.stopping() becomes true.
// An exception out of run() is counted and the source is restarted with exponential backoff.
class Source {
 public:
  virtual ~Source() = default;
  virtual void run(SourceContext& ctx) = 0;
  // Called from another thread to make run() return promptly; ctx.stopping() is already true.
  virtual void stop() {}
  // Asked by an operator (admin API, relay /reconnect): drop and re-establish upstream
  // connections. Returns false if the source has nothing to reconnect.
  virtual bool reconnect() { return false; }
  // Plugin-specific status shown by the admin API (null = nothing to add). Thread-safe.
  // An object may carry a "metrics" array that /metrics also exports (SDK 1.1), each item
  // {"name": snake_case, "type": "counter"|"gauge", "help": text, "labels": {k: v}, "value": n},
  // rendered as flowmind_<name>{pipeline=..,stage=..,k=v} n. Same for filters and sinks.
  [[nodiscard]] virtual nlohmann::json status() const { return nullptr; }
};

// Transforms events, in order, on the pipeline's strand (never concurrently for one instance).
class Filter {
 public:
  enum class Verdict { keep, drop };
  virtual ~Filter() = default;
  virtual void start(StageContext& /*ctx*/) {}
  // May read the payload, add annotations, and emit extra events that continue after this
  // filter. Must not block. An exception counts the event as failed; the pipeline goes on.
  virtual Verdict process(Event& event, Emitter& out) = 0;
  virtual void stop() {}
  // Plugin-specific status for the admin API; called from another thread while the filter
  // works, so it must be thread-safe (atomics or a lock).
  [[nodiscard]] virtual nlohmann::json status() const { return nullptr; }
};

// Consumes frozen events. consume() is called in order from one thread at a time.
// A sink whose work blocks (files, processes, terminals) says so with blocking() and then gets
// a thread of its own; otherwise consume() runs on an Asio strand and must not block.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void start(StageContext& /*ctx*/) {}
  virtual void consume(const EventPtr& event) = 0;
  // Called once after the last consume() at shutdown: write out anything buffered.
  virtual void flush() {}
  virtual void stop() {}
  [[nodiscard]] virtual bool blocking() const { return false; }
  // Plugin-specific status for the admin API; thread-safe, like Filter::status().
  [[nodiscard]] virtual nlohmann::json status() const { return nullptr; }
  // Called from another thread when the engine stops waiting (the grace period is over),
  // concurrently with whatever consume(), flush() or stop() is running, e.g. a write retried on
  // a full disk: make them return promptly, counting what is given up. Must be thread-safe.
  // (SDK 1.1: never called on sinks of plugins built for SDK 1.0.)
  virtual void cancel() {}
};

// Thrown by create_*() when a validated config still cannot be used (e.g. a file is missing).
class PluginError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown by Source::run() when retrying cannot help (a rejected token, a forbidden plan): the
// pipeline fails with this message instead of being restarted with backoff. (SDK 1.1)
class FatalSourceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Describes a plugin and creates instances from an already validated config.
class Factory {
 public:
  virtual ~Factory() = default;
  // The YAML `type:` of the plugin (snake_case, unique among loaded plugins).
  [[nodiscard]] virtual std::string_view name() const = 0;
  [[nodiscard]] virtual PluginKind kind() const = 0;
  [[nodiscard]] virtual std::string_view summary() const = 0;
  [[nodiscard]] virtual const Schema& schema() const = 0;
  // Checks beyond the schema table (relations between keys, patterns); runs at validate time.
  [[nodiscard]] virtual std::vector<ConfigIssue> validate(const Config& /*config*/) const { return {}; }

  [[nodiscard]] virtual std::unique_ptr<Source> create_source(const Config& /*config*/) const {
    throw PluginError(std::string(name()) + " is not a source");
  }
  [[nodiscard]] virtual std::unique_ptr<Filter> create_filter(const Config& /*config*/) const {
    throw PluginError(std::string(name()) + " is not a filter");
  }
  [[nodiscard]] virtual std::unique_ptr<Sink> create_sink(const Config& /*config*/) const {
    throw PluginError(std::string(name()) + " is not a sink");
  }
};

// Convenience bases: a plugin overrides name/summary/schema and create().
class SourceFactory : public Factory {
 public:
  [[nodiscard]] PluginKind kind() const final { return PluginKind::source; }
  [[nodiscard]] std::unique_ptr<Source> create_source(const Config& config) const final { return create(config); }
  [[nodiscard]] virtual std::unique_ptr<Source> create(const Config& config) const = 0;
};

class FilterFactory : public Factory {
 public:
  [[nodiscard]] PluginKind kind() const final { return PluginKind::filter; }
  [[nodiscard]] std::unique_ptr<Filter> create_filter(const Config& config) const final { return create(config); }
  [[nodiscard]] virtual std::unique_ptr<Filter> create(const Config& config) const = 0;
};

class SinkFactory : public Factory {
 public:
  [[nodiscard]] PluginKind kind() const final { return PluginKind::sink; }
  [[nodiscard]] std::unique_ptr<Sink> create_sink(const Config& config) const final { return create(config); }
  [[nodiscard]] virtual std::unique_ptr<Sink> create(const Config& config) const = 0;
};

}  // namespace flowmind
