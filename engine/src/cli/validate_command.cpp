// `flowmind validate`: checks pipeline files without starting anything; lists every problem.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/plugin_discovery.hpp"
#include "config/pipeline_loader.hpp"

namespace flowmind::cli {

int validate_command(const GlobalOptions& global, const std::vector<std::filesystem::path>& paths) {
  PluginRegistry registry;
  load_plugins(registry, global);
  const auto result = load_pipelines(paths, registry);
  std::size_t errors = 0;
  std::size_t warnings = 0;
  for (const auto& diagnostic : result.diagnostics) {
    std::cerr << diagnostic.format() << '\n';
    (diagnostic.severity == Diagnostic::Severity::error ? errors : warnings)++;
  }
  if (errors > 0) {
    std::cerr << errors << (errors == 1 ? " error" : " errors");
    if (warnings > 0) std::cerr << ", " << warnings << (warnings == 1 ? " warning" : " warnings");
    std::cerr << '\n';
    return 1;
  }
  std::cout << "ok: " << result.pipelines.size() << (result.pipelines.size() == 1 ? " pipeline" : " pipelines")
            << " valid";
  if (warnings > 0) std::cout << " (" << warnings << (warnings == 1 ? " warning" : " warnings") << ")";
  std::cout << '\n';
  return 0;
}

}  // namespace flowmind::cli
