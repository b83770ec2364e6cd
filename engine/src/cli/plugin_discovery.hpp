// Loads the plugins of the search path for a subcommand and reports the refused ones on stderr.
#pragma once

#include "cli/commands.hpp"
#include "loader/plugin_registry.hpp"

namespace flowmind::cli {

// Loads every plugin of the search path (--plugin-dir, FLOWMIND_PLUGIN_PATH, defaults) and logs
// each refusal as an error. The registry never unloads what it loaded.
void load_plugins(PluginRegistry& registry, const GlobalOptions& global);

}  // namespace flowmind::cli
