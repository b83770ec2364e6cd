// `flowmind run`: validates every pipeline, then runs them all in this process until they end.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "admin/admin_server.hpp"
#include "admin/pipeline_api.hpp"
#include "cli/commands.hpp"
#include "cli/file_watcher.hpp"
#include "cli/plugin_discovery.hpp"
#include "cli/signal_watcher.hpp"
#include "config/pipeline_loader.hpp"
#include "config/units.hpp"
#include "log/logging.hpp"
#include "runtime/reloader.hpp"
#include "runtime/runtime.hpp"

namespace flowmind::cli {
namespace {

// Parses --admin-listen; nullopt = off. Throws std::invalid_argument with the reason.
std::optional<AdminOptions> admin_options(const std::string& listen) {
  if (listen == "off") return std::nullopt;
  return parse_listen_address(listen);
}

// The admin token from --admin-token-file, else FLOWMIND_ADMIN_TOKEN; surrounding whitespace
// (a trailing newline) is not part of it. Throws std::runtime_error when the file cannot be read.
std::string admin_token(const std::filesystem::path& file) {
  std::string token;
  if (!file.empty()) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("--admin-token-file: cannot read " + file.string());
    std::ostringstream text;
    text << in.rdbuf();
    token = text.str();
  } else if (const char* value = std::getenv("FLOWMIND_ADMIN_TOKEN")) {
    token = value;
  }
  const auto first = token.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return token.substr(first, token.find_last_not_of(" \t\r\n") - first + 1);
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
  if (admin) {
    try {
      admin->token = admin_token(options.admin_token_file);
    } catch (const std::runtime_error& error) {
      std::cerr << "error: " << error.what() << '\n';
      return 2;
    }
    if (admin->token.empty() && !is_loopback_host(admin->host)) {
      std::cerr << "warning: the admin API listens on " << admin->host
                << " without an admin token: changes through it are refused (set --admin-token-file)\n";
    }
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
  runtime.set_keep_alive(options.watch);
  // Shared with the admin server's handlers, which may outlive this scope by a moment.
  auto reloader = std::make_shared<Reloader>(runtime, registry, options.paths);
  auto pipeline_api = std::make_shared<PipelineApi>(runtime, registry, reloader);
  std::unique_ptr<AdminServer> admin_server;
  if (admin) {
    try {
      AdminBackend backend;
      backend.pipelines = [&runtime] { return runtime.pipelines_status(); };
      backend.metrics = [&runtime] { return runtime.metrics_text(); };
      backend.not_running = [&runtime] { return runtime.not_running(); };
      backend.reconnect = [&runtime](const std::string& name) { return runtime.reconnect(name); };
      backend.handle = [pipeline_api](const AdminRequest& request) { return pipeline_api->handle(request); };
      backend.tap = [&runtime](const std::string& name, std::size_t stage, std::size_t capacity,
                               std::function<void()> wakeup, std::string& error) {
        auto handle = runtime.attach_tap(name, stage, capacity, std::move(wakeup), error);
        return AdminTap{std::move(handle.tap), std::move(handle.detach)};
      };
      admin_server = std::make_unique<AdminServer>(runtime.io_context(), *admin, std::move(backend));
    } catch (const AdminListenError& error) {
      std::cerr << "error: " << error.what() << '\n';
      return 1;
    }
    engine_log().info("admin API on http://{}:{}/ (health, ready, pipelines, metrics, reload, tap)", admin->host,
                      admin_server->port());
  }
  SignalWatcher signals([&runtime] { runtime.request_stop(); }, [reloader] { reloader->reload("signal"); });
  std::unique_ptr<FileWatcher> watcher;
  if (options.watch) {
    watcher = std::make_unique<FileWatcher>(options.paths, [reloader] { reloader->reload("watch"); });
    engine_log().info("watching the pipeline files: a change reloads them");
  }
  engine_log().info("starting {} pipeline(s) on {} thread(s)", loaded.pipelines.size(), runtime_options.threads);
  runtime.start(std::move(loaded.pipelines));
  const int status = runtime.wait();
  watcher.reset();
  if (admin_server) admin_server->stop();
  engine_log().info("all pipelines ended");
  return status;
}

}  // namespace flowmind::cli
