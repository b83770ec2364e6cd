// The version and ABI rules between a plugin and this engine, apart from dlopen so tests can vary both sides.
#pragma once

#include <optional>
#include <string>

namespace flowmind {

// What a plugin was built for, or what this engine is.
struct SdkIdentity {
  int major = 0;
  int minor = 0;
  std::string abi_tag;
};

// This engine's SDK version and ABI tag.
SdkIdentity engine_sdk_identity();

// Why a plugin built for `plugin` cannot run in an engine built as `engine` (both versions or
// both tags named), or nullopt when it can: same major, plugin minor <= engine minor, same ABI tag.
std::optional<std::string> compatibility_problem(const SdkIdentity& plugin, const SdkIdentity& engine);

}  // namespace flowmind
