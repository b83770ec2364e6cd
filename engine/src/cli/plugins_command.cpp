// `flowmind plugins [NAME]`: lists discovered plugins, or one plugin's options table.
#include <algorithm>
#include <iomanip>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/plugin_discovery.hpp"
#include "config/did_you_mean.hpp"
#include "schema_doc/schema_doc.hpp"

namespace flowmind::cli {
namespace {

int list_plugins(const PluginRegistry& registry, bool json) {
  auto plugins = registry.plugins();
  std::sort(plugins.begin(), plugins.end(), [](const LoadedPlugin& a, const LoadedPlugin& b) {
    if (a.factory->kind() != b.factory->kind()) return a.factory->kind() < b.factory->kind();
    return a.factory->name() < b.factory->name();
  });
  if (json) {
    auto list = nlohmann::json::array();
    for (const auto& plugin : plugins) {
      list.push_back({{"name", plugin.factory->name()},
                      {"kind", to_string(plugin.factory->kind())},
                      {"summary", plugin.factory->summary()},
                      {"file", plugin.file.string()},
                      {"sdk", std::to_string(plugin.sdk_major) + "." + std::to_string(plugin.sdk_minor)}});
    }
    std::cout << list.dump(2) << '\n';
  } else {
    std::size_t width = 4;
    for (const auto& plugin : plugins) width = std::max(width, plugin.factory->name().size());
    std::cout << std::left << std::setw(static_cast<int>(width) + 2) << "NAME" << std::setw(8) << "KIND"
              << "SUMMARY\n";
    for (const auto& plugin : plugins) {
      std::cout << std::setw(static_cast<int>(width) + 2) << plugin.factory->name() << std::setw(8)
                << to_string(plugin.factory->kind()) << plugin.factory->summary() << '\n';
    }
    if (plugins.empty()) std::cout << "(no plugins found)\n";
  }
  return registry.errors().empty() ? 0 : 1;
}

int describe_plugin(const PluginRegistry& registry, const PluginsOptions& options) {
  const auto* factory = registry.find(*options.name);
  if (factory == nullptr) {
    std::cerr << "error: no plugin named '" << *options.name << "'" << did_you_mean(*options.name, registry.names())
              << "; `flowmind plugins` lists them\n";
    return 1;
  }
  if (options.json) {
    std::cout << factory_to_json(*factory).dump(2) << '\n';
  } else if (options.markdown) {
    std::cout << render_options_markdown(factory->schema());
  } else {
    std::cout << factory->name() << " (" << to_string(factory->kind()) << "): " << factory->summary() << "\n\n"
              << "Options:\n"
              << render_options_text(factory->schema());
    if (factory->kind() == PluginKind::sink) {
      std::cout << "\nEvery sink also takes `buffer: {max_events: 1024, when_full: block|drop_oldest|drop_newest}`.\n";
    }
  }
  return 0;
}

}  // namespace

int plugins_command(const GlobalOptions& global, const PluginsOptions& options) {
  PluginRegistry registry;
  load_plugins(registry, global);
  if (options.name) return describe_plugin(registry, options);
  return list_plugins(registry, options.json);
}

}  // namespace flowmind::cli
