// Loads plugin libraries (version and ABI checked first), keeps them loaded forever, finds factories.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "config/plugin_catalog.hpp"

namespace flowmind {

struct LoadedPlugin {
  const Factory* factory = nullptr;
  std::filesystem::path file;  // empty for factories linked into the executable
  int sdk_major = 0;
  int sdk_minor = 0;
  std::string abi_tag;
};

struct PluginLoadError {
  std::filesystem::path file;
  std::string message;  // names the file and, for version/ABI refusals, both versions
};

class PluginRegistry : public PluginCatalog {
 public:
  // Loads one library. Checks, in order: the three extern "C" symbols exist, same SDK major,
  // plugin minor <= engine minor, same ABI tag; only then imports the factory. Refuses a name
  // already taken. Returns false and records an error on refusal. A file already loaded
  // (same canonical path) is skipped silently.
  bool load_file(const std::filesystem::path& file);
  // Loads every flowmind-*.so directly inside `directory`, in name order.
  void load_directory(const std::filesystem::path& directory);
  // Loads every directory of the search path, in order.
  void load_search_path(const std::vector<std::filesystem::path>& directories);
  // Registers a factory linked into this executable (used by tests).
  bool add(const Factory& factory);

  [[nodiscard]] const Factory* find(std::string_view name) const override;
  [[nodiscard]] std::vector<std::string> names() const override;
  [[nodiscard]] const std::vector<LoadedPlugin>& plugins() const { return plugins_; }
  [[nodiscard]] const std::vector<PluginLoadError>& errors() const { return errors_; }

 private:
  std::vector<LoadedPlugin> plugins_;
  std::vector<PluginLoadError> errors_;
  std::vector<std::filesystem::path> loaded_files_;
};

// The plugin directories, in search order, existing ones only, without duplicates:
// each --plugin-dir, each entry of FLOWMIND_PLUGIN_PATH (colon-separated), the folder beside
// the executable (<exe>/../lib/flowmind/plugins: build tree and install tree alike), and the
// configured install folder.
std::vector<std::filesystem::path> plugin_search_path(const std::vector<std::filesystem::path>& cli_directories);

}  // namespace flowmind
