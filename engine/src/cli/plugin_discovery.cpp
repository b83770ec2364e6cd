// Loads the plugins of the search path for a subcommand and reports the refused ones on stderr.
#include "cli/plugin_discovery.hpp"

#include "log/logging.hpp"

namespace flowmind::cli {

void load_plugins(PluginRegistry& registry, const GlobalOptions& global) {
  const auto directories = plugin_search_path(global.plugin_dirs);
  if (directories.empty()) engine_log().warn("no plugin folder found (use --plugin-dir or FLOWMIND_PLUGIN_PATH)");
  for (const auto& directory : directories) engine_log().debug("plugin folder: {}", directory.string());
  registry.load_search_path(directories);
  for (const auto& error : registry.errors()) engine_log().error("plugin refused: {}", error.message);
}

}  // namespace flowmind::cli
