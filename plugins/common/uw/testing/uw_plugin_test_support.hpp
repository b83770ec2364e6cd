// Helpers for tests that load a built UW filter module: factory, schema defaults, README table.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <boost/dll/shared_library.hpp>
#include <nlohmann/json.hpp>

#include "config/units.hpp"
#include "flowmind/config.hpp"
#include "flowmind/plugin.hpp"
#include "test_support.hpp"

namespace flowmind::uw::testing {

// The module build/<dir>/lib/flowmind/plugins/flowmind-<name>.so, loaded once and never unloaded
// (as the engine does).
inline boost::dll::shared_library& plugin_module(const std::string& name) {
  // Never destroyed, so the libraries stay reachable (and loaded) until the process ends.
  static auto* modules = new std::map<std::string, boost::dll::shared_library*>();
  auto& module = (*modules)[name];
  if (module == nullptr) {
    module = new boost::dll::shared_library((flowmind::testing::plugin_dir() / ("flowmind-" + name + ".so")).string(),
                                            boost::dll::load_mode::default_mode);
  }
  return *module;
}

inline const Factory& plugin_factory(boost::dll::shared_library& module) {
  return *module.get_alias<Factory*()>("flowmind_factory")();
}

// What the engine hands a plugin: the given values plus every top-level schema default, with
// durations ("500ms") and sizes ("4MiB") normalized to integer nanoseconds and bytes.
inline Config with_defaults(const Factory& factory, nlohmann::json values) {
  for (const auto& option : factory.schema().options()) {
    if (!values.contains(option.key()) && !option.default_value().is_null()) {
      values[option.key()] = option.default_value();
    }
    if (!values.contains(option.key()) || !values[option.key()].is_string()) continue;
    const auto text = values[option.key()].get<std::string>();
    if (option.type() == OptionType::duration) values[option.key()] = parse_duration_ns(text).value();
    if (option.type() == OptionType::size) values[option.key()] = parse_size_bytes(text).value();
  }
  return Config(std::move(values));
}

// The lines of a README between `<!-- options:begin -->` and `<!-- options:end -->`.
inline std::string readme_options_block(const std::filesystem::path& readme) {
  std::ifstream in(readme);
  std::string line;
  std::string block;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line == "<!-- options:end -->") return block;
    if (inside) block += line + "\n";
    if (line == "<!-- options:begin -->") inside = true;
  }
  return "(no options block in " + readme.string() + ")";
}

}  // namespace flowmind::uw::testing
