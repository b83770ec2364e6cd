// The flowmind subcommands; main.cpp parses the command line and calls one of these.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace flowmind::cli {

// Options that every subcommand accepts.
struct GlobalOptions {
  std::vector<std::filesystem::path> plugin_dirs;
  std::string log_level = "info";
};

struct RunOptions {
  std::vector<std::filesystem::path> paths;
  unsigned threads = 0;  // 0 = number of cores
  std::string admin_listen = "127.0.0.1:9180";
  std::string grace_period = "10s";
};

struct PluginsOptions {
  std::optional<std::string> name;
  bool json = false;
  bool markdown = false;
};

int run_command(const GlobalOptions& global, const RunOptions& options);
int validate_command(const GlobalOptions& global, const std::vector<std::filesystem::path>& paths);
int plugins_command(const GlobalOptions& global, const PluginsOptions& options);

}  // namespace flowmind::cli
