// The version and ABI rules between a plugin and this engine.
#include "loader/plugin_compatibility.hpp"

#include "flowmind/sdk_version.hpp"

namespace flowmind {
namespace {

std::string version_text(const SdkIdentity& identity) {
  return std::to_string(identity.major) + "." + std::to_string(identity.minor);
}

}  // namespace

SdkIdentity engine_sdk_identity() { return {sdk_version_major, sdk_version_minor, abi_tag}; }

std::optional<std::string> compatibility_problem(const SdkIdentity& plugin, const SdkIdentity& engine) {
  if (plugin.major < 0 || plugin.minor < 0) {
    return "reports the malformed FlowMind SDK version " + version_text(plugin) + " (this engine is SDK " +
           version_text(engine) + ")";
  }
  if (plugin.major != engine.major) {
    return "built for FlowMind SDK " + version_text(plugin) + " but this engine is SDK " + version_text(engine) +
           ": the major version must match (rebuild the plugin against this engine's SDK)";
  }
  if (plugin.minor > engine.minor) {
    return "built for FlowMind SDK " + version_text(plugin) + ", newer than this engine's SDK " + version_text(engine) +
           ": a plugin may use an older minor version, not a newer one (upgrade the engine or rebuild the plugin "
           "against this engine's SDK)";
  }
  // The tag is compared last: a version refusal is the more useful message when both differ.
  if (plugin.abi_tag != engine.abi_tag) {
    return "ABI mismatch: plugin built with '" + plugin.abi_tag + "', this engine with '" + engine.abi_tag +
           "' (rebuild the plugin with the same compiler, standard library, Boost and nlohmann_json as the engine)";
  }
  return std::nullopt;
}

}  // namespace flowmind
