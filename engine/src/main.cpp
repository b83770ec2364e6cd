// flowmind: the command-line entry point (run, validate, plugins, test, tap).
#include <csignal>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "flowmind/sdk_version.hpp"
#include "log/logging.hpp"

namespace {

std::string version_text() {
  return std::string("flowmind ") + FLOWMIND_VERSION + " (plugin SDK " + std::to_string(flowmind::sdk_version_major) +
         "." + std::to_string(flowmind::sdk_version_minor) + ", ABI " + flowmind::abi_tag + ")";
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // a closed stdout or socket is an error code, not a death

  CLI::App app{"FlowMind Stream: runs YAML pipelines of source, filter and sink plugins.", "flowmind"};
  app.set_version_flag("--version", version_text());
  app.require_subcommand(1);
  app.fallthrough();  // global options are accepted after the subcommand too

  flowmind::cli::GlobalOptions global;
  app.add_option("--plugin-dir", global.plugin_dirs, "Extra folder of flowmind-*.so plugins (repeatable)")
      ->type_name("DIR");
  app.add_option("--log-level", global.log_level, "trace, debug, info, warn or error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();

  flowmind::cli::RunOptions run;
  auto* run_cmd = app.add_subcommand("run", "Run every pipeline of the given files and folders in one process");
  run_cmd->add_option("paths", run.paths, "Pipeline files or folders")->required()->type_name("FILE|DIR");
  run_cmd->add_option("--threads", run.threads, "I/O threads (default: number of cores)")->check(CLI::Range(1, 256));
  run_cmd->add_option("--admin-listen", run.admin_listen, "Admin API address HOST:PORT, or off")->capture_default_str();
  run_cmd->add_option("--grace-period", run.grace_period, "Longest graceful shutdown before abandoning events")
      ->capture_default_str();
  run_cmd->add_flag("--watch", run.watch, "Reload the pipelines when the files change (also: SIGHUP, POST /reload)");
  run_cmd
      ->add_option("--admin-token-file", run.admin_token_file,
                   "File holding the admin API token (default: FLOWMIND_ADMIN_TOKEN)")
      ->type_name("FILE");

  flowmind::cli::TapOptions tap;
  auto* tap_cmd =
      app.add_subcommand("tap", "Print the events flowing out of a stage of a running pipeline as JSON lines");
  tap_cmd->add_option("pipeline", tap.pipeline, "Pipeline name")->required();
  tap_cmd->add_option("--stage", tap.stage, "0 = source output, N = after filter N (the last = what the sinks get)")
      ->capture_default_str();
  tap_cmd->add_option("--limit", tap.limit, "Stop after this many events (0 = until interrupted)")
      ->capture_default_str();
  tap_cmd->add_option("--admin", tap.admin, "The engine's admin API, HOST:PORT")->capture_default_str();

  std::vector<std::filesystem::path> validate_paths;
  auto* validate_cmd = app.add_subcommand("validate", "Check pipeline files; every error is listed with its place");
  validate_cmd->add_option("paths", validate_paths, "Pipeline files or folders")->required()->type_name("FILE|DIR");

  flowmind::cli::TestOptions test;
  auto* test_cmd = app.add_subcommand("test", "Run pipeline tests: given events through a pipeline's filters, checked");
  test_cmd->add_option("paths", test.paths, "Test files, or folders searched for *.test.yaml")
      ->required()
      ->type_name("FILE|DIR");
  test_cmd->add_option("--case", test.case_filter, "Run only the cases whose name contains this text");
  test_cmd->add_flag("--json", test.json, "Machine-readable report");

  flowmind::cli::PluginsOptions plugins;
  auto* plugins_cmd = app.add_subcommand("plugins", "List the discovered plugins, or show one plugin's options");
  plugins_cmd->add_option("name", plugins.name, "Plugin to describe");
  plugins_cmd->add_flag("--json", plugins.json, "Machine-readable output");
  plugins_cmd->add_flag("--markdown", plugins.markdown, "The options table as Markdown (for READMEs)");

  CLI11_PARSE(app, argc, argv);

  flowmind::init_logging(*flowmind::parse_log_level(global.log_level));
  try {
    if (*run_cmd) return flowmind::cli::run_command(global, run);
    if (*validate_cmd) return flowmind::cli::validate_command(global, validate_paths);
    if (*plugins_cmd) return flowmind::cli::plugins_command(global, plugins);
    if (*test_cmd) return flowmind::cli::test_command(global, test);
    if (*tap_cmd) return flowmind::cli::tap_command(tap);
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << '\n';
    return 1;
  }
  return 2;
}
