// The REST poller's state file: the remembered record keys, so a restart emits nothing twice.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace flowmind::uw_rest {

// What load_state() found. `keys` are oldest first; `warning` is set (and `keys` empty) when
// the file exists but cannot be used, which is not fatal: the poller starts empty.
struct LoadedState {
  std::vector<std::string> keys;
  bool existed = false;
  std::string warning;
};

LoadedState load_state(const std::filesystem::path& file);

// Writes {"version":1,"keys":[...]} to a temporary file beside `file`, flushes it to disk and
// renames it over `file`, so a crash leaves either the old or the new state, never a torn one.
// Throws std::runtime_error (with the path and the reason) when it cannot.
void save_state(const std::filesystem::path& file, const std::vector<std::string>& keys);

}  // namespace flowmind::uw_rest
