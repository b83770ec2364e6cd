// Runs pipelines: one io_context on a thread pool, a strand per filter chain, bounded queues.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/pipeline_spec.hpp"
#include "config/plugin_catalog.hpp"

namespace boost::asio {
class io_context;
}

namespace flowmind {

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
