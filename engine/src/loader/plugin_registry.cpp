// Loads plugin libraries with Boost.DLL: version and ABI symbols first, then the factory; never unloads.
#include "loader/plugin_registry.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <exception>
#include <optional>
#include <system_error>
#include <utility>

#include <boost/dll/shared_library.hpp>

#include "loader/library_storage.hpp"
#include "loader/plugin_compatibility.hpp"
#include "log/logging.hpp"

namespace flowmind {
namespace fs = std::filesystem;

namespace {

constexpr std::array<const char*, 3> version_symbols = {"flowmind_sdk_version_major", "flowmind_sdk_version_minor",
                                                        "flowmind_abi_tag"};
constexpr const char* factory_symbol = "flowmind_factory";

// The file as the user named it, made absolute so messages are unambiguous.
fs::path shown_path(const fs::path& file) {
  std::error_code error;
  auto absolute = fs::absolute(file, error);
  return error ? file : absolute.lexically_normal();
}

std::string describe_origin(const fs::path& file) {
  return file.empty() ? std::string("a plugin built into the engine") : file.string();
}

bool is_valid_kind(PluginKind kind) {
  switch (kind) {
    case PluginKind::source:
    case PluginKind::filter:
    case PluginKind::sink: return true;
  }
  return false;
}

// Why `factory` cannot join `loaded` (bad kind, empty or taken name), or nullopt.
std::optional<std::string> factory_problem(const Factory& factory, const std::vector<LoadedPlugin>& loaded) {
  std::string name;
  PluginKind kind{};
  try {
    name = std::string(factory.name());
    kind = factory.kind();
  } catch (const std::exception& error) {
    return std::string("the plugin's factory threw when asked for its name or kind: ") + error.what();
  }
  if (name.empty()) return std::string("the plugin's factory has an empty name");
  if (!is_valid_kind(kind)) {
    return "the factory of plugin '" + name + "' has an invalid kind (" + std::to_string(static_cast<int>(kind)) +
           "): expected source, filter or sink";
  }
  for (const auto& other : loaded) {
    if (other.factory->name() == name) {
      return "plugin name '" + name + "' is already taken by " + describe_origin(other.file);
    }
  }
  return std::nullopt;
}

bool is_plugin_file_name(const std::string& name) {
  constexpr std::string_view prefix = "flowmind-";
  constexpr std::string_view suffix = ".so";
  return name.size() > prefix.size() + suffix.size() && name.starts_with(prefix) && name.ends_with(suffix);
}

}  // namespace

bool PluginRegistry::load_file(const fs::path& file) {
  const fs::path shown = shown_path(file);
  std::error_code canonical_error;
  const fs::path canonical = fs::canonical(file, canonical_error);
  if (!canonical_error && std::find(loaded_files_.begin(), loaded_files_.end(), canonical) != loaded_files_.end()) {
    return true;
  }

  auto refuse = [&](const std::string& reason) {
    errors_.push_back({shown, shown.string() + ": " + reason});
    return false;
  };

  boost::dll::shared_library opened;
  boost::dll::fs::error_code open_error;
  // rtld_now: an unresolved symbol is refused here with the loader's message, not a crash later.
  opened.load(shown, open_error, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  if (open_error || !opened.is_loaded()) {
    // Boost.DLL leaves dlerror() set on failure; it holds the dynamic loader's own explanation.
    const char* loader_message = ::dlerror();
    return refuse("cannot load: " + std::string(loader_message != nullptr ? loader_message : open_error.message()));
  }
  const auto& library = keep_loaded_forever(std::move(opened));

  std::string missing;
  for (const char* symbol : version_symbols) {
    if (library.has(symbol)) continue;
    missing += missing.empty() ? "" : ", ";
    missing += symbol;
  }
  if (!missing.empty()) return refuse("not a FlowMind plugin: missing symbol " + missing);

  SdkIdentity plugin;
  try {
    plugin.major = library.get<int()>(version_symbols[0])();
    plugin.minor = library.get<int()>(version_symbols[1])();
    const char* tag = library.get<const char*()>(version_symbols[2])();
    plugin.abi_tag = tag != nullptr ? tag : "";
  } catch (const std::exception& error) {
    return refuse(std::string("cannot read the SDK version: ") + error.what());
  }
  const SdkIdentity engine = engine_sdk_identity();
  if (auto problem = compatibility_problem(plugin, engine)) return refuse(*problem);

  if (!library.has(factory_symbol)) {
    return refuse(std::string("not a FlowMind plugin: missing symbol ") + factory_symbol +
                  " (the FLOWMIND_PLUGIN(...) line of plugin.cpp)");
  }
  const Factory* factory = nullptr;
  try {
    factory = library.get_alias<Factory*()>(factory_symbol)();
  } catch (const std::exception& error) {
    return refuse(std::string("the plugin's factory threw while being created: ") + error.what());
  } catch (...) {
    return refuse("the plugin's factory threw while being created");
  }
  if (factory == nullptr) return refuse("the plugin's factory function returned no factory");

  if (auto problem = factory_problem(*factory, plugins_)) return refuse(*problem);
  plugins_.push_back({factory, shown, plugin.major, plugin.minor, plugin.abi_tag});
  if (!canonical_error) loaded_files_.push_back(canonical);
  engine_log().debug("loaded plugin '{}' ({}) from {}", factory->name(), to_string(factory->kind()), shown.string());
  return true;
}

void PluginRegistry::load_directory(const fs::path& directory) {
  std::vector<fs::path> files;
  std::error_code error;
  for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
    if (!is_plugin_file_name(it->path().filename().string())) continue;
    std::error_code type_error;
    if (it->is_regular_file(type_error)) files.push_back(it->path());  // follows symlinks
  }
  if (error) {
    const fs::path shown = shown_path(directory);
    errors_.push_back({shown, shown.string() + ": cannot read the plugin directory: " + error.message()});
    return;
  }
  std::sort(files.begin(), files.end(),
            [](const fs::path& left, const fs::path& right) { return left.filename() < right.filename(); });
  for (const auto& file : files) load_file(file);
}

void PluginRegistry::load_search_path(const std::vector<fs::path>& directories) {
  for (const auto& directory : directories) load_directory(directory);
}

bool PluginRegistry::add(const Factory& factory) {
  if (auto problem = factory_problem(factory, plugins_)) {
    errors_.push_back({{}, "built-in plugin: " + *problem});
    return false;
  }
  const SdkIdentity engine = engine_sdk_identity();
  plugins_.push_back({&factory, {}, engine.major, engine.minor, engine.abi_tag});
  return true;
}

const Factory* PluginRegistry::find(std::string_view name) const {
  for (const auto& plugin : plugins_) {
    if (plugin.factory->name() == name) return plugin.factory;
  }
  return nullptr;
}

std::vector<std::string> PluginRegistry::names() const {
  std::vector<std::string> result;
  result.reserve(plugins_.size());
  for (const auto& plugin : plugins_) result.emplace_back(plugin.factory->name());
  std::sort(result.begin(), result.end());
  return result;
}

}  // namespace flowmind
