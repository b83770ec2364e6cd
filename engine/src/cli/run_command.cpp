// `flowmind run`: validates every pipeline, then runs them all in this process until they end.
#include <iostream>
#include <memory>

#include "admin/admin_server.hpp"
#include "cli/commands.hpp"
#include "cli/plugin_discovery.hpp"
#include "cli/signal_watcher.hpp"
#include "config/pipeline_loader.hpp"
#include "config/units.hpp"
#include "log/logging.hpp"
#include "runtime/runtime.hpp"

namespace flowmind::cli {
namespace {

// Parses --admin-listen; nullopt = off. Throws std::invalid_argument with the reason.
std::optional<AdminOptions> admin_options(const std::string& listen) {
  if (listen == "off") return std::nullopt;
  return parse_listen_address(listen);
}

}  // namespace

int run_command(const GlobalOptions& global, const RunOptions& options) {
  RuntimeOptions runtime_options;
  if (options.threads > 0) runtime_options.threads = options.threads;
  const auto grace = parse_duration_ns(options.grace_period);
  if (!grace) {
    std::cerr << "error: --grace-period: '" << options.grace_period << "' is not a duration (e.g. 10s, 500ms)\n";
    return 2;
  }
  runtime_options.grace_period =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::nanoseconds(*grace));
  std::optional<AdminOptions> admin;
  try {
    admin = admin_options(options.admin_listen);
  } catch (const std::invalid_argument& error) {
    std::cerr << "error: --admin-listen: " << error.what() << '\n';
    return 2;
  }

  PluginRegistry registry;
  load_plugins(registry, global);
  auto loaded = load_pipelines(options.paths, registry);
  for (const auto& diagnostic : loaded.diagnostics) std::cerr << diagnostic.format() << '\n';
  if (!loaded.ok()) {
    std::cerr << "error: the pipelines are not valid; nothing was started\n";
    return 1;
  }
  if (loaded.pipelines.empty()) {
    std::cerr << "error: no pipeline to run\n";
    return 1;
  }

  SignalWatcher::block_signals();  // before any thread starts
  Runtime runtime(runtime_options, registry);
  std::unique_ptr<AdminServer> admin_server;
  if (admin) {
    try {
      admin_server = std::make_unique<AdminServer>(
          runtime.io_context(), *admin,
          AdminBackend{[&runtime] { return runtime.pipelines_status(); }, [&runtime] { return runtime.metrics_text(); },
                       [&runtime] { return runtime.not_running(); },
                       [&runtime](const std::string& name) { return runtime.reconnect(name); }});
    } catch (const AdminListenError& error) {
      std::cerr << "error: " << error.what() << '\n';
      return 1;
    }
    engine_log().info("admin API on http://{}:{}/ (health, ready, pipelines, metrics, reconnect)", admin->host,
                      admin_server->port());
  }
  SignalWatcher signals([&runtime] { runtime.request_stop(); });
  engine_log().info("starting {} pipeline(s) on {} thread(s)", loaded.pipelines.size(), runtime_options.threads);
  runtime.start(std::move(loaded.pipelines));
  const int status = runtime.wait();
  if (admin_server) admin_server->stop();
  engine_log().info("all pipelines ended");
  return status;
}

}  // namespace flowmind::cli
