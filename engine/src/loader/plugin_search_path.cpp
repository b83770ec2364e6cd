// Where plugins are looked for: --plugin-dir, FLOWMIND_PLUGIN_PATH, beside the executable, the install folder.
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "loader/plugin_registry.hpp"

namespace flowmind {
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> split_path_list(std::string_view text) {
  std::vector<fs::path> entries;
  while (!text.empty()) {
    const auto colon = text.find(':');
    const auto entry = text.substr(0, colon);
    if (!entry.empty()) entries.emplace_back(entry);
    if (colon == std::string_view::npos) break;
    text.remove_prefix(colon + 1);
  }
  return entries;
}

}  // namespace

std::vector<fs::path> plugin_search_path(const std::vector<fs::path>& cli_directories) {
  std::vector<fs::path> candidates = cli_directories;
  if (const char* env = std::getenv("FLOWMIND_PLUGIN_PATH")) {
    for (auto& entry : split_path_list(env)) candidates.push_back(std::move(entry));
  }
  std::error_code exe_error;
  const fs::path executable = fs::read_symlink("/proc/self/exe", exe_error);
  // Same relative layout in the build tree (build/bin, build/lib/...) and the install tree.
  if (!exe_error) candidates.push_back(executable.parent_path() / ".." / "lib" / "flowmind" / "plugins");
#ifdef FLOWMIND_INSTALL_PLUGIN_DIR
  candidates.emplace_back(FLOWMIND_INSTALL_PLUGIN_DIR);
#endif

  std::vector<fs::path> directories;
  for (const auto& candidate : candidates) {
    std::error_code error;
    if (!fs::is_directory(candidate, error)) continue;
    auto canonical = fs::canonical(candidate, error);
    if (error) continue;
    bool seen = false;
    for (const auto& kept : directories) seen = seen || kept == canonical;
    if (!seen) directories.push_back(std::move(canonical));
  }
  return directories;
}

}  // namespace flowmind
