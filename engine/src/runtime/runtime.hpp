// Runs pipelines: one io_context on a thread pool, a strand per filter chain, bounded queues.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/pipeline_spec.hpp"
#include "config/plugin_catalog.hpp"
#include "runtime/tap.hpp"

namespace boost::asio {
class io_context;
}

namespace flowmind {

// Where a running pipeline came from: the files of `flowmind run` (a reload re-reads them) or the
// admin API (a reload keeps it).
enum class PipelineOrigin { file, api };

const char* to_string(PipelineOrigin origin);

// What a change of the running set did: names per outcome, or why nothing was done.
struct ApplyResult {
  bool ok = true;
  std::vector<std::string> errors;     // when !ok: nothing was changed
  std::vector<std::string> added;      // started (see `failed` for those that could not start)
  std::vector<std::string> removed;    // draining, then stopped
  std::vector<std::string> changed;    // replaced by a new instance (the old one drains)
  std::vector<std::string> unchanged;  // not touched
  std::vector<std::string> failed;     // added or changed, but the new instance failed to start
};

// A live tap on a running pipeline; `detach` lets go of it (safe after the pipeline ended).
struct TapHandle {
  std::shared_ptr<TapSubscription> tap;
  std::function<void()> detach;
};

struct RuntimeOptions {
  unsigned threads = std::max(1U, std::thread::hardware_concurrency());
  // How long a graceful stop may take (sources stop, queues drain, sinks flush) before the
  // remaining work is abandoned.
  std::chrono::milliseconds grace_period{10000};
  // Backoff of a source whose run() threw: doubles from initial to max.
  std::chrono::milliseconds restart_initial{500};
  std::chrono::milliseconds restart_max{30000};
};

class Runtime {
 public:
  Runtime(RuntimeOptions options, const PluginCatalog& catalog);
  ~Runtime();  // stops everything still running (graceful, bounded by the grace period)
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // The shared io_context; its threads start with the runtime. Other engine parts (the admin
  // server) run on it too.
  boost::asio::io_context& io_context();

  // Creates and starts the pipelines. A pipeline whose plugins fail to create or start is
  // marked failed and logged; the others run.
  void start(std::vector<PipelineSpec> pipelines);

  // Reload of the file pipelines: `wanted` is every pipeline the files define now. Added ones
  // start, removed ones drain and stop, changed ones (other definition) are replaced: the new
  // instance starts before the old one is asked to stop, so shared resources (a relay path, a UW
  // channel) pass from one to the other. Unchanged ones are not touched; API pipelines are kept,
  // and a file pipeline with the name of an API pipeline makes the whole apply fail. Serialized
  // with the other changes below.
  ApplyResult apply_files(std::vector<PipelineSpec> wanted);
  // The admin API's changes. create: fails when the name exists. replace: the same handover as a
  // reload; restart: a replacement by an identical new instance. remove: drain and stop.
  ApplyResult create(PipelineSpec spec);
  ApplyResult replace(PipelineSpec spec);
  ApplyResult restart(const std::string& name);
  ApplyResult remove(const std::string& name);
  // With keep_alive, wait() returns only after a stop request, even when no pipeline runs (a
  // `run --watch` waits for the next reload).
  void set_keep_alive(bool keep_alive);
  // The validated definition of a current pipeline; nullopt = no such pipeline.
  [[nodiscard]] std::optional<PipelineSpec> spec(const std::string& name) const;
  // GET /pipelines/{name}: its entry of pipelines_status(); nullopt = no such pipeline.
  [[nodiscard]] std::optional<nlohmann::json> pipeline_status(const std::string& name) const;

  // Attaches a tap to stage `stage` of the current instance of `name` (see Pipeline::attach_tap);
  // on failure `error` says why (no such pipeline, no such stage) and the handle is empty.
  TapHandle attach_tap(const std::string& name, std::size_t stage, std::size_t capacity, std::function<void()> wakeup,
                       std::string& error);

  // Graceful stop: sources stop, events already accepted drain through the filters to the
  // sinks, sinks flush; bounded by the grace period. Safe from any thread, idempotent.
  void request_stop();
  // Immediate stop: abandons queued events.
  void force_stop();

  // Blocks until every pipeline has finished (finite sources), failed or stopped.
  // Returns 0 when none failed, 1 otherwise.
  int wait();

  // GET /pipelines: [{name, state, uptime_seconds, source_restarts, error?, stages:[{stage,
  // type, in, out, dropped, failed, queue:{max_events, when_full, size}?, counters:{}, status}]}]
  [[nodiscard]] nlohmann::json pipelines_status() const;
  // Prometheus text exposition with pipeline and stage labels.
  [[nodiscard]] std::string metrics_text() const;
  // Asks the pipeline's source to reconnect upstream: nullopt = no such pipeline, false = not
  // running or nothing to reconnect.
  std::optional<bool> reconnect(const std::string& pipeline);
  // Names of pipelines that are not in the running state (for GET /ready).
  [[nodiscard]] std::vector<std::string> not_running() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace flowmind
